import type { RedisClient } from '@runnerly/platform';
import { ImportPhase, ImportStatus, type ImportView } from './import-contract.js';
import { KEY_PREFIX } from './queue-names.js';

/** Import state outlives its job by a week (the page can still say how the last import went). */
const TTL_SECONDS = 7 * 24 * 3600;
/** An athlete's "import in progress" claim lapses by itself if everything holding it died. */
const ACTIVE_TTL_SECONDS = 24 * 3600;

// Frees the athlete's claim only if it is still this import's.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface ImportRecord extends ImportView {
  userId: string;
}

/** Each import's state (a Redis hash) and each athlete's one import at a time. */
export class ImportStateStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = `${KEY_PREFIX}:import:`,
  ) {}

  async create(id: string, userId: string, now = new Date()): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(id), {
        userId,
        status: ImportStatus.Queued,
        total: 0,
        done: 0,
        failed: 0,
        added: 0,
        createdAt: now.toISOString(),
      })
      .expire(this.key(id), TTL_SECONDS)
      .exec();
  }

  async get(id: string): Promise<ImportRecord | undefined> {
    const hash = await this.redis.hgetall(this.key(id));
    if (!hash['userId']) return undefined;
    const view: ImportRecord = {
      id,
      userId: hash['userId'],
      status: hash['status'] as ImportStatus,
      phase: (hash['phase'] as ImportPhase | undefined) ?? null,
      total: Number(hash['total'] ?? 0),
      done: Number(hash['done'] ?? 0),
      failed: Number(hash['failed'] ?? 0),
      added: Number(hash['added'] ?? 0),
      createdAt: hash['createdAt'] ?? '',
      finishedAt: hash['finishedAt'] ?? null,
    };
    if (hash['errorCode']) view.error = { code: hash['errorCode'], message: hash['errorMessage'] ?? '' };
    return view;
  }

  async progress(
    id: string,
    progress: { phase: ImportPhase; total: number; done: number; failed: number; added?: number },
  ): Promise<void> {
    await this.redis.hset(this.key(id), { status: ImportStatus.Running, ...progress });
  }

  async markDone(id: string, added: number, now = new Date()): Promise<void> {
    await this.redis.hset(this.key(id), { status: ImportStatus.Done, added, finishedAt: now.toISOString() });
  }

  async markFailed(id: string, error: { code: string; message: string }, now = new Date()): Promise<void> {
    await this.redis.hset(this.key(id), {
      status: ImportStatus.Failed,
      errorCode: error.code,
      errorMessage: error.message,
      finishedAt: now.toISOString(),
    });
  }

  /** Claims the athlete's one import slot for `id`; answers the import holding it when taken. */
  async claim(userId: string, id: string): Promise<string | undefined> {
    const taken = await this.redis.set(this.activeKey(userId), id, 'EX', ACTIVE_TTL_SECONDS, 'NX');
    if (taken === 'OK') return undefined;
    return (await this.redis.get(this.activeKey(userId))) ?? undefined;
  }

  /** Takes over a claim whose import is over (its worker died before letting go). */
  async reclaim(userId: string, staleId: string, id: string): Promise<boolean> {
    await this.redis.eval(RELEASE, 1, this.activeKey(userId), staleId);
    return (await this.claim(userId, id)) === undefined;
  }

  async release(userId: string, id: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.activeKey(userId), id);
  }

  private key(id: string): string {
    return `${this.prefix}${id}`;
  }

  private activeKey(userId: string): string {
    return `${this.prefix}active:${userId}`;
  }
}
