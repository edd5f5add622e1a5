import type { RedisClient } from '@runnerly/platform';
import type { SyncReason } from './job-payloads.js';
import { KEY_PREFIX } from './queue-names.js';
import { type SyncErrorCode, type SyncProgress, SyncStatus } from './sync-contract.js';

export interface SyncError {
  code: `${SyncErrorCode}`;
  message: string;
  /** ISO 8601. */
  at: string;
}

/** What the dashboard shows about an athlete's sync. Timestamps are ISO 8601 UTC. */
export interface SyncState {
  userId: string;
  status: SyncStatus;
  reason?: SyncReason;
  requestedAt?: string;
  lastStartedAt?: string;
  lastFinishedAt?: string;
  /** Runs new to Runnerly in the last finished (or the running) sync. */
  runsAdded: number;
  progress: SyncProgress;
  lastError?: SyncError;
  /** Set while the sync waits for Strava's rate-limit window to reset. */
  waitingUntil?: string;
  /** Strava refused the athlete's tokens: no more scheduled syncs until they connect again. */
  disconnected: boolean;
}

// Queued only when not already running: a request during a sync does not hide the running one.
// Any request but a webhook's asks for a paged sync (a webhook's only reads the activities it named).
const MARK_QUEUED = `
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then
  redis.call('HSET', KEYS[1], 'status', 'queued')
end
redis.call('HSET', KEYS[1], 'requestedAt', ARGV[1], 'reason', ARGV[2])
if ARGV[2] ~= 'webhook' then redis.call('HSET', KEYS[1], 'pagedSync', '1') end
return 1`;

/**
 * Per-athlete sync state in Redis (one hash per athlete), written by the worker and by producers,
 * read by the dashboard.
 */
export class SyncStateStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = `${KEY_PREFIX}:sync-state:`,
  ) {}

  private key(userId: string): string {
    return `${this.prefix}${userId}`;
  }

  async get(userId: string): Promise<SyncState | undefined> {
    const hash = await this.redis.hgetall(this.key(userId));
    if (!hash.status) return undefined;
    return {
      userId,
      status: hash.status as SyncStatus,
      ...(hash.reason ? { reason: hash.reason as SyncReason } : {}),
      ...(hash.requestedAt ? { requestedAt: hash.requestedAt } : {}),
      ...(hash.lastStartedAt ? { lastStartedAt: hash.lastStartedAt } : {}),
      ...(hash.lastFinishedAt ? { lastFinishedAt: hash.lastFinishedAt } : {}),
      runsAdded: Number(hash.runsAdded ?? 0),
      progress: { pages: Number(hash.pages ?? 0), activities: Number(hash.activities ?? 0) },
      ...(hash.lastError ? { lastError: JSON.parse(hash.lastError) as SyncError } : {}),
      ...(hash.waitingUntil ? { waitingUntil: hash.waitingUntil } : {}),
      disconnected: hash.disconnected === '1',
    };
  }

  async markQueued(userId: string, reason: SyncReason, at = new Date()): Promise<void> {
    await this.redis.eval(MARK_QUEUED, 1, this.key(userId), at.toISOString(), reason);
  }

  /** A sync starts (counters reset) or, with `resume`, goes on after a wait (counters kept). */
  async markRunning(userId: string, at = new Date(), { resume = false }: { resume?: boolean } = {}): Promise<void> {
    const fields = resume
      ? { status: SyncStatus.Running }
      : { status: SyncStatus.Running, lastStartedAt: at.toISOString(), runsAdded: 0, pages: 0, activities: 0 };
    await this.redis.multi().hset(this.key(userId), fields).hdel(this.key(userId), 'waitingUntil').exec();
  }

  /** Adds to the running sync's counters. */
  async addProgress(userId: string, delta: { pages?: number; activities?: number; runsAdded?: number }): Promise<void> {
    const multi = this.redis.multi();
    if (delta.pages) multi.hincrby(this.key(userId), 'pages', delta.pages);
    if (delta.activities) multi.hincrby(this.key(userId), 'activities', delta.activities);
    if (delta.runsAdded) multi.hincrby(this.key(userId), 'runsAdded', delta.runsAdded);
    await multi.exec();
  }

  async markWaiting(userId: string, until: Date): Promise<void> {
    await this.redis.hset(this.key(userId), { status: SyncStatus.Queued, waitingUntil: until.toISOString() });
  }

  async markDone(userId: string, at = new Date()): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(userId), { status: SyncStatus.Done, lastFinishedAt: at.toISOString() })
      .hdel(this.key(userId), 'lastError', 'waitingUntil')
      .exec();
  }

  async markFailed(userId: string, error: Omit<SyncError, 'at'>, at = new Date()): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(userId), {
        status: SyncStatus.Failed,
        lastFinishedAt: at.toISOString(),
        lastError: JSON.stringify({ ...error, at: at.toISOString() }),
      })
      .hdel(this.key(userId), 'waitingUntil')
      .exec();
  }

  /** Records a retryable error without ending the sync (it will be retried). */
  async recordError(userId: string, error: Omit<SyncError, 'at'>, at = new Date()): Promise<void> {
    await this.redis.hset(this.key(userId), { lastError: JSON.stringify({ ...error, at: at.toISOString() }) });
  }

  /**
   * Whether a paged sync was asked for since the last one started (any request but a webhook's),
   * and clears the request: the sync that takes it pages through the athlete's new activities.
   */
  async takePagedSync(userId: string): Promise<boolean> {
    return (await this.redis.hdel(this.key(userId), 'pagedSync')) === 1;
  }

  /** Asks the athlete's next sync to page (e.g. too many webhook events to read one by one). */
  async requestPagedSync(userId: string): Promise<void> {
    await this.redis.hset(this.key(userId), { pagedSync: '1' });
  }

  /**
   * `revoked`: Strava itself said the athlete took Runnerly's access away (a refresh answered
   * invalid_grant), which a later deauthorization event may rely on once the tokens are gone.
   */
  async setDisconnected(userId: string, disconnected: boolean, revoked = false): Promise<void> {
    if (disconnected)
      await this.redis.hset(this.key(userId), { disconnected: '1', ...(revoked ? { revoked: '1' } : {}) });
    else await this.redis.hdel(this.key(userId), 'disconnected', 'revoked');
  }

  /** Whether the athlete was disconnected because Strava refused their tokens as revoked. */
  async wasRevoked(userId: string): Promise<boolean> {
    return (await this.redis.hget(this.key(userId), 'revoked')) === '1';
  }

  async isDisconnected(userId: string): Promise<boolean> {
    return (await this.redis.hget(this.key(userId), 'disconnected')) === '1';
  }

  async remove(userId: string): Promise<void> {
    await this.redis.del(this.key(userId));
  }
}
