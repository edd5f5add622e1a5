import { Injectable } from '@nestjs/common';
import type { CalendarDay, Eddington, RouteLine, Shoe, StravaShoe, Streaks, YearTotals } from '@runnerly/data-client';
import { Db } from '../database/db.js';
import {
  CALENDAR_DAYS_SQL,
  EDDINGTON_SQL,
  GOAL_SQL,
  LATEST_TIMEZONE_SQL,
  PUT_GEAR_SQL,
  PUT_GOAL_SQL,
  PUT_SHOE_SQL,
  ROUTES_SQL,
  RUNS_VERSION_SQL,
  SHOES_SQL,
  STREAKS_SQL,
  YEARS_SQL,
} from './insights.sql.js';
import { VersionedCache } from './insights.cache.js';
import { dayOfYear, daysInYear } from './local-day.js';

type YearRow = Omit<YearTotals, 'cumulative'> & { runningDays: number[]; runningTotals: number[] };

type ShoeInput = Required<Pick<StravaShoe, 'id' | 'name' | 'primary' | 'retired' | 'distance'>>;

/** The year-at-a-glance SQL (`insights.sql.ts`), one statement per view. */
@Injectable()
export class InsightsRepository {
  /**
   * Eddington and the years are the costly views (tens of milliseconds for 3,000 runs, bench/glance)
   * and change only with the runs: kept per athlete under their runs version (one cheap query).
   */
  private readonly eddingtons = new VersionedCache<Eddington>();
  private readonly yearRows = new VersionedCache<YearRow[]>();

  constructor(private readonly db: Db) {}

  private async runsVersion(userId: string): Promise<string> {
    return (await this.db.query<{ version: string }>(RUNS_VERSION_SQL, [userId])).rows[0]!.version;
  }

  /** The Strava timezone of the athlete's latest run, or undefined without runs. */
  async latestTimezone(userId: string): Promise<string | null | undefined> {
    const { rows } = await this.db.query<{ timezone: string | null }>(LATEST_TIMEZONE_SQL, [userId]);
    return rows[0]?.timezone;
  }

  async calendarDays(userId: string, from: string, to: string): Promise<CalendarDay[]> {
    return (await this.db.query<CalendarDay>(CALENDAR_DAYS_SQL, [userId, from, to])).rows;
  }

  async streaks(userId: string, today: string): Promise<Streaks> {
    return (await this.db.query<Streaks>(STREAKS_SQL, [userId, today])).rows[0]!;
  }

  async eddington(userId: string): Promise<Eddington> {
    const version = await this.runsVersion(userId);
    const cached = this.eddingtons.get(userId, version);
    if (cached) return cached;
    const { rows } = await this.db.query<{ unit: 'km' | 'mi'; number: number; nextNeeded: number }>(EDDINGTON_SQL, [
      userId,
    ]);
    const of = (unit: 'km' | 'mi') => {
      const row = rows.find((r) => r.unit === unit)!;
      return { number: row.number, nextNeeded: row.nextNeeded };
    };
    const eddington = { km: of('km'), mi: of('mi') };
    this.eddingtons.set(userId, version, eddington);
    return eddington;
  }

  /** `cumulative` spread over every day of each year: to `today` in the current year. */
  async years(userId: string, today: string): Promise<YearTotals[]> {
    const version = await this.runsVersion(userId);
    let rows = this.yearRows.get(userId, version);
    if (!rows) {
      rows = (await this.db.query<YearRow>(YEARS_SQL, [userId])).rows;
      this.yearRows.set(userId, version, rows);
    }
    const thisYear = Number(today.slice(0, 4));
    return rows.map(({ runningDays, runningTotals, ...year }) => {
      const length = year.year === thisYear ? dayOfYear(today) : daysInYear(year.year);
      const cumulative = new Array<number>(length);
      let total = 0;
      let next = 0;
      for (let day = 1; day <= length; day += 1) {
        while (next < runningDays.length && runningDays[next]! <= day) total = runningTotals[next++]!;
        cumulative[day - 1] = total;
      }
      return { ...year, cumulative };
    });
  }

  async goal(userId: string, year: number): Promise<{ distance: number | null; done: number }> {
    return (await this.db.query<{ distance: number | null; done: number }>(GOAL_SQL, [userId, year])).rows[0]!;
  }

  async putGoal(userId: string, year: number, distance: number): Promise<void> {
    await this.db.query(PUT_GOAL_SQL, [userId, year, distance]);
  }

  async shoes(userId: string): Promise<Shoe[]> {
    return (await this.db.query<Shoe>(SHOES_SQL, [userId])).rows;
  }

  async putGear(userId: string, shoes: readonly ShoeInput[]): Promise<void> {
    await this.db.query(PUT_GEAR_SQL, [
      userId,
      shoes.map((shoe) => shoe.id),
      shoes.map((shoe) => shoe.name),
      shoes.map((shoe) => shoe.primary),
      shoes.map((shoe) => shoe.retired),
      shoes.map((shoe) => shoe.distance),
    ]);
  }

  /** False when the athlete has no such gear. */
  async putShoe(userId: string, gearId: string, retireAt: number): Promise<boolean> {
    return (await this.db.query(PUT_SHOE_SQL, [userId, gearId, retireAt])).rowCount === 1;
  }

  async routes(userId: string, limit: number): Promise<RouteLine[]> {
    return (await this.db.query<RouteLine>(ROUTES_SQL, [userId, limit])).rows;
  }
}
