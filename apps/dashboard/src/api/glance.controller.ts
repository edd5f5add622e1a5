import { Body, Controller, Get, Param, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Calendar, Eddington, Goal, Years } from '@runnerly/data-client';
import { Eddington as EddingtonSchema, Years as YearsSchema } from '@runnerly/data-client';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, ZodPipe } from '@runnerly/platform';
import type { Request } from 'express';
import { z } from 'zod';
import { CsrfGuard } from '../session/csrf.guard.js';
import { LoggedInGuard } from '../session/logged-in.guard.js';
import {
  CalendarQuery,
  type CalendarQueryParams,
  CalendarView,
  GoalQuery,
  type GoalQueryParams,
  GoalView,
  PutGoalBody,
  type PutGoalBodyParams,
  PutShoeBody,
  type PutShoeBodyParams,
  RoutesView,
  ShoeParams,
  ShoeView,
} from './glance.dto.js';
import { GlanceService } from './glance.service.js';

const userId = (req: Request) => req.session.user!.id;

/**
 * The year at a glance (shared/CONTRACT.md), for the logged-in athlete; days are their local days,
 * distances in metres. PUTs need the session's CSRF token (header x-csrf-token).
 */
@ApiTags('page')
@Controller('api')
@UseGuards(LoggedInGuard)
export class GlanceController {
  constructor(private readonly glance: GlanceService) {}

  @Get('calendar')
  @ApiOperation({
    summary:
      'Distance and runs per local day in [from, to] (inclusive, at most 400 days; default the last 53 weeks) and the day and week streaks',
  })
  @ApiZodQuery(CalendarQuery)
  @ApiZodResponse(200, CalendarView)
  calendar(@Req() req: Request, @Query(new ZodPipe(CalendarQuery)) query: CalendarQueryParams): Promise<Calendar> {
    return this.glance.calendar(userId(req), query);
  }

  @Get('eddington')
  @ApiOperation({ summary: 'Eddington number in km and in miles, and the days still missing for the next' })
  @ApiZodResponse(200, EddingtonSchema)
  eddington(@Req() req: Request): Promise<Eddington> {
    return this.glance.eddington(userId(req));
  }

  @Get('years')
  @ApiOperation({ summary: 'Each year with runs: total, 12 months, cumulative distance by day of year' })
  @ApiZodResponse(200, YearsSchema)
  years(@Req() req: Request): Promise<Years> {
    return this.glance.years(userId(req));
  }

  @Get('goal')
  @ApiOperation({ summary: "A year's goal (default the current local year): done and projected to 31 December" })
  @ApiZodQuery(GoalQuery)
  @ApiZodResponse(200, GoalView)
  goal(@Req() req: Request, @Query(new ZodPipe(GoalQuery)) query: GoalQueryParams): Promise<Goal> {
    return this.glance.goal(userId(req), query.year);
  }

  @Put('goal')
  @UseGuards(CsrfGuard)
  @ApiOperation({ summary: "Sets a year's distance goal in metres (header x-csrf-token required)" })
  @ApiZodBody(PutGoalBody)
  @ApiZodResponse(200, GoalView)
  putGoal(@Req() req: Request, @Body(new ZodPipe(PutGoalBody)) body: PutGoalBodyParams): Promise<Goal> {
    return this.glance.putGoal(userId(req), body.year, body.distance);
  }

  @Get('shoes')
  @ApiOperation({ summary: 'Shoes: distance run in each, retirement threshold and a warning near it' })
  @ApiZodResponse(200, z.array(ShoeView))
  shoes(@Req() req: Request): Promise<ShoeView[]> {
    return this.glance.shoes(userId(req));
  }

  @Put('shoes/:id')
  @UseGuards(CsrfGuard)
  @ApiOperation({ summary: "Sets a shoe's retirement threshold in metres (header x-csrf-token required)" })
  @ApiZodBody(PutShoeBody)
  @ApiZodResponse(200, ShoeView)
  putShoe(
    @Req() req: Request,
    @Param(new ZodPipe(ShoeParams)) params: z.output<typeof ShoeParams>,
    @Body(new ZodPipe(PutShoeBody)) body: PutShoeBodyParams,
  ): Promise<ShoeView> {
    return this.glance.putShoe(userId(req), params.id, body.retireAt);
  }

  @Get('routes')
  @ApiOperation({
    summary:
      "The newest runs' routes (encoded polylines) for the heatmap, the first and last DASHBOARD_ROUTE_PRIVACY_METERS hidden",
  })
  @ApiZodResponse(200, RoutesView)
  routes(@Req() req: Request): Promise<RoutesView> {
    return this.glance.routes(userId(req));
  }
}
