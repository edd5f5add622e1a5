import { Injectable } from '@nestjs/common';
import { SyncCooldownError, type SyncState, SyncQueue, type SyncView } from '@runnerly/jobs';
import { AppException, currentRequestId } from '@runnerly/platform';

/** The sync state as the page sees it (`idle`: never synced). */
export function toSyncView(state: SyncState | undefined): SyncView {
  return {
    status: state?.status ?? 'idle',
    requestedAt: state?.requestedAt ?? null,
    lastStartedAt: state?.lastStartedAt ?? null,
    lastFinishedAt: state?.lastFinishedAt ?? null,
    runsAdded: state?.runsAdded ?? 0,
    progress: state?.progress ?? { pages: 0, activities: 0 },
    lastError: state?.lastError ? { code: state.lastError.code, message: state.lastError.message } : null,
    waitingUntil: state?.waitingUntil ?? null,
  };
}

@Injectable()
export class SyncStatusService {
  constructor(private readonly queue: SyncQueue) {}

  async state(userId: string): Promise<SyncView> {
    return toSyncView(await this.queue.state.get(userId));
  }

  /**
   * Queues a sync now; a request while one waits joins it (the queue deduplicates per athlete).
   * One per athlete per minute: Strava's budget is the whole application's (429 with Retry-After).
   */
  async requestNow(userId: string): Promise<SyncView> {
    const requestId = currentRequestId();
    try {
      await this.queue.requestManualSync(userId, requestId ? { requestId } : {});
    } catch (error) {
      if (!(error instanceof SyncCooldownError)) throw error;
      const seconds = error.retryAfterSeconds;
      throw new AppException(
        'sync_cooldown',
        `A sync was asked for less than a minute ago: try again in ${seconds} s`,
        429,
        { retryAfterSeconds: seconds },
        { 'retry-after': String(seconds) },
      );
    }
    return this.state(userId);
  }
}
