import { KEY_PREFIX } from '@runnerly/jobs';
import type { RedisClient } from '@runnerly/platform';

/** Where an interrupted sync of an athlete resumes: the same `after`, the next page. */
export interface SyncCheckpoint {
  /** Epoch seconds passed to Strava as `after`. */
  after: number;
  /** The next page to fetch (1-based). */
  page: number;
}

const TTL_SECONDS = 7 * 24 * 3600;

/** What became of an activity an event named (see `addRecheck`). */
export enum RecheckOutcome {
  Added = 'added',
  /** Already pending: an identical event costs nothing more. */
  Duplicate = 'duplicate',
  /** The athlete's cap was just passed: the pending set is dropped for one paged sync. */
  Overflow = 'overflow',
  /** Over the cap already this window: the paged sync asked for covers it (creations, not deletions). */
  Dropped = 'dropped',
}

// KEYS: the athlete's recheck set, their admissions counter of this window. ARGV: activity id, cap,
// window seconds, set TTL. Atomic, so the cap holds across worker processes.
const ADD_RECHECK = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
local admitted = redis.call('INCR', KEYS[2])
if admitted == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
local cap = tonumber(ARGV[2])
if admitted <= cap then
  redis.call('SADD', KEYS[1], ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return 1
end
if admitted == cap + 1 then
  redis.call('DEL', KEYS[1])
  return 2
end
return 3`;
const RECHECK_OUTCOMES = [
  RecheckOutcome.Duplicate,
  RecheckOutcome.Added,
  RecheckOutcome.Overflow,
  RecheckOutcome.Dropped,
];

/**
 * Checkpoints outlive the job (a sync that failed for good and is requested again later still
 * resumes), but not forever: a week-old checkpoint is dropped and the sync starts over from the
 * newest stored run.
 */
export class SyncCheckpointRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = `${KEY_PREFIX}:sync-checkpoint:`,
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

  /**
   * Notes an activity an event named, for the athlete's next sync to read with their token. At most
   * `cap` per athlete per window: the next one drops the pending set (the caller asks for one paged
   * sync instead), and the rest of the window's are dropped.
   */
  async addRecheck(
    userId: string,
    activityId: number,
    { cap, windowSeconds }: { cap: number; windowSeconds: number } = { cap: Infinity, windowSeconds: 3600 },
  ): Promise<RecheckOutcome> {
    const result = (await this.redis.eval(
      ADD_RECHECK,
      2,
      this.recheckKey(userId),
      this.admittedKey(userId),
      activityId,
      Number.isFinite(cap) ? cap : Number.MAX_SAFE_INTEGER,
      windowSeconds,
      TTL_SECONDS,
    )) as number;
    return RECHECK_OUTCOMES[result]!;
  }

  /**
   * Takes the athlete's one deauthorization check of the interval; when it is taken already,
   * answers the milliseconds until the next one may be made.
   */
  async takeDeauthorizationCheck(stravaAthleteId: number, intervalSeconds: number): Promise<number> {
    const key = `${this.prefix}deauthorization-check:${stravaAthleteId}`;
    if ((await this.redis.set(key, '1', 'EX', intervalSeconds, 'NX')) === 'OK') return 0;
    return Math.max(1, await this.redis.pttl(key));
  }

  async rechecks(userId: string): Promise<number[]> {
    return (await this.redis.smembers(this.recheckKey(userId))).map(Number);
  }

  /** Only once read and stored: a sync that stops before keeps them for the next one. */
  async doneRechecks(userId: string, activityIds: number[]): Promise<void> {
    if (activityIds.length) await this.redis.srem(this.recheckKey(userId), ...activityIds);
  }

  /** Forgets everything about the athlete (deauthorized): one DEL per key, as they lie on different slots. */
  async forget(userId: string): Promise<void> {
    const keys = [`${this.prefix}${userId}`, `${this.prefix}watermark:${userId}`];
    await Promise.all([...keys, this.recheckKey(userId), this.admittedKey(userId)].map((key) => this.redis.del(key)));
  }

  // The recheck set and its admissions counter share a hash tag (the athlete): ADD_RECHECK touches both.
  private recheckKey(userId: string): string {
    return `${this.prefix}recheck:{${userId}}`;
  }

  private admittedKey(userId: string): string {
    return `${this.prefix}recheck-admitted:{${userId}}`;
  }
}
