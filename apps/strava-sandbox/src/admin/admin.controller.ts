import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ZodPipe } from '@runnerly/platform';
import type { z } from 'zod';
import {
  ActivityPatchSchema,
  ClockSchema,
  ExpireTokensSchema,
  MintTokensSchema,
  NewActivitySchema,
  SettingsPatchSchema,
} from './admin.dto.js';
import { AdminService } from './admin.service.js';

/** The sandbox's own control API (not Strava's): used by tests and demos. Documented in README. */
@ApiTags('sandbox admin')
@Controller('_sandbox')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('athletes')
  athletes() {
    return this.admin.listAthletes();
  }

  /** Runs whose fastest segment of a standard distance was planted: what best efforts must find. */
  @Get('athletes/:id/planted')
  planted(@Param('id', ParseIntPipe) id: number) {
    return this.admin.plantedSegments(id);
  }

  @Post('athletes/:id/activities')
  @ApiZodBody(NewActivitySchema)
  addActivity(
    @Param('id', ParseIntPipe) id: number,
    @Body(new ZodPipe(NewActivitySchema)) body: z.output<typeof NewActivitySchema>,
  ) {
    return this.admin.addActivity(id, body);
  }

  @Put('activities/:id')
  @ApiZodBody(ActivityPatchSchema)
  updateActivity(
    @Param('id', ParseIntPipe) id: number,
    @Body(new ZodPipe(ActivityPatchSchema)) body: z.output<typeof ActivityPatchSchema>,
  ) {
    return this.admin.updateActivity(id, body);
  }

  @Delete('activities/:id')
  deleteActivity(@Param('id', ParseIntPipe) id: number) {
    return this.admin.deleteActivity(id);
  }

  /** A token pair without the consent page. */
  @Post('athletes/:id/tokens')
  @ApiZodBody(MintTokensSchema)
  mintTokens(
    @Param('id', ParseIntPipe) id: number,
    @Body(new ZodPipe(MintTokensSchema)) body: z.output<typeof MintTokensSchema>,
  ) {
    return this.admin.mintTokens(id, body.scope);
  }

  /** The athlete revokes access from Strava's settings: tokens die, a deauthorization event goes out. */
  @Post('athletes/:id/revoke')
  @HttpCode(200)
  revoke(@Param('id', ParseIntPipe) id: number) {
    return this.admin.revokeAthlete(id);
  }

  @Post('tokens/expire')
  @HttpCode(200)
  @ApiZodBody(ExpireTokensSchema)
  expire(@Body(new ZodPipe(ExpireTokensSchema)) body: z.output<typeof ExpireTokensSchema>) {
    return this.admin.expireTokens({ accessToken: body.access_token, athleteId: body.athlete_id }, body.expires_in);
  }

  @Get('settings')
  settings() {
    return this.admin.state();
  }

  /** Rate limits and usage, short pages, Strava's 2026 program switches, refresh-token rotation. */
  @Put('settings')
  @ApiZodBody(SettingsPatchSchema)
  updateSettings(@Body(new ZodPipe(SettingsPatchSchema)) body: z.output<typeof SettingsPatchSchema>) {
    return this.admin.updateSettings(body);
  }

  @Get('requests')
  requests() {
    return this.admin.requestCounts();
  }

  @Get('webhooks/deliveries')
  deliveries() {
    return this.admin.deliveries();
  }

  @Post('clock')
  @HttpCode(200)
  @ApiZodBody(ClockSchema)
  clock(@Body(new ZodPipe(ClockSchema)) body: z.output<typeof ClockSchema>) {
    return this.admin.advanceClock(body.advance_seconds);
  }

  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.admin.reset();
  }
}
