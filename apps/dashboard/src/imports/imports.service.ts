import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { ImportInProgressError, ImportQueue, type ImportView } from '@runnerly/jobs';
import { AppException, currentRequestId } from '@runnerly/platform';
import type { RedisClient } from '@runnerly/platform';
import { REDIS } from '../connections/connections.module.js';
import { DASHBOARD_CONFIG, type DashboardConfig } from '../config.js';
import { receiveArchive } from './archive-upload.js';

const DAY_SECONDS = 24 * 3600;

@Injectable()
export class ImportsService {
  constructor(
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly queue: ImportQueue,
  ) {}

  /**
   * An upload: the athlete's one import at a time, the daily limit, then the archive streamed to
   * IMPORTS_DIR (the worker reads it from there) and the import queued.
   */
  async start(userId: string, req: IncomingMessage): Promise<{ id: string }> {
    const id = randomUUID();
    try {
      await this.queue.claim(userId, id);
    } catch (error) {
      if (!(error instanceof ImportInProgressError)) throw error;
      throw new AppException('import_in_progress', 'An import of your archive is already under way', 409, {
        id: error.importId,
      });
    }
    const file = `${id}.zip`;
    try {
      await this.takeRateLimit(userId);
      await mkdir(this.config.IMPORTS_DIR, { recursive: true, mode: 0o700 });
      await receiveArchive(req, join(this.config.IMPORTS_DIR, file), this.config.IMPORT_MAX_BYTES);
      const requestId = currentRequestId();
      await this.queue.enqueue({
        importId: id,
        userId,
        file,
        requestedAt: new Date().toISOString(),
        ...(requestId ? { requestId } : {}),
      });
    } catch (error) {
      await this.queue.release(userId, id);
      throw error;
    }
    return { id };
  }

  /** Only the athlete's own imports: anyone else's is as unknown as a made-up id. */
  async get(userId: string, id: string): Promise<ImportView> {
    const record = await this.queue.state.get(id);
    if (!record || record.userId !== userId) throw new AppException('import_not_found', 'No such import', 404);
    const { userId: _owner, ...view } = record;
    return view;
  }

  private async takeRateLimit(userId: string): Promise<void> {
    const key = `runnerly:import-uploads:${userId}`;
    const [[, count] = [null, 0], [, ttl] = [null, -1]] = (await this.redis.multi().incr(key).ttl(key).exec()) as [
      Error | null,
      number,
    ][];
    if (ttl < 0) await this.redis.expire(key, DAY_SECONDS);
    if (count > this.config.IMPORT_UPLOADS_PER_DAY) {
      const retryAfter = Math.max(1, ttl < 0 ? DAY_SECONDS : ttl);
      throw new AppException(
        'import_rate_limited',
        `At most ${this.config.IMPORT_UPLOADS_PER_DAY} archive uploads a day: try again later`,
        429,
        { retryAfterSeconds: retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    }
  }
}
