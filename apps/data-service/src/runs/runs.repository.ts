import { Injectable } from '@nestjs/common';
import type { Run, Stats, StatsItem, StatsPeriod } from '@runnerly/data-client';
import { Db } from '../database/db.js';
import {
  INSERT_NEW_RUNS_SQL,
  listRunsSql,
  type RunRecord,
  statsSql,
  UPSERT_RUNS_SQL,
  upsertRunsParams,
} from './runs.sql.js';

export type { RunRecord };

export interface RunsPageQuery {
  after?: string;
  before?: string;
  /** The (startDate, stravaId) of the last run of the previous page. */
  startingBelow?: readonly [string, number];
  /** Only runs whose best efforts are not computed yet. */
  effortsMissing?: boolean;
  limit: number;
}

const PERIOD_UNITS: Record<StatsPeriod, string> = { week: 'week', month: 'month', year: 'year' };

@Injectable()
export class RunsRepository {
  constructor(private readonly db: Db) {}

  /**
   * One INSERT … ON CONFLICT DO UPDATE for the whole batch (stravaIds must be unique within it);
   * `keepExisting`: ON CONFLICT DO NOTHING, stored runs stay as they are.
   */
  async upsert(
    userId: string,
    runs: readonly RunRecord[],
    options: { keepExisting?: boolean } = {},
  ): Promise<{ inserted: number; updated: number }> {
    const { rows } = await this.db.query<{ inserted: number; updated: number }>(
      options.keepExisting ? INSERT_NEW_RUNS_SQL : UPSERT_RUNS_SQL,
      upsertRunsParams(userId, runs),
    );
    return rows[0]!;
  }

  /** Newest first, `limit` runs. */
  async page(userId: string, query: RunsPageQuery): Promise<Run[]> {
    const values: unknown[] = [userId, query.limit];
    if (query.after !== undefined) values.push(query.after);
    if (query.before !== undefined) values.push(query.before);
    if (query.startingBelow !== undefined) values.push(...query.startingBelow);
    const sql = listRunsSql({
      after: query.after !== undefined,
      before: query.before !== undefined,
      cursor: query.startingBelow !== undefined,
      effortsMissing: query.effortsMissing,
    });
    const { rows } = await this.db.query<Run>(sql, values);
    return rows;
  }

  /** False when there was no such run. */
  async delete(userId: string, stravaId: number): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM data.runs WHERE user_id = $1 AND strava_id = $2', [
      userId,
      stravaId,
    ]);
    return rowCount === 1;
  }

  /**
   * Totals per period of the athlete's local calendar: grouped by the local wall-clock start
   * (`start_date_local`), so a run counts on the day it started where it was run. ISO weeks
   * (date_trunc) start on Monday. `from`/`to` are local days (inclusive/exclusive).
   */
  async stats(userId: string, period: StatsPeriod, range: { from?: string; to?: string }): Promise<Stats['items']> {
    const values: unknown[] = [userId, PERIOD_UNITS[period]];
    const conditions = ['user_id = $1'];
    if (range.from !== undefined) {
      values.push(range.from);
      conditions.push(`start_date_local >= $${values.length}::date`);
    }
    if (range.to !== undefined) {
      values.push(range.to);
      conditions.push(`start_date_local < $${values.length}::date`);
    }
    const { rows } = await this.db.query<StatsItem>(statsSql(conditions), values);
    return rows;
  }
}
