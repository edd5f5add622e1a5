import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  createRedisConnection,
  JOB_QUEUE,
  jobIds,
  type JobItem,
  JobName,
  jobOptions,
  type JobPayloads,
  QUEUE_PREFIX,
  QueueName,
} from '@runnerly/jobs';
import { MetricsService, runWithRequestId } from '@runnerly/platform';
import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import type { Counter } from 'prom-client';
import { CLOCK, type Clock } from '../common/clock.js';
import { jobPolicy } from '../common/job-policy.js';
import { HOUSEKEEPING_QUEUE } from '../common/tokens.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import { StravaPausedError } from '../rate-limit/strava-rate-limiter.js';
import { HousekeepingService } from './housekeeping.service.js';

type HousekeepingJobName =
  JobName.ScheduleSyncs | JobName.SyncStravaAthlete | JobName.DeleteRun | JobName.DeleteAthlete;
type Handlers = { [N in HousekeepingJobName]: (job: Job<JobPayloads[N]>) => Promise<unknown> };

/**
 * Runs housekeeping jobs and owns the periodic fan-out's job scheduler (BullMQ job schedulers: one
 * schedule in Redis however many workers upsert it).
 */
@Injectable()
export class HousekeepingProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HousekeepingProcessor.name);
  private worker: Worker | undefined;
  private connection: RedisClient | undefined;
  private readonly outcomes: Counter<'job' | 'outcome'>;
  private readonly handlers: Handlers;

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(HOUSEKEEPING_QUEUE) private readonly queue: Queue,
    private readonly service: HousekeepingService,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.outcomes = metrics.counter({
      name: 'strava_housekeeping_jobs_total',
      help: 'Housekeeping jobs (fan-out, webhook events) by job and outcome',
      labelNames: ['job', 'outcome'],
    });
    this.handlers = {
      [JobName.ScheduleSyncs]: (job) => this.service.handleScheduleSyncs(job.data, (data) => job.updateData(data)),
      [JobName.SyncStravaAthlete]: (job) => this.service.handleSyncStravaAthlete(job.data),
      [JobName.DeleteRun]: (job) => this.service.handleDeleteRun(job.data),
      [JobName.DeleteAthlete]: (job) => this.service.handleDeleteAthlete(job.data),
    };
    // Every job name of this queue has exactly one handler (checked at boot, as well as by tsc).
    const missing = (Object.keys(JOB_QUEUE) as JobName[]).filter(
      (name) => JOB_QUEUE[name] === QueueName.Housekeeping && !(name in this.handlers),
    );
    if (missing.length) throw new Error(`no handler for housekeeping jobs: ${missing.join(', ')}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.STRAVA_SYNC_SCHEDULER_ENABLED) {
      await this.queue.upsertJobScheduler(
        jobIds.scheduleSyncs,
        { every: this.config.STRAVA_SYNC_INTERVAL_SECONDS * 1000 },
        { name: JobName.ScheduleSyncs, data: {}, opts: jobOptions(JobName.ScheduleSyncs, jobPolicy(this.config)) },
      );
    }
    if (!this.config.STRAVA_WORKER_PROCESS_JOBS) return;
    this.connection = createRedisConnection(this.config.REDIS_URL);
    this.worker = new Worker(QueueName.Housekeeping, (job: Job, token) => this.handle(job as Job & JobItem, token), {
      connection: this.connection,
      prefix: QUEUE_PREFIX,
      concurrency: 4,
    });
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'housekeeping worker error'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }

  async handle(job: Job & JobItem, token?: string): Promise<unknown> {
    const handler = this.handlers[job.name as HousekeepingJobName] as ((job: Job) => Promise<unknown>) | undefined;
    if (!handler) throw new UnrecoverableError(`unknown housekeeping job ${job.name}`);
    const requestId = (job.data as { requestId?: string }).requestId ?? `${job.name}-${job.id}`;
    return runWithRequestId(requestId, async () => {
      try {
        const result = await handler(job);
        this.outcomes.inc({ job: job.name, outcome: 'done' });
        return result;
      } catch (error) {
        if (error instanceof StravaPausedError && token) {
          // A deauthorization check waits for Strava's window like a sync does, without using attempts.
          const waitMs = Math.max(1_000, error.until.getTime() - this.clock.now().getTime());
          await job.moveToDelayed(Date.now() + waitMs, token);
          this.outcomes.inc({ job: job.name, outcome: 'rate_limited' });
          throw new DelayedError();
        }
        this.outcomes.inc({ job: job.name, outcome: 'retry' });
        throw error;
      }
    });
  }
}
