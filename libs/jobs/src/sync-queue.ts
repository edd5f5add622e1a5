import { Queue } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import { jobIds } from './job-ids.js';
import { type JobPolicy, jobOptions } from './job-options.js';
import { SyncReason, type SyncAthleteData } from './job-payloads.js';
import { JobName, KEY_PREFIX, QUEUE_PREFIX, QueueName } from './queue-names.js';
import { SyncStateStore } from './sync-state.store.js';

export interface RequestSyncOptions {
  reason: SyncReason;
  requestId?: string;
}

/** A runner asked for a sync again too soon: `retryAfterSeconds` until they may. */
export class SyncCooldownError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`a sync was requested less than a minute ago; try again in ${retryAfterSeconds} s`);
    this.name = 'SyncCooldownError';
  }
}

export interface SyncQueueOptions {
  /** Least time between two manual ("sync now") requests of one athlete (default 60 s). */
  manualCooldownMs?: number;
}

/** The default time between two "sync now" requests of one athlete. */
export const MANUAL_SYNC_COOLDOWN_MS = 60_000;

// Takes the athlete's cooldown if it is free; else answers how long it still holds (ms).
const TAKE_COOLDOWN = `
if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then return 1 end
return ttl`;

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
    private readonly connection: RedisClient,
    /** Retry policy overrides (tests use tiny backoffs). */
    private readonly policy: Partial<Record<JobName, JobPolicy>> = {},
    private readonly options: SyncQueueOptions = {},
  ) {
    this.queue = new Queue(QueueName.StravaSync, { connection, prefix: QUEUE_PREFIX });
    this.state = new SyncStateStore(connection);
  }

  /**
   * "Sync now" from the runner: at most one per athlete per cooldown (every worker process and
   * dashboard shares it, in Redis), so that one runner pressing the button cannot spend the budget
   * Strava gives the whole application. Too soon: SyncCooldownError with the seconds left.
   */
  async requestManualSync(userId: string, { requestId }: { requestId?: string } = {}): Promise<RequestedSync> {
    const cooldownMs = this.options.manualCooldownMs ?? MANUAL_SYNC_COOLDOWN_MS;
    const left = (await this.connection.eval(
      TAKE_COOLDOWN,
      1,
      `${KEY_PREFIX}:sync-cooldown:${userId}`,
      cooldownMs,
    )) as number;
    if (left > 0) throw new SyncCooldownError(Math.ceil(left / 1000));
    return this.requestSync(userId, { reason: SyncReason.Manual, ...(requestId ? { requestId } : {}) });
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
