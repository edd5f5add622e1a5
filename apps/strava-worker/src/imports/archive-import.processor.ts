import { mkdir } from 'node:fs/promises';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  createRedisConnection,
  type ImportArchiveData,
  type ImportStateStore,
  JobName,
  QUEUE_PREFIX,
  QueueName,
} from '@runnerly/jobs';
import { MetricsService, runWithRequestId } from '@runnerly/platform';
import { ServiceClientError } from '@runnerly/service-client';
import { ArchiveError } from '@runnerly/strava-archive';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import type { Counter } from 'prom-client';
import { WORKER_OPTIONS, type WorkerOptions } from '../common/worker-options.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import { ImportInterruptedError } from './archive-import.errors.js';
import { ArchiveImportService, IMPORT_STATE } from './archive-import.service.js';

/**
 * Runs archive imports. A refused archive fails at once (UnrecoverableError) with its reason in
 * the import's state and its files removed; a data-service or token-dealer outage is retried
 * with backoff and resumes at the checkpoint kept in the job's data; a worker that stops hands
 * the job back, and one that dies leaves it stalled for another worker to take over.
 */
@Injectable()
export class ArchiveImportProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ArchiveImportProcessor.name);
  private worker: Worker<ImportArchiveData, void> | undefined;
  private connection: RedisClient | undefined;
  private stopping = false;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(WORKER_OPTIONS) private readonly options: WorkerOptions,
    @Inject(IMPORT_STATE) private readonly state: ImportStateStore,
    private readonly imports: ArchiveImportService,
    metrics: MetricsService,
  ) {
    this.outcomes = metrics.counter({
      name: 'archive_import_jobs_total',
      help: 'Archive import jobs by outcome (done, refused, retry, failed, handed_back)',
      labelNames: ['outcome'],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.STRAVA_WORKER_PROCESS_JOBS) return;
    await mkdir(this.config.IMPORTS_DIR, { recursive: true, mode: 0o700 });
    this.connection = createRedisConnection(this.config.REDIS_URL);
    this.worker = new Worker<ImportArchiveData, void>(
      QueueName.ArchiveImport,
      (job, token) => this.handle(job, token),
      {
        connection: this.connection,
        prefix: QUEUE_PREFIX,
        concurrency: this.config.IMPORT_CONCURRENCY,
        ...(this.options.lockDurationMs
          ? { lockDuration: this.options.lockDurationMs, stalledInterval: this.options.lockDurationMs }
          : {}),
      },
    );
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'import worker error'));
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.worker?.close();
    this.connection?.disconnect();
  }

  async handle(job: Job<ImportArchiveData, void>, token?: string): Promise<void> {
    if (job.name !== JobName.ImportArchive) throw new UnrecoverableError(`unknown job ${job.name}`);
    const { importId, userId } = job.data;
    return runWithRequestId(job.data.requestId ?? `import-${importId}`, async () => {
      try {
        const result = await this.imports.import(job.data, {
          checkpoint: async (checkpoint) => {
            await job.updateData({ ...job.data, checkpoint });
          },
          shouldStop: () => this.stopping,
        });
        await this.state.markDone(importId, result.added);
        await this.finish(job.data);
        this.outcomes.inc({ outcome: 'done' });
        this.logger.log({ importId, userId, ...result }, 'archive imported');
      } catch (error) {
        if (error instanceof ImportInterruptedError) {
          await job.moveToDelayed(Date.now(), token);
          this.outcomes.inc({ outcome: 'handed_back' });
          throw new DelayedError();
        }
        if (error instanceof ArchiveError) {
          await this.state.markFailed(importId, { code: error.code, message: error.message });
          await this.finish(job.data);
          this.outcomes.inc({ outcome: 'refused' });
          this.logger.warn({ importId, userId, code: error.code }, `archive refused: ${error.message}`);
          throw new UnrecoverableError(error.message);
        }
        this.outcomes.inc({ outcome: 'retry' });
        throw error;
      }
    });
  }

  /** Out of attempts (or an error nothing can fix): the runner is told, the files go. */
  private async onFailed(job: Job<ImportArchiveData, void> | undefined, error: Error): Promise<void> {
    if (!job || error.name === 'UnrecoverableError') return;
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.logger.error({ importId: job.data.importId, err: error }, 'import failed after all attempts');
    const code = error instanceof ServiceClientError ? 'service_unavailable' : 'internal';
    await this.state
      .markFailed(job.data.importId, {
        code,
        message:
          code === 'service_unavailable'
            ? 'Runnerly could not save your runs (a service was unavailable): upload the archive again later'
            : 'The import failed unexpectedly: upload the archive again later',
      })
      .catch(() => undefined);
    await this.finish(job.data).catch(() => undefined);
    this.outcomes.inc({ outcome: 'failed' });
  }

  private async finish(job: ImportArchiveData): Promise<void> {
    await this.imports.cleanUp(job);
    await this.state.release(job.userId, job.importId);
  }
}
