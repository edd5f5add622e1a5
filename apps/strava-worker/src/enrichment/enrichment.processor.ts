import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { createRedisConnection, type EnrichAthleteData, JobName, QUEUE_PREFIX, QueueName } from '@runnerly/jobs';
import { MetricsService, runWithRequestId } from '@runnerly/platform';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import type { Counter } from 'prom-client';
import { CLOCK, type Clock } from '../common/clock.js';
import { WORKER_OPTIONS, type WorkerOptions } from '../common/worker-options.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import { AthleteShareExceededError, StravaPausedError } from '../rate-limit/strava-rate-limiter.js';
import { SyncAbortedError } from '../sync/sync.errors.js';
import { EnrichmentService } from './enrichment.service.js';

/**
 * Runs enrichment jobs. A spent budget or enrichment share is no failure: the job is delayed until
 * the window resets (the next day when the daily share is spent) and carries on from the runs
 * still missing efforts. A job that used its turn goes to the back of the queue (athletes alternate).
 */
@Injectable()
export class EnrichmentProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EnrichmentProcessor.name);
  private worker: Worker<EnrichAthleteData, void> | undefined;
  private connection: RedisClient | undefined;
  private stopping = false;
  private readonly outcomes: Counter<'outcome'>;
  private readonly runs: Counter<'source'>;

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(WORKER_OPTIONS) private readonly options: WorkerOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly enrichment: EnrichmentService,
    metrics: MetricsService,
  ) {
    this.outcomes = metrics.counter({
      name: 'strava_enrichment_jobs_total',
      help: 'Best-efforts enrichment job turns by outcome (done, turn_used, waiting_for_budget, retry, failed)',
      labelNames: ['outcome'],
    });
    this.runs = metrics.counter({
      name: 'strava_enrichment_runs_total',
      help: 'Runs given best efforts, by source (streams, distance, summary)',
      labelNames: ['source'],
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.STRAVA_WORKER_PROCESS_JOBS) return;
    this.connection = createRedisConnection(this.config.REDIS_URL);
    this.worker = new Worker<EnrichAthleteData, void>(
      QueueName.StravaEnrichment,
      (job, token) => this.handle(job, token),
      {
        connection: this.connection,
        prefix: QUEUE_PREFIX,
        concurrency: this.config.STRAVA_ENRICHMENT_CONCURRENCY,
        ...(this.options.lockDurationMs
          ? { lockDuration: this.options.lockDurationMs, stalledInterval: this.options.lockDurationMs }
          : {}),
      },
    );
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'enrichment worker error'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.worker?.close();
    this.connection?.disconnect();
  }

  async handle(job: Job<EnrichAthleteData, void>, token?: string): Promise<void> {
    if (job.name !== JobName.EnrichAthlete) throw new UnrecoverableError(`unknown job ${job.name}`);
    const { userId } = job.data;
    return runWithRequestId(job.data.requestId ?? `enrich-${job.id}`, async () => {
      let outcome;
      try {
        outcome = await this.enrichment.enrich(userId, { shouldStop: () => this.stopping });
      } catch (error) {
        return this.onError(job, token, error);
      }
      for (const [source, count] of Object.entries(outcome.runs)) if (count) this.runs.inc({ source }, count);
      this.logger.log({ userId, ...outcome }, outcome.done ? 'runs enriched' : 'enrichment turn used');
      if (outcome.done) {
        this.outcomes.inc({ outcome: 'done' });
        return;
      }
      this.outcomes.inc({ outcome: 'turn_used' });
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    });
  }

  private async onError(job: Job<EnrichAthleteData, void>, token: string | undefined, error: unknown): Promise<never> {
    const { userId } = job.data;
    if (error instanceof StravaPausedError || error instanceof AthleteShareExceededError) {
      const waitMs = Math.max(
        1,
        Math.min(error.until.getTime() - this.clock.now().getTime(), this.options.maxParkMs ?? Infinity),
      );
      await job.moveToDelayed(Date.now() + waitMs, token);
      this.outcomes.inc({ outcome: 'waiting_for_budget' });
      this.logger.log({ userId, until: error.until.toISOString() }, `${error.message}: enrichment delayed`);
      throw new DelayedError();
    }
    if (error instanceof SyncAbortedError) {
      // Not connected any more (revoked, scope withdrawn): nothing to read streams with.
      this.outcomes.inc({ outcome: 'failed' });
      throw new UnrecoverableError(error.message);
    }
    this.outcomes.inc({ outcome: 'retry' });
    throw error;
  }
}
