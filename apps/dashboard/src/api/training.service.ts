import { Injectable } from '@nestjs/common';
import { DataServiceClient, type RunPage, type Stats, type StatsPeriod } from '@runnerly/data-client';
import type { PersonalBests } from '@runnerly/data-client/contract';
import { callDataService } from './data-errors.js';

/** What the runner's page shows, read from the data-service for the logged-in user. */
@Injectable()
export class TrainingService {
  constructor(private readonly data: DataServiceClient) {}

  runs(userId: string, query: { limit: number; cursor?: string }): Promise<RunPage> {
    return this.call(() => this.data.listRuns(userId, query));
  }

  stats(userId: string, period: StatsPeriod): Promise<Stats> {
    return this.call(() => this.data.getStats(userId, { period }));
  }

  /**
   * Per standard distance the fastest effort within any run (the strava-worker computes each run's
   * from its streams; the data-service ranks them in SQL), and how many runs have theirs so far.
   */
  async bests(userId: string): Promise<PersonalBests> {
    const [bests, progress] = await Promise.all([
      this.call(() => this.data.getBests(userId)),
      this.call(() => this.data.getBestEffortsProgress(userId)),
    ]);
    return {
      items: bests.items.map(({ run: { stravaId, name, startDateLocal }, ...best }) => ({
        ...best,
        run: { stravaId, name, startDateLocal },
      })),
      progress,
    };
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return callDataService(fn);
  }
}
