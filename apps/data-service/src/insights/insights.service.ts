import { Inject, Injectable } from '@nestjs/common';
import type {
  Calendar,
  CalendarQuery,
  Eddington,
  Goal,
  PutGear,
  Routes,
  RoutesQuery,
  Shoe,
  Shoes,
  Years,
} from '@runnerly/data-client';
import type { z } from 'zod';
import { DataException } from '../common/data.exception.js';
import { FOREIGN_KEY_VIOLATION, isPgError } from '../database/db.js';
import { UsersRepository } from '../users/users.repository.js';
import { InsightsRepository } from './insights.repository.js';
import { dayOfYear, daysInYear, ianaZone, localDate } from './local-day.js';

/** What time it is (tests of "today" and "current" pass their own). */
export const INSIGHTS_CLOCK = Symbol('InsightsClock');
export type InsightsClock = () => Date;

/**
 * The year at a glance, computed in SQL per request. Not cached: for an athlete with 3,000 runs
 * each view costs a few milliseconds of PostgreSQL (bench/), less than a cache round trip would
 * save once invalidation on every run write is paid for.
 */
@Injectable()
export class InsightsService {
  constructor(
    private readonly insights: InsightsRepository,
    private readonly users: UsersRepository,
    @Inject(INSIGHTS_CLOCK) private readonly now: InsightsClock,
  ) {}

  async calendar(userId: string, query: z.output<typeof CalendarQuery>): Promise<Calendar> {
    const today = await this.today(userId);
    const [days, streaks] = await Promise.all([
      this.insights.calendarDays(userId, query.from, query.to),
      this.insights.streaks(userId, today),
    ]);
    return { days, streaks, today };
  }

  async eddington(userId: string): Promise<Eddington> {
    await this.assertUserExists(userId);
    return this.insights.eddington(userId);
  }

  async years(userId: string): Promise<Years> {
    const today = await this.today(userId);
    return { years: await this.insights.years(userId, today), today };
  }

  async goal(userId: string, requested: number | 'current'): Promise<Goal> {
    const today = await this.today(userId);
    const year = requested === 'current' ? Number(today.slice(0, 4)) : requested;
    const { distance, done } = await this.insights.goal(userId, year);
    const thisYear = Number(today.slice(0, 4));
    const length = daysInYear(year);
    const elapsed = year < thisYear ? length : year > thisYear ? 0 : dayOfYear(today);
    return {
      year,
      distance,
      done,
      projected: elapsed === length ? done : elapsed === 0 ? 0 : (done * length) / elapsed,
      expected: distance === null ? null : (distance * elapsed) / length,
    };
  }

  async putGoal(userId: string, year: number, distance: number): Promise<Goal> {
    try {
      await this.insights.putGoal(userId, year, distance);
    } catch (error) {
      if (isPgError(error, FOREIGN_KEY_VIOLATION)) throw DataException.userNotFound(userId);
      throw error;
    }
    return this.goal(userId, year);
  }

  async shoes(userId: string): Promise<Shoes> {
    const items = await this.insights.shoes(userId);
    if (items.length === 0) await this.assertUserExists(userId);
    return { items };
  }

  /** Strava's list is the truth: one entry per id (the last wins). */
  async putGear(userId: string, gear: z.output<typeof PutGear>): Promise<Shoes> {
    const shoes = [...new Map(gear.shoes.map((shoe) => [shoe.id, shoe])).values()];
    try {
      await this.insights.putGear(userId, shoes);
    } catch (error) {
      if (isPgError(error, FOREIGN_KEY_VIOLATION)) throw DataException.userNotFound(userId);
      throw error;
    }
    return this.shoes(userId);
  }

  async putShoe(userId: string, gearId: string, retireAt: number): Promise<Shoe> {
    if (!(await this.insights.putShoe(userId, gearId, retireAt))) {
      await this.assertUserExists(userId);
      throw DataException.gearNotFound(gearId);
    }
    return (await this.insights.shoes(userId)).find((shoe) => shoe.id === gearId)!;
  }

  async routes(userId: string, query: z.output<typeof RoutesQuery>): Promise<Routes> {
    const items = await this.insights.routes(userId, query.limit);
    if (items.length === 0) await this.assertUserExists(userId);
    return { items };
  }

  /** The athlete's local today: in the zone of their latest run (UTC without runs); 404 for no user. */
  private async today(userId: string): Promise<string> {
    const timezone = await this.insights.latestTimezone(userId);
    if (timezone === undefined) await this.assertUserExists(userId);
    return localDate(this.now(), ianaZone(timezone));
  }

  private async assertUserExists(userId: string): Promise<void> {
    if (!(await this.users.exists(userId))) throw DataException.userNotFound(userId);
  }
}
