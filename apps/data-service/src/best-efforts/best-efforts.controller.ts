import { Body, Controller, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes } from '@runnerly/auth';
import {
  BestEffortsProgress,
  Bests,
  BestsQuery,
  DataScope,
  PutBestEfforts,
  PutBestEffortsResult,
  RunBestEfforts,
  RunParams,
  UserIdParams,
} from '@runnerly/data-client';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, ZodPipe } from '@runnerly/platform';
import type { z } from 'zod';
import { BestEffortsService } from './best-efforts.service.js';

@ApiTags('best efforts')
@ApiBearerAuth()
@Controller('users/:id')
export class BestEffortsController {
  constructor(private readonly efforts: BestEffortsService) {}

  @Put('runs/:stravaId/best-efforts')
  @HttpCode(200)
  @Scopes(DataScope.RunsWrite)
  @ApiOperation({
    summary:
      "Replace a run's best efforts and mark where they came from (idempotent; 404 for an unknown run): what the enrichment writes",
  })
  @ApiZodBody(PutBestEfforts)
  @ApiZodResponse(200, PutBestEffortsResult)
  replace(
    @Param(new ZodPipe(RunParams)) params: z.output<typeof RunParams>,
    @Body(new ZodPipe(PutBestEfforts)) body: z.output<typeof PutBestEfforts>,
  ): Promise<PutBestEffortsResult> {
    return this.efforts.replace(params.id, params.stravaId, body);
  }

  @Get('runs/:stravaId/best-efforts')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({ summary: "A run's best efforts, shortest distance first (source null: not computed yet)" })
  @ApiZodResponse(200, RunBestEfforts)
  ofRun(@Param(new ZodPipe(RunParams)) params: z.output<typeof RunParams>): Promise<RunBestEfforts> {
    return this.efforts.ofRun(params.id, params.stravaId);
  }

  @Get('bests')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({
    summary:
      'Per standard distance the best time within any run, its run, and the progression of records (SQL window); year: bests of that local year',
  })
  @ApiZodQuery(BestsQuery)
  @ApiZodResponse(200, Bests)
  bests(
    @Param(new ZodPipe(UserIdParams)) params: z.output<typeof UserIdParams>,
    @Query(new ZodPipe(BestsQuery)) query: z.output<typeof BestsQuery>,
  ): Promise<Bests> {
    return this.efforts.bests(params.id, query.year);
  }

  @Get('best-efforts/progress')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({ summary: 'Runs, and runs whose best efforts are computed (the enrichment’s progress)' })
  @ApiZodResponse(200, BestEffortsProgress)
  progress(@Param(new ZodPipe(UserIdParams)) params: z.output<typeof UserIdParams>): Promise<BestEffortsProgress> {
    return this.efforts.progress(params.id);
  }
}
