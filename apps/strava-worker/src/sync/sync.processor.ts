import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  createRedisConnection,
  type EnrichmentQueue,
  JobName,
  QUEUE_PREFIX,
  QueueName,
  type SyncAthleteData,
  SyncErrorCode,
  type SyncQueue,
  type SyncStateStore,
} from '@runnerly/jobs';
import { MetricsService, runWithRequestId } from '@runnerly/platform';
import { ServiceClientError } from '@runnerly/service-client';
import { StravaError } from '@runnerly/strava';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import type { Counter } from 'prom-client';
import { CLOCK, type Clock } from '../common/clock.js';
import { ENRICHMENT_QUEUE, SYNC_QUEUE, SYNC_STATE } from '../common/tokens.js';
import { WORKER_OPTIONS, type WorkerOptions } from '../common/worker-options.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import {
  AthleteShareExceededError,
  EventShareExceededError,
  StravaPausedError,
} from '../rate-limit/strava-rate-limiter.js';
import { SyncAbortedError, SyncHandedBackError } from './sync.errors.js';
import { SyncService } from './sync.service.js';

/**
 * Runs sync jobs. Strava's limits park the whole queue (all workers) until the window resets:
 * the job goes back to waiting without using an attempt. What retrying cannot fix fails at once.
 */
@Injectable()
export class SyncProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SyncProcessor.name);
  private worker: Worker<SyncAthleteData, void> | undefined;
  private connection: RedisClient | undefined;
  private stopping = false;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(WORKER_OPTIONS) private readonly options: WorkerOptions,
    @Inject(SYNC_QUEUE) private readonly syncQueue: SyncQueue,
    @Inject(SYNC_STATE) private readonly state: SyncStateStore,
    @Inject(ENRICHMENT_QUEUE) private readonly enrichment: EnrichmentQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sync: SyncService,
    metrics: MetricsService,
  ) {
    this.outcomes = metrics.counter({
      name: 'strava_sync_jobs_total',
      help: 'Athlete sync jobs by outcome (done, rate_limited, fair_share, event_share, handed_back, retry, failed)',
      labelNames: ['outcome'],
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.STRAVA_WORKER_PROCESS_JOBS) return;
    this.connection = createRedisConnection(this.config.REDIS_URL);
    this.worker = new Worker<SyncAthleteData, void>(QueueName.StravaSync, (job, token) => this.handle(job, token), {
      connection: this.connection,
      prefix: QUEUE_PREFIX,
      concurrency: this.config.STRAVA_SYNC_CONCURRENCY,
      // Jobs are not limited by count; a limiter must exist for `queue.rateLimit()` to park the queue.
      limiter: { max: 1_000_000, duration: 1_000 },
      maximumRateLimitDelay: this.options.maxParkMs ?? 30_000,
      ...(this.options.lockDurationMs
        ? { lockDuration: this.options.lockDurationMs, stalledInterval: this.options.lockDurationMs }
        : {}),
    });
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'sync worker error'));
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.worker?.close();
    this.connection?.disconnect();
  }

  async handle(job: Job<SyncAthleteData, void>, token?: string): Promise<void> {
    if (job.name !== JobName.SyncAthlete) throw new UnrecoverableError(`unknown job ${job.name}`);
    const { userId } = job.data;
    return runWithRequestId(job.data.requestId ?? `sync-${job.id}`, async () => {
      await this.state.markRunning(userId, this.clock.now(), { resume: await this.sync.isResuming(userId) });
      try {
        const outcome = await this.sync.sync(userId, {
          shouldStop: () => this.stopping,
          reason: job.data.reason,
          othersWaiting: async () => (await this.syncQueue.queue.getWaitingCount()) > 0,
        });
        await this.state.markDone(userId, this.clock.now());
        this.outcomes.inc({ outcome: 'done' });
        this.logger.log({ userId, ...outcome, reason: job.data.reason }, 'athlete synced');
        // New runs (a webhook's too) get their best efforts next, on the enrichment's own budget share.
        await this.enrichment
          .request(userId, job.data.requestId, this.clock.now())
          .catch((error: unknown) => this.logger.warn({ userId, err: error }, 'could not queue the enrichment'));
      } catch (error) {
        await this.onError(job, token, error);
      }
    });
  }

  private async onError(job: Job<SyncAthleteData, void>, token: string | undefined, error: unknown): Promise<never> {
    const { userId } = job.data;
    if (error instanceof StravaPausedError) {
      const waitMs = Math.max(
        1,
        Math.min(error.until.getTime() - this.clock.now().getTime(), this.options.maxParkMs ?? Infinity),
      );
      await this.state.markWaiting(userId, error.until);
      if (error.reason === 'app_inactive')
        await this.state.recordError(userId, { code: SyncErrorCode.AppInactive, message: error.message });
      await this.syncQueue.queue.rateLimit(waitMs);
      this.outcomes.inc({ outcome: 'rate_limited' });
      this.logger.warn(
        { userId, until: error.until.toISOString(), reason: error.reason },
        'Strava paused: sync parked',
      );
      throw Worker.RateLimitError();
    }
    if (error instanceof AthleteShareExceededError) {
      // Others wait (or webhook-driven reads used their share): this athlete's sync steps aside
      // until the window resets and resumes from its checkpoint (no attempt used); the others run
      // meanwhile.
      const waitMs = Math.max(
        1,
        Math.min(error.until.getTime() - this.clock.now().getTime(), this.options.maxParkMs ?? Infinity),
      );
      await job.moveToDelayed(Date.now() + waitMs, token);
      await this.state.markWaiting(userId, error.until);
      this.outcomes.inc({ outcome: error instanceof EventShareExceededError ? 'event_share' : 'fair_share' });
      this.logger.log({ userId, until: error.until.toISOString() }, `${error.message}: sync parked`);
      throw new DelayedError();
    }
    if (error instanceof SyncHandedBackError) {
      await job.moveToDelayed(Date.now(), token);
      await this.state.markWaiting(userId, this.clock.now());
      this.outcomes.inc({ outcome: 'handed_back' });
      throw new DelayedError();
    }
    if (error instanceof SyncAbortedError) {
      await this.state.markFailed(userId, { code: error.code, message: error.message }, this.clock.now());
      this.outcomes.inc({ outcome: 'failed' });
      this.logger.warn({ userId, code: error.code }, error.message);
      throw new UnrecoverableError(error.message);
    }
    await this.state.recordError(userId, describe(error), this.clock.now());
    this.outcomes.inc({ outcome: 'retry' });
    throw error;
  }

  /** A job out of attempts: the athlete's state says so (unrecoverable ones were recorded already). */
  private async onFailed(job: Job<SyncAthleteData, void> | undefined, error: Error): Promise<void> {
    if (!job || error instanceof UnrecoverableError || error.name === 'UnrecoverableError') return;
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.logger.error({ userId: job.data.userId, err: error }, 'sync failed after all attempts');
    await this.state.markFailed(job.data.userId, describe(error), this.clock.now()).catch(() => undefined);
    this.outcomes.inc({ outcome: 'failed' });
  }
}

function describe(error: unknown): { code: SyncErrorCode; message: string } {
  if (error instanceof StravaError) return { code: SyncErrorCode.StravaUnavailable, message: error.message };
  if (error instanceof ServiceClientError) {
    const code = error.kind === 'token' ? SyncErrorCode.TokenDealerUnavailable : SyncErrorCode.DataServiceUnavailable;
    return { code, message: error.message };
  }
  return { code: SyncErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
}
