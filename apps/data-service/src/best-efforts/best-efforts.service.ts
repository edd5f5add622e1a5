import { Injectable } from '@nestjs/common';
import { standardDistance } from '@runnerly/best-efforts';
import type {
  Best,
  BestEffortsProgress,
  Bests,
  PutBestEfforts,
  PutBestEffortsResult,
  RunBestEfforts,
} from '@runnerly/data-client';
import type { z } from 'zod';
import { DataException } from '../common/data.exception.js';
import { UsersRepository } from '../users/users.repository.js';
import { BestEffortsRepository } from './best-efforts.repository.js';

type ParsedPutBestEfforts = z.output<typeof PutBestEfforts>;

const distanceName = (distance: number) => standardDistance(distance)?.name ?? `${distance} m`;

@Injectable()
export class BestEffortsService {
  constructor(
    private readonly efforts: BestEffortsRepository,
    private readonly users: UsersRepository,
  ) {}

  /** Replaces the run's efforts (idempotent); 404 for an unknown user or run. */
  async replace(userId: string, stravaId: number, body: ParsedPutBestEfforts): Promise<PutBestEffortsResult> {
    if (!(await this.efforts.replace(userId, stravaId, body.source, body.efforts))) {
      await this.assertUserExists(userId);
      throw DataException.runNotFound(stravaId);
    }
    return { stravaId, source: body.source, efforts: body.efforts.length };
  }

  async ofRun(userId: string, stravaId: number): Promise<RunBestEfforts> {
    const rows = await this.efforts.ofRun(userId, stravaId);
    if (rows.length === 0) {
      await this.assertUserExists(userId);
      throw DataException.runNotFound(stravaId);
    }
    return {
      stravaId,
      source: rows[0]!.source,
      computedAt: rows[0]!.computedAt,
      efforts: rows
        .filter((row) => row.distance !== null)
        .map((row) => ({
          distance: row.distance!,
          name: distanceName(row.distance!),
          elapsedTime: row.elapsedTime!,
          startOffset: row.startOffset!,
        })),
    };
  }

  /** Per distance the best and its progression (records oldest first), shortest distance first. */
  async bests(userId: string, year?: number): Promise<Bests> {
    const records = await this.efforts.records(userId, year);
    if (records.length === 0) await this.assertUserExists(userId);
    const byDistance = new Map<number, Best>();
    for (const record of records) {
      let best = byDistance.get(record.distance);
      if (!best) {
        best = {
          distance: record.distance,
          name: distanceName(record.distance),
          elapsedTime: 0,
          run: undefined!,
          progression: [],
        };
        byDistance.set(record.distance, best);
      }
      best.elapsedTime = record.elapsedTime;
      best.run = {
        stravaId: record.stravaId,
        name: record.name,
        startDate: record.startDate,
        startDateLocal: record.startDateLocal,
      };
      best.progression.push({
        elapsedTime: record.elapsedTime,
        stravaId: record.stravaId,
        date: record.startDateLocal,
      });
    }
    return { items: [...byDistance.values()] };
  }

  async progress(userId: string): Promise<BestEffortsProgress> {
    const progress = await this.efforts.progress(userId);
    if (progress.runs === 0) await this.assertUserExists(userId);
    return progress;
  }

  private async assertUserExists(userId: string): Promise<void> {
    if (!(await this.users.exists(userId))) throw DataException.userNotFound(userId);
  }
}
