import { Injectable } from '@nestjs/common';
import { DataServiceClient, type RunPage, type Stats, type StatsPeriod } from '@runnerly/data-client';
import { callDataService } from './data-errors.js';
import { type PersonalBest, personalBests, type RunSummary } from './personal-bests.js';

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

  /** Personal bests need every run: read them page by page, keeping only what the ranking needs. */
  async bests(userId: string): Promise<{ items: PersonalBest[] }> {
    const runs: RunSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.call(() => this.data.listRuns(userId, { limit: 200, ...(cursor ? { cursor } : {}) }));
      for (const { stravaId, name, sportType, startDateLocal, distance, movingTime } of page.items) {
        runs.push({ stravaId, name, sportType, startDateLocal, distance, movingTime });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { items: personalBests(runs) };
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return callDataService(fn);
  }
}
