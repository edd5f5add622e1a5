import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobIds } from './job-ids.js';
import { type JobPolicy, jobOptions } from './job-options.js';
import { SyncReason, type SyncAthleteData } from './job-payloads.js';
import { JobName, QUEUE_PREFIX, QueueName } from './queue-names.js';
import { SyncStateStore } from './sync-state.store.js';

export interface RequestSyncOptions {
  reason: SyncReason;
  requestId?: string;
}

export interface RequestedSync {
  /** The waiting (or running) sync job of this athlete that the request joined. */
  jobId: string;
}

/**
 * The producer side of athlete syncs, used by the dashboard, the webhook and the scheduler.
 * Requests for the same athlete collapse: at most one waiting sync per athlete (plus the running
 * one), by a deterministic deduplication id.
 */
export class SyncQueue {
  readonly queue: Queue<SyncAthleteData, void, JobName.SyncAthlete>;
  readonly state: SyncStateStore;

  constructor(
    connection: Redis,
    /** Retry policy overrides (tests use tiny backoffs). */
    private readonly policy: Partial<Record<JobName, JobPolicy>> = {},
  ) {
    this.queue = new Queue(QueueName.StravaSync, { connection, prefix: QUEUE_PREFIX });
    this.state = new SyncStateStore(connection);
  }

  async requestSync(userId: string, { reason, requestId }: RequestSyncOptions): Promise<RequestedSync> {
    const requestedAt = new Date();
    if (reason === SyncReason.Connected) await this.state.setDisconnected(userId, false);
    await this.state.markQueued(userId, reason, requestedAt);
    const job = await this.queue.add(
      JobName.SyncAthlete,
      { userId, reason, requestedAt: requestedAt.toISOString(), ...(requestId ? { requestId } : {}) },
      {
        ...jobOptions(JobName.SyncAthlete, this.policy),
        deduplication: { id: jobIds.syncAthlete(userId), keepLastIfActive: true },
      },
    );
    return { jobId: job.id ?? '' };
  }

  /**
   * Many athletes at once (the scheduler's fan-out): one round trip for the states, one for the
   * jobs. Athletes already waiting are deduplicated as with `requestSync`.
   */
  async requestSyncs(userIds: string[], { reason, requestId }: RequestSyncOptions): Promise<void> {
    if (userIds.length === 0) return;
    const requestedAt = new Date();
    await Promise.all(userIds.map((userId) => this.state.markQueued(userId, reason, requestedAt)));
    await this.queue.addBulk(
      userIds.map((userId) => ({
        name: JobName.SyncAthlete,
        data: { userId, reason, requestedAt: requestedAt.toISOString(), ...(requestId ? { requestId } : {}) },
        opts: {
          ...jobOptions(JobName.SyncAthlete, this.policy),
          deduplication: { id: jobIds.syncAthlete(userId), keepLastIfActive: true },
        },
      })),
    );
  }

  /** Waiting + delayed + active sync jobs: for health and metrics. */
  async depth(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'failed');
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
