import type { JobsOptions } from 'bullmq';
import { JobName } from './queue-names.js';

/**
 * Retry policy per job, in one place. Transient faults (data-service, token-dealer, Strava 5xx,
 * timeouts) retry with exponential backoff; what retrying cannot fix throws UnrecoverableError.
 * Rate limits never count as attempts: those jobs are parked, not failed.
 */
export interface JobPolicy {
  attempts: number;
  /** First backoff delay; doubles with each attempt. */
  backoffMs: number;
}

export const DEFAULT_JOB_POLICY: Record<JobName, JobPolicy> = {
  [JobName.SyncAthlete]: { attempts: 8, backoffMs: 5_000 },
  [JobName.ScheduleSyncs]: { attempts: 5, backoffMs: 5_000 },
  [JobName.SyncStravaAthlete]: { attempts: 8, backoffMs: 2_000 },
  [JobName.DeleteRun]: { attempts: 10, backoffMs: 2_000 },
  [JobName.DeleteAthlete]: { attempts: 10, backoffMs: 2_000 },
  [JobName.ImportArchive]: { attempts: 5, backoffMs: 5_000 },
  [JobName.EnrichAthlete]: { attempts: 8, backoffMs: 5_000 },
};

/** Finished jobs are kept a while for operators, bounded so Redis does not grow with athletes. */
const KEEP_COMPLETED = { age: 3600, count: 1000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 5000 };

export function jobOptions(name: JobName, policy: Partial<Record<JobName, JobPolicy>> = {}): JobsOptions {
  const { attempts, backoffMs } = policy[name] ?? DEFAULT_JOB_POLICY[name];
  return {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs, jitter: 0.2 },
    // Jobs with deterministic ids must disappear once done, or the id would swallow the next event.
    removeOnComplete:
      name === JobName.SyncAthlete || name === JobName.ScheduleSyncs || name === JobName.ImportArchive
        ? KEEP_COMPLETED
        : true,
    removeOnFail: KEEP_FAILED,
  };
}
