import { Queue } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import { ImportStatus } from './import-contract.js';
import { ImportStateStore } from './import-state.store.js';
import { jobIds } from './job-ids.js';
import { type JobPolicy, jobOptions } from './job-options.js';
import type { ImportArchiveData } from './job-payloads.js';
import { JobName, QUEUE_PREFIX, QueueName } from './queue-names.js';

/** The athlete already has an import queued or running. */
export class ImportInProgressError extends Error {
  constructor(readonly importId: string) {
    super('an import of this athlete is already queued or running');
    this.name = 'ImportInProgressError';
  }
}

/** The producer side of archive imports (the dashboard), with the imports' state. */
export class ImportQueue {
  readonly queue: Queue<ImportArchiveData, void, JobName.ImportArchive>;
  readonly state: ImportStateStore;

  constructor(
    connection: RedisClient,
    private readonly policy: Partial<Record<JobName, JobPolicy>> = {},
  ) {
    this.queue = new Queue(QueueName.ArchiveImport, { connection, prefix: QUEUE_PREFIX });
    this.state = new ImportStateStore(connection);
  }

  /**
   * Takes the athlete's one import slot for `importId` before the upload is read (so a second
   * upload is refused before its bytes are spent); ImportInProgressError when another holds it.
   */
  async claim(userId: string, importId: string): Promise<void> {
    const holder = await this.state.claim(userId, importId);
    if (holder === undefined) return;
    const current = await this.state.get(holder);
    const over = !current || current.status === ImportStatus.Done || current.status === ImportStatus.Failed;
    if (!over || !(await this.state.reclaim(userId, holder, importId))) throw new ImportInProgressError(holder);
  }

  /** Queues the import of an uploaded archive (its slot claimed). */
  async enqueue(data: ImportArchiveData): Promise<void> {
    await this.state.create(data.importId, data.userId);
    await this.queue.add(JobName.ImportArchive, data, {
      ...jobOptions(JobName.ImportArchive, this.policy),
      jobId: jobIds.importArchive(data.importId),
    });
  }

  /** The upload failed: the slot is free again. */
  release(userId: string, importId: string): Promise<void> {
    return this.state.release(userId, importId);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
