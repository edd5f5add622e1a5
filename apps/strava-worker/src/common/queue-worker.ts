import type { Logger } from '@nestjs/common';
import { createRedisConnection, QUEUE_PREFIX, type QueueName } from '@runnerly/jobs';
import { DelayedError, type Job, type Processor, Worker, type WorkerOptions as BullWorkerOptions } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import type { Clock } from './clock.js';
import type { WorkerOptions } from './worker-options.js';

/** What a processor chooses for its queue; the connection, prefix and lock come from here. */
export type QueueWorkerSettings = Omit<BullWorkerOptions, 'connection' | 'prefix' | 'lockDuration' | 'stalledInterval'>;

/**
 * One BullMQ worker's lifecycle, the same for every queue the strava-worker consumes: its own
 * blocking Redis connection, the queues' prefix, the lock a test may shorten, errors logged, and a
 * shutdown that first raises `stopping` (long jobs check it between steps and hand themselves
 * back) and then waits for the running jobs before closing the connection.
 */
export class QueueWorker<Data, Result = void> {
  private worker: Worker<Data, Result> | undefined;
  private connection: RedisClient | undefined;
  private stopped = false;

  constructor(
    private readonly queue: QueueName,
    private readonly logger: Logger,
  ) {}

  /** True once shutdown began. */
  get stopping(): boolean {
    return this.stopped;
  }

  start(
    redisUrl: string,
    options: WorkerOptions,
    settings: QueueWorkerSettings,
    handle: Processor<Data, Result>,
  ): Worker<Data, Result> {
    this.connection = createRedisConnection(redisUrl);
    this.worker = new Worker<Data, Result>(this.queue, handle, {
      ...settings,
      connection: this.connection,
      prefix: QUEUE_PREFIX,
      ...(options.lockDurationMs
        ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }
        : {}),
    });
    this.worker.on('error', (error) => this.logger.error({ err: error }, `${this.queue} worker error`));
    return this.worker;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.worker?.close();
    this.connection?.disconnect();
  }
}

/** How long to wait for Strava's window (or a share) to reset: until then, at most `maxParkMs`. */
export function waitMsUntil(until: Date, clock: Clock, maxParkMs = Infinity, minMs = 1): number {
  return Math.max(minMs, Math.min(until.getTime() - clock.now().getTime(), maxParkMs));
}

/**
 * Puts a running job back as delayed for `waitMs`, without using an attempt, and ends its run
 * (BullMQ expects the DelayedError from a processor that moved its own job).
 */
export async function delayJob(job: Job, token: string | undefined, waitMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + waitMs, token);
  throw new DelayedError();
}
