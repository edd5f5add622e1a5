import { JobName, type JobPolicy } from '@runnerly/jobs';
import type { StravaWorkerConfig } from '../config.js';

/** The retry policy of the jobs this process produces, from its configuration. */
export function jobPolicy(config: StravaWorkerConfig): Record<JobName, JobPolicy> {
  const policy = { attempts: config.STRAVA_JOB_ATTEMPTS, backoffMs: config.STRAVA_JOB_BACKOFF_MS };
  return Object.fromEntries(Object.values(JobName).map((name) => [name, policy])) as Record<JobName, JobPolicy>;
}
