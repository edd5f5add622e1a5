import { Queue } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import { jobIds } from './job-ids.js';
import { type JobPolicy, jobOptions } from './job-options.js';
import type { EnrichAthleteData } from './job-payloads.js';
import { JobName, QUEUE_PREFIX, QueueName } from './queue-names.js';

/**
 * The producer side of the enrichment queue: one job per athlete (its deterministic id absorbs a
 * second request while one waits), which works through every run still missing best efforts.
 */
export class EnrichmentQueue {
  readonly queue: Queue<EnrichAthleteData>;

  constructor(
    connection: RedisClient,
    private readonly policy: Partial<Record<JobName, JobPolicy>> = {},
  ) {
    this.queue = new Queue<EnrichAthleteData>(QueueName.StravaEnrichment, { connection, prefix: QUEUE_PREFIX });
  }

  async request(userId: string, requestId?: string, now = new Date()): Promise<void> {
    await this.queue.add(
      JobName.EnrichAthlete,
      { userId, requestedAt: now.toISOString(), ...(requestId ? { requestId } : {}) },
      { ...jobOptions(JobName.EnrichAthlete, this.policy), jobId: jobIds.enrichAthlete(userId) },
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
