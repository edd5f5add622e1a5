import { Injectable } from '@nestjs/common';
import type { BestEffortsProgress, EffortSource } from '@runnerly/data-client';
import { Db } from '../database/db.js';
import { bestsSql, PROGRESS_SQL, PUT_BEST_EFFORTS_SQL, RUN_BEST_EFFORTS_SQL } from './best-efforts.sql.js';

export interface EffortRecord {
  distance: number;
  elapsedTime: number;
  startOffset: number;
}

export interface RecordRow {
  distance: number;
  elapsedTime: number;
  stravaId: number;
  name: string;
  startDate: string;
  startDateLocal: string;
}

export interface RunEffortsRow {
  source: EffortSource | null;
  computedAt: string | null;
  distance: number | null;
  elapsedTime: number | null;
  startOffset: number | null;
}

@Injectable()
export class BestEffortsRepository {
  constructor(private readonly db: Db) {}

  /** False when there is no such run. */
  async replace(
    userId: string,
    stravaId: number,
    source: EffortSource,
    efforts: readonly EffortRecord[],
  ): Promise<boolean> {
    const { rows } = await this.db.query<{ found: number }>(PUT_BEST_EFFORTS_SQL, [
      userId,
      stravaId,
      source,
      efforts.map((effort) => effort.distance),
      efforts.map((effort) => effort.elapsedTime),
      efforts.map((effort) => effort.startOffset),
    ]);
    return rows[0]!.found === 1;
  }

  async ofRun(userId: string, stravaId: number): Promise<RunEffortsRow[]> {
    const { rows } = await this.db.query<RunEffortsRow>(RUN_BEST_EFFORTS_SQL, [userId, stravaId]);
    return rows;
  }

  async records(userId: string, year?: number): Promise<RecordRow[]> {
    const values: unknown[] = year === undefined ? [userId] : [userId, year];
    const { rows } = await this.db.query<RecordRow>(bestsSql(year !== undefined), values);
    return rows;
  }

  async progress(userId: string): Promise<BestEffortsProgress> {
    const { rows } = await this.db.query<BestEffortsProgress>(PROGRESS_SQL, [userId]);
    return rows[0]!;
  }
}
