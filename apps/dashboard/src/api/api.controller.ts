import { Controller, Get, HttpCode, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RunPage, Stats } from '@runnerly/data-client';
import { ApiZodQuery, ApiZodResponse, ZodPipe } from '@runnerly/platform';
import type { Request } from 'express';
import { CsrfGuard } from '../session/csrf.guard.js';
import { LoggedInGuard } from '../session/logged-in.guard.js';
import type { SessionUser } from '../session/session.types.js';
import type { SyncView as SyncViewType } from '@runnerly/jobs';
import { SyncStatusService } from '../sync/sync-status.service.js';
import { Me, RunsQuery, type RunsQueryParams, StatsQuery, type StatsQueryParams, SyncView } from './api.dto.js';
import type { PersonalBests } from '@runnerly/data-client/contract';
import { TrainingService } from './training.service.js';

function sessionUser(req: Request): SessionUser {
  return req.session.user!;
}

/** The JSON the runner's page reads, for the logged-in athlete (session cookie). */
@ApiTags('page')
@Controller('api')
@UseGuards(LoggedInGuard)
export class ApiController {
  constructor(
    private readonly training: TrainingService,
    private readonly sync: SyncStatusService,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'Who is logged in' })
  @ApiZodResponse(200, Me)
  me(@Req() req: Request): SessionUser & { csrfToken: string } {
    return { ...sessionUser(req), csrfToken: req.session.csrfToken ?? '' };
  }

  @Get('runs')
  @ApiOperation({ summary: 'Runs, newest first, a page at a time' })
  @ApiZodQuery(RunsQuery)
  @ApiZodResponse(200, RunPage)
  runs(@Req() req: Request, @Query(new ZodPipe(RunsQuery)) query: RunsQueryParams): Promise<RunPage> {
    return this.training.runs(sessionUser(req).id, query);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Totals per week, month or year of the athlete’s local calendar' })
  @ApiZodQuery(StatsQuery)
  @ApiZodResponse(200, Stats)
  stats(@Req() req: Request, @Query(new ZodPipe(StatsQuery)) query: StatsQueryParams): Promise<Stats> {
    return this.training.stats(sessionUser(req).id, query.period);
  }

  @Get('bests')
  @ApiOperation({
    summary:
      'Personal bests: per standard distance (400 m … marathon) the fastest effort within any run, its run, the progression of records, and the enrichment’s progress',
  })
  bests(@Req() req: Request): Promise<PersonalBests> {
    return this.training.bests(sessionUser(req).id);
  }

  @Get('sync')
  @ApiOperation({ summary: 'The state of the athlete’s sync with Strava' })
  @ApiZodResponse(200, SyncView)
  syncState(@Req() req: Request): Promise<SyncViewType> {
    return this.sync.state(sessionUser(req).id);
  }

  @Post('sync')
  @HttpCode(202)
  @UseGuards(CsrfGuard)
  @ApiOperation({ summary: 'Queue a sync now (header x-csrf-token required)' })
  @ApiZodResponse(202, SyncView)
  syncNow(@Req() req: Request): Promise<SyncViewType> {
    return this.sync.requestNow(sessionUser(req).id);
  }
}
