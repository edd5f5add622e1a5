import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes } from '@runnerly/auth';
import { DataScope, StravaToken, UserIdParams } from '@runnerly/data-client';
import { ApiZodBody, ApiZodResponse, ZodPipe } from '@runnerly/platform';
import type { z } from 'zod';
import { StravaTokensService } from './strava-tokens.service.js';

/** The only endpoints that read or write an athlete's Strava tokens, each with a scope of its own. */
@ApiTags('strava-tokens')
@ApiBearerAuth()
@Controller('users/:id/strava-token')
export class StravaTokensController {
  constructor(private readonly tokens: StravaTokensService) {}

  @Get()
  @Scopes(DataScope.StravaTokensRead)
  @ApiOperation({ summary: "The athlete's Strava tokens (404 strava_token_not_found when not connected)" })
  @ApiZodResponse(200, StravaToken)
  get(@Param(new ZodPipe(UserIdParams)) params: z.output<typeof UserIdParams>): Promise<StravaToken> {
    return this.tokens.get(params.id);
  }

  @Put()
  @HttpCode(204)
  @Scopes(DataScope.StravaTokensWrite)
  @ApiOperation({ summary: 'Store a (refreshed) token pair, encrypted' })
  @ApiZodBody(StravaToken)
  async put(
    @Param(new ZodPipe(UserIdParams)) params: z.output<typeof UserIdParams>,
    @Body(new ZodPipe(StravaToken)) body: StravaToken,
  ): Promise<void> {
    await this.tokens.put(params.id, body);
  }

  @Delete()
  @HttpCode(204)
  @Scopes(DataScope.StravaTokensWrite)
  @ApiOperation({ summary: 'Forget the tokens: the user stays, no longer connected' })
  async delete(@Param(new ZodPipe(UserIdParams)) params: z.output<typeof UserIdParams>): Promise<void> {
    await this.tokens.delete(params.id);
  }
}
