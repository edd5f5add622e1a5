import { Injectable } from '@nestjs/common';
import { MetricsService } from '@runnerly/platform';
import type { ListRunsQuery, RunPage, Stats, StatsQuery, UpsertRunsResult } from '@runnerly/data-client';
import type { z } from 'zod';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { DataException } from '../common/data.exception.js';
import { FOREIGN_KEY_VIOLATION, isPgError } from '../database/db.js';
import { UsersRepository } from '../users/users.repository.js';
import { type RunRecord, RunsRepository } from './runs.repository.js';

type ParsedListRunsQuery = z.output<typeof ListRunsQuery>;
type ParsedStatsQuery = z.output<typeof StatsQuery>;
type RunCursor = [string, number];

const UTC_SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const isRunCursor = (key: readonly unknown[]): key is RunCursor =>
  key.length === 2 && typeof key[0] === 'string' && UTC_SECOND.test(key[0]) && Number.isSafeInteger(key[1]);

@Injectable()
export class RunsService {
  private readonly upserted: ReturnType<MetricsService['counter']>;

  constructor(
    private readonly runs: RunsRepository,
    private readonly users: UsersRepository,
    metrics: MetricsService,
  ) {
    this.upserted = metrics.counter({
      name: 'data_service_runs_upserted_total',
      help: 'Runs received by PUT /users/{id}/runs, by outcome (inserted, updated, unchanged)',
      labelNames: ['outcome'],
    });
  }

  /** Idempotent batch upsert by stravaId; a stravaId given twice in one batch counts once, the last wins. */
  async upsert(
    userId: string,
    runs: readonly RunRecord[],
    options: { keepExisting?: boolean } = {},
  ): Promise<UpsertRunsResult> {
    // In stravaId order: concurrent batches that overlap then lock rows in the same order (no deadlock).
    const unique = [...new Map(runs.map((run) => [run.stravaId, run])).values()].sort(
      (a, b) => a.stravaId - b.stravaId,
    );
    if (unique.length === 0) {
      await this.assertUserExists(userId);
      return { inserted: 0, updated: 0 };
    }
    try {
      const result = await this.runs.upsert(userId, unique, options);
      this.upserted.inc({ outcome: 'inserted' }, result.inserted);
      this.upserted.inc({ outcome: 'updated' }, result.updated);
      this.upserted.inc({ outcome: 'unchanged' }, unique.length - result.inserted - result.updated);
      return result;
    } catch (error) {
      if (isPgError(error, FOREIGN_KEY_VIOLATION)) throw DataException.userNotFound(userId);
      throw error;
    }
  }

  async list(userId: string, query: ParsedListRunsQuery): Promise<RunPage> {
    const startingBelow = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isRunCursor);
    const rows = await this.runs.page(userId, {
      after: query.after,
      before: query.before,
      startingBelow,
      effortsMissing: query.efforts === 'missing',
      limit: query.limit + 1,
    });
    // An empty first page may mean "no such user": only then is it worth a second query.
    if (rows.length === 0 && startingBelow === undefined) await this.assertUserExists(userId);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor = rows.length > query.limit && last ? encodeCursor([last.startDate, last.stravaId]) : null;
    return { items, nextCursor };
  }

  /** 204 whether or not the run was there (Strava delete events may name activities never stored). */
  async delete(userId: string, stravaId: number): Promise<void> {
    if (!(await this.runs.delete(userId, stravaId))) await this.assertUserExists(userId);
  }

  async stats(userId: string, query: ParsedStatsQuery): Promise<Stats> {
    const items = await this.runs.stats(userId, query.period, { from: query.from, to: query.to });
    if (items.length === 0) await this.assertUserExists(userId);
    return { period: query.period, items };
  }

  private async assertUserExists(userId: string): Promise<void> {
    if (!(await this.users.exists(userId))) throw DataException.userNotFound(userId);
  }
}
