import { Injectable, Logger } from '@nestjs/common';
import { DataServiceClient, type RunPage, type Stats, type StatsPeriod } from '@runnerly/data-client';
import { AppException } from '@runnerly/platform';
import { ServiceClientError } from '@runnerly/service-client';
import { type PersonalBest, personalBests, type RunSummary } from './personal-bests.js';

/** What the runner's page shows, read from the data-service for the logged-in user. */
@Injectable()
export class TrainingService {
  private readonly logger = new Logger(TrainingService.name);

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

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ServiceClientError && error.status === 400) {
        const body = error.body as { message?: string } | undefined;
        throw new AppException('bad_request', body?.message ?? 'Bad request', 400);
      }
      if (error instanceof ServiceClientError && error.status === 404) {
        throw new AppException('not_logged_in', 'Your account was removed: log in with Strava again', 401);
      }
      this.logger.error({ err: error }, 'data-service call failed');
      throw new AppException(
        'data_unavailable',
        'Your training data cannot be read right now. Please try again shortly.',
        503,
      );
    }
  }
}
