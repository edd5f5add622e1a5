import { QUEUE_PREFIX } from '@runnerly/jobs';
import type { Redis } from 'ioredis';

/** Where an interrupted sync of an athlete resumes: the same `after`, the next page. */
export interface SyncCheckpoint {
  /** Epoch seconds passed to Strava as `after`. */
  after: number;
  /** The next page to fetch (1-based). */
  page: number;
}

const TTL_SECONDS = 7 * 24 * 3600;

/**
 * Checkpoints outlive the job (a sync that failed for good and is requested again later still
 * resumes), but not forever: a week-old checkpoint is dropped and the sync starts over from the
 * newest stored run.
 */
export class SyncCheckpointRepository {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = `${QUEUE_PREFIX}:sync-checkpoint:`,
  ) {}

  async get(userId: string): Promise<SyncCheckpoint | undefined> {
    const value = await this.redis.get(`${this.prefix}${userId}`);
    return value ? (JSON.parse(value) as SyncCheckpoint) : undefined;
  }

  async save(userId: string, checkpoint: SyncCheckpoint): Promise<void> {
    await this.redis.set(`${this.prefix}${userId}`, JSON.stringify(checkpoint), 'EX', TTL_SECONDS);
  }

  async clear(userId: string): Promise<void> {
    await this.redis.del(`${this.prefix}${userId}`);
  }

  /**
   * The start (epoch seconds) of the newest activity of any sport seen by a finished sync, so that
   * an athlete who mostly rides is not paged through from the beginning every time.
   */
  async getWatermark(userId: string): Promise<number | undefined> {
    const value = await this.redis.get(`${this.prefix}watermark:${userId}`);
    return value ? Number(value) : undefined;
  }

  async setWatermark(userId: string, epochSeconds: number): Promise<void> {
    await this.redis.set(`${this.prefix}watermark:${userId}`, String(epochSeconds));
  }

  /** Notes an activity that changed on Strava, for the athlete's next sync to read. */
  async addRecheck(userId: string, activityId: number): Promise<void> {
    await this.redis
      .multi()
      .sadd(this.recheckKey(userId), activityId)
      .expire(this.recheckKey(userId), TTL_SECONDS)
      .exec();
  }

  async rechecks(userId: string): Promise<number[]> {
    return (await this.redis.smembers(this.recheckKey(userId))).map(Number);
  }

  /** Only once read and stored: a sync that stops before keeps them for the next one. */
  async doneRechecks(userId: string, activityIds: number[]): Promise<void> {
    if (activityIds.length) await this.redis.srem(this.recheckKey(userId), ...activityIds);
  }

  /** Forgets everything about the athlete (deauthorized). */
  async forget(userId: string): Promise<void> {
    await this.redis.del(`${this.prefix}${userId}`, `${this.prefix}watermark:${userId}`, this.recheckKey(userId));
  }

  private recheckKey(userId: string): string {
    return `${this.prefix}recheck:${userId}`;
  }
}
