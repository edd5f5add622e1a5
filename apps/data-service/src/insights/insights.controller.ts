import { Body, Controller, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes } from '@runnerly/auth';
import {
  Calendar,
  CalendarQuery,
  DataScope,
  Eddington,
  Goal,
  GoalParams,
  PutGear,
  PutGoal,
  PutGoalParams,
  PutShoe,
  Routes,
  RoutesQuery,
  Shoe,
  ShoeParams,
  Shoes,
  UserIdParams,
  Years,
} from '@runnerly/data-client';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, ZodPipe } from '@runnerly/platform';
import type { z } from 'zod';
import { InsightsService } from './insights.service.js';

type UserId = z.output<typeof UserIdParams>;

/**
 * The year at a glance, on the athlete's local calendar. Reads take `runs:read`; the runner's own
 * settings (a yearly goal, a shoe's retirement threshold) and the shoes Strava lists take
 * `users:write`, like the rest of what is stored about the athlete.
 */
@ApiTags('insights')
@ApiBearerAuth()
@Controller('users/:id')
export class InsightsController {
  constructor(private readonly insights: InsightsService) {}

  @Get('calendar')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({
    summary:
      'Distance and runs per local day in [from, to] (both inclusive, at most 400 days; days without runs left out), and day and week streaks over the whole history',
  })
  @ApiZodQuery(CalendarQuery)
  @ApiZodResponse(200, Calendar)
  calendar(
    @Param(new ZodPipe(UserIdParams)) params: UserId,
    @Query(new ZodPipe(CalendarQuery)) query: z.output<typeof CalendarQuery>,
  ): Promise<Calendar> {
    return this.insights.calendar(params.id, query);
  }

  @Get('eddington')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({
    summary: 'Eddington number in km and in miles (per local day totals) and the days missing for the next',
  })
  @ApiZodResponse(200, Eddington)
  eddington(@Param(new ZodPipe(UserIdParams)) params: UserId): Promise<Eddington> {
    return this.insights.eddington(params.id);
  }

  @Get('years')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({ summary: 'Per local year with runs: totals, months and cumulative distance by day of year' })
  @ApiZodResponse(200, Years)
  years(@Param(new ZodPipe(UserIdParams)) params: UserId): Promise<Years> {
    return this.insights.years(params.id);
  }

  @Get('goals/:year')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({
    summary:
      "The year's distance goal (null when unset), what is done and the projection to 31 December; `current`: the athlete's local current year",
  })
  @ApiZodResponse(200, Goal)
  goal(@Param(new ZodPipe(GoalParams)) params: z.output<typeof GoalParams>): Promise<Goal> {
    return this.insights.goal(params.id, params.year);
  }

  @Put('goals/:year')
  @HttpCode(200)
  @Scopes(DataScope.UsersWrite)
  @ApiOperation({ summary: "Sets the year's distance goal (metres)" })
  @ApiZodBody(PutGoal)
  @ApiZodResponse(200, Goal)
  putGoal(
    @Param(new ZodPipe(PutGoalParams)) params: z.output<typeof PutGoalParams>,
    @Body(new ZodPipe(PutGoal)) body: z.output<typeof PutGoal>,
  ): Promise<Goal> {
    return this.insights.putGoal(params.id, params.year, body.distance);
  }

  @Put('gear')
  @HttpCode(200)
  @Scopes(DataScope.UsersWrite)
  @ApiOperation({
    summary:
      "Stores the athlete's shoes as Strava's GET /athlete lists them (thresholds kept; shoes no longer listed and on no run removed)",
  })
  @ApiZodBody(PutGear)
  @ApiZodResponse(200, Shoes)
  putGear(
    @Param(new ZodPipe(UserIdParams)) params: UserId,
    @Body(new ZodPipe(PutGear)) body: z.output<typeof PutGear>,
  ): Promise<Shoes> {
    return this.insights.putGear(params.id, body);
  }

  @Get('shoes')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({ summary: 'Shoes with the distance of the stored runs in each and the retirement threshold' })
  @ApiZodResponse(200, Shoes)
  shoes(@Param(new ZodPipe(UserIdParams)) params: UserId): Promise<Shoes> {
    return this.insights.shoes(params.id);
  }

  @Put('shoes/:gearId')
  @HttpCode(200)
  @Scopes(DataScope.UsersWrite)
  @ApiOperation({ summary: "Sets a shoe's retirement threshold (metres); 404 for gear the athlete does not have" })
  @ApiZodBody(PutShoe)
  @ApiZodResponse(200, Shoe)
  putShoe(
    @Param(new ZodPipe(ShoeParams)) params: z.output<typeof ShoeParams>,
    @Body(new ZodPipe(PutShoe)) body: z.output<typeof PutShoe>,
  ): Promise<Shoe> {
    return this.insights.putShoe(params.id, params.gearId, body.retireAt);
  }

  @Get('routes')
  @Scopes(DataScope.RunsRead)
  @ApiOperation({ summary: "The newest runs' summary polylines (runs without GPS left out)" })
  @ApiZodQuery(RoutesQuery)
  @ApiZodResponse(200, Routes)
  routes(
    @Param(new ZodPipe(UserIdParams)) params: UserId,
    @Query(new ZodPipe(RoutesQuery)) query: z.output<typeof RoutesQuery>,
  ): Promise<Routes> {
    return this.insights.routes(params.id, query);
  }
}
