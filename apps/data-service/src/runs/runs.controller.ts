import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes } from '@runnerly/auth';
import {
  DataScope,
  ListRunsQuery,
  RunPage,
  RunParams,
  Stats,
  StatsQuery,
  UpsertRuns,
  UpsertRunsResult,
  UserIdParams,
} from '@runnerly/data-client';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, ZodPipe } from '@runnerly/platform';
import type { z } from 'zod';
import { RunsBatchPipe } from './runs-batch.pipe.js';
import { RunsService } from './runs.service.js';

@ApiTags('runs')
@ApiBearerAuth()
@Controller('users/:id')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Put('runs')
  @HttpCode(200)
  @Scopes(DataScope.RunsWrite)
  @ApiOperation({
    summary:
      'Batch upsert by stravaId, idempotent: unchanged runs count as neither inserted nor updated (413 over the configured batch size); keepExisting: only new runs are inserted, stored ones are left alone',
  })
  @ApiZodBody(UpsertRuns)
  @ApiZodResponse(200, UpsertRunsResult)
  upsert(
    @Param(new ZodPipe(UserIdParams)) params: z.output<typeof UserIdParams>,
    @Body(RunsBatchPipe) body: z.output<typeof UpsertRuns>,
  ): Promise<UpsertRunsResult> {
    return this.runs.upsert(params.id, body.runs, { keepExisting: body.keepExisting ?? false });
  }

  @Get('runs')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({
    summary: 'Runs newest first, a page at a time (opaque nextCursor); after inclusive, before exclusive',
  })
  @ApiZodQuery(ListRunsQuery)
  @ApiZodResponse(200, RunPage)
  list(
    @Param(new ZodPipe(UserIdParams)) params: z.output<typeof UserIdParams>,
    @Query(new ZodPipe(ListRunsQuery)) query: z.output<typeof ListRunsQuery>,
  ): Promise<RunPage> {
    return this.runs.list(params.id, query);
  }

  @Delete('runs/:stravaId')
  @HttpCode(204)
  @Scopes(DataScope.RunsWrite)
  @ApiOperation({ summary: 'Remove one run (204 also when it was not there; 404 only for an unknown user)' })
  async delete(@Param(new ZodPipe(RunParams)) params: z.output<typeof RunParams>): Promise<void> {
    await this.runs.delete(params.id, params.stravaId);
  }

  @Get('stats')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({
    summary:
      "Totals per week (from Monday), month or year of the athlete's local calendar, oldest first, computed in SQL",
  })
  @ApiZodQuery(StatsQuery)
  @ApiZodResponse(200, Stats)
  stats(
    @Param(new ZodPipe(UserIdParams)) params: z.output<typeof UserIdParams>,
    @Query(new ZodPipe(StatsQuery)) query: z.output<typeof StatsQuery>,
  ): Promise<Stats> {
    return this.runs.stats(params.id, query);
  }
}
