import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthException, CurrentToken, Scopes, type VerifiedToken } from '@runnerly/auth';
import {
  DATA_SERVICE_AUDIENCE,
  DataScope,
  ListUsersQuery,
  UpsertUser,
  User,
  UserIdParams,
  UserPage,
} from '@runnerly/data-client';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, ZodPipe } from '@runnerly/platform';
import type { z } from 'zod';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Put()
  @HttpCode(200)
  @Scopes(DataScope.UsersWrite)
  @ApiOperation({
    summary: 'Create or update a user by stravaAthleteId (tokens in `strava` are stored encrypted, never returned)',
    description: 'Scope `users:write`; with `strava`, `strava-tokens:write` too (403 `insufficient_scope` otherwise).',
  })
  @ApiZodBody(UpsertUser)
  @ApiZodResponse(200, User)
  upsert(
    @Body(new ZodPipe(UpsertUser)) body: z.output<typeof UpsertUser>,
    @CurrentToken() token: VerifiedToken | undefined,
  ): Promise<User> {
    // Storing Strava tokens is what `strava-tokens:write` guards, whichever endpoint carries them.
    if (body.strava !== undefined && !token?.scopes.has(DataScope.StravaTokensWrite)) {
      throw AuthException.insufficientScope(DATA_SERVICE_AUDIENCE, [DataScope.StravaTokensWrite]);
    }
    return this.users.upsert(body);
  }

  @Get()
  @Scopes(DataScope.UsersRead)
  @ApiOperation({ summary: 'Users in a stable order, a page at a time; filter by stravaAthleteId or connected' })
  @ApiZodQuery(ListUsersQuery)
  @ApiZodResponse(200, UserPage)
  list(@Query(new ZodPipe(ListUsersQuery)) query: z.output<typeof ListUsersQuery>): Promise<UserPage> {
    return this.users.list(query);
  }

  @Get(':id')
  @Scopes(DataScope.UsersRead)
  @ApiOperation({ summary: 'One user, without its tokens' })
  @ApiZodResponse(200, User)
  get(@Param(new ZodPipe(UserIdParams)) params: z.output<typeof UserIdParams>): Promise<User> {
    return this.users.get(params.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes(DataScope.UsersDelete)
  @ApiOperation({
    summary: 'Remove the user, its Strava tokens and all its runs (one transaction)',
    description: 'Scope `users:delete` (held by the strava-worker alone: a deauthorized athlete), not `users:write`.',
  })
  async delete(@Param(new ZodPipe(UserIdParams)) params: z.output<typeof UserIdParams>): Promise<void> {
    await this.users.delete(params.id);
  }
}
