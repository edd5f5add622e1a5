import { Injectable } from '@nestjs/common';
import { type SyncState, SyncQueue, SyncReason } from '@runnerly/jobs';
import { currentRequestId } from '@runnerly/platform';

/** The sync state as the page sees it (`idle`: never synced). */
export interface SyncView {
  status: SyncState['status'] | 'idle';
  requestedAt: string | null;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  runsAdded: number;
  progress: { pages: number; activities: number };
  lastError: { code: string; message: string } | null;
  waitingUntil: string | null;
}

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
export class SyncService {
  constructor(private readonly queue: SyncQueue) {}

  async state(userId: string): Promise<SyncView> {
    return toSyncView(await this.queue.state.get(userId));
  }

  /** Queues a sync now; a request while one waits joins it (the queue deduplicates per athlete). */
  async requestNow(userId: string): Promise<SyncView> {
    await this.queue.requestSync(userId, { reason: SyncReason.Manual, requestId: currentRequestId() });
    return this.state(userId);
  }
}
