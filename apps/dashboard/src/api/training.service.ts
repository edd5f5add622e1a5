import { Injectable, Logger } from '@nestjs/common';
import { DataServiceClient, type RunPage, type Stats, type StatsPeriod } from '@runnerly/data-client';
import type { PersonalBests } from '@runnerly/data-client/contract';
import { AppException } from '@runnerly/platform';
import { ServiceClientError } from '@runnerly/service-client';

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
