import { env } from '@runnerly/config';
import { RUN_SPORT_TYPES, SPORT_TYPES, STRAVA_WORKER_CALLER } from '@runnerly/data-client';
import { z } from 'zod';

const sportTypes = env
  .list([...RUN_SPORT_TYPES])
  .refine((types) => types.length > 0 && types.every((type) => (SPORT_TYPES as readonly string[]).includes(type)), {
    message: `must be a comma-separated list of Strava sport types (${SPORT_TYPES.slice(0, 4).join(', ')}, …)`,
  });

export const StravaWorkerConfigSchema = z.object({
  STRAVA_WORKER_PORT: env.port(5002),
  HOST: z.string().default('127.0.0.1'),
  /** The operator listener (metrics, docs, /queues and Bull Board): private by default; 0 picks a free port. */
  OPERATOR_HOST: env.host(),
  STRAVA_WORKER_OPERATOR_PORT: env.port(5102, 0),
  LOG_LEVEL: env.logLevel(),
  LOG_FORMAT: env.logFormat(),
  REDIS_URL: env.redisUrl(),
  DATA_SERVICE_URL: env.httpUrl('http://127.0.0.1:5001'),
  TOKEN_DEALER_URL: env.httpUrl('http://127.0.0.1:5000'),
  STRAVA_WORKER_CLIENT_ID: z.string().min(1).default(STRAVA_WORKER_CALLER.defaultId),
  STRAVA_WORKER_CLIENT_SECRET: env.password(),
  STRAVA_BASE_URL: env.httpUrl('https://www.strava.com'),
  STRAVA_CLIENT_ID: z.string().min(1),
  STRAVA_CLIENT_SECRET: env.password(),
  STRAVA_TIMEOUT_MS: env.int(10_000, 100),
  STRAVA_WEBHOOK_VERIFY_TOKEN: env.password(),
  /** When set, the worker makes sure Strava's push subscription points here at start. */
  STRAVA_WEBHOOK_CALLBACK_URL: env.httpUrl().optional(),
  /** Webhook requests per source address per minute (Strava posts from a few addresses of its own). */
  STRAVA_WEBHOOK_RATE_LIMIT_PER_SOURCE: env.int(1_200, 1),
  /** Webhook requests per minute in all, every worker process together. */
  STRAVA_WEBHOOK_RATE_LIMIT_TOTAL: env.int(6_000, 1),
  /**
   * Activities one athlete's events may have read one by one per window; beyond it the pending
   * set is dropped and the athlete gets one ordinary paged sync instead.
   */
  STRAVA_WEBHOOK_RECHECK_CAP: env.int(50, 1),
  STRAVA_WEBHOOK_RECHECK_WINDOW_SECONDS: env.int(3600, 1),
  /**
   * Least time between two checks with Strava of one athlete's deauthorization events (a GET
   * /athlete each); one arriving sooner is checked when the interval ends.
   */
  STRAVA_WEBHOOK_DEAUTHORIZATION_CHECK_SECONDS: env.int(300, 1),
  /** Least time between two listings of the push subscription when an event names an unknown one. */
  STRAVA_WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: env.int(60, 1),
  STRAVA_RUN_SPORT_TYPES: sportTypes,
  /** Whether this process keeps the periodic fan-out's job scheduler in place (one schedule for all workers). */
  STRAVA_SYNC_SCHEDULER_ENABLED: env.boolean(true),
  /** How often every connected athlete is synced (the fan-out's job scheduler). */
  STRAVA_SYNC_INTERVAL_SECONDS: env.int(3600, 1),
  /** Sync jobs run at once per worker process. */
  STRAVA_SYNC_CONCURRENCY: env.int(4, 1),
  /** `after` = newest stored run start minus this, to catch activities uploaded late. */
  STRAVA_SYNC_OVERLAP_SECONDS: env.int(3 * 24 * 3600, 0),
  /** Runs per PUT to the data-service. */
  STRAVA_SYNC_BATCH_SIZE: env.int(200, 1),
  /** Strava's (read) limits for the application; lower values from Strava's headers win. */
  STRAVA_RATE_LIMIT_15MIN: env.int(100, 1),
  STRAVA_RATE_LIMIT_DAILY: env.int(1000, 1),
  /** Most of a 15-minute window one athlete's sync may use while other syncs wait (percent). */
  STRAVA_RATE_LIMIT_ATHLETE_SHARE_PERCENT: z.coerce.number().int().min(1).max(100).default(25),
  /** Most of each window that requests made on webhook events' word may use, all athletes together. */
  STRAVA_RATE_LIMIT_EVENT_SHARE_PERCENT: z.coerce.number().int().min(1).max(100).default(20),
  /**
   * Most of each window (15 minutes and the day) the best-efforts enrichment may use, all athletes
   * together: one streams request per run; the rest stays with the syncs. Spent: it resumes when
   * the window resets (the next day for the daily one).
   */
  STRAVA_RATE_LIMIT_ENRICHMENT_SHARE_PERCENT: z.coerce.number().int().min(1).max(100).default(30),
  /** Enrichment jobs run at once per worker process. */
  STRAVA_ENRICHMENT_CONCURRENCY: env.int(2, 1),
  /** Runs one enrichment job enriches before it goes to the back of the queue (athletes take turns). */
  STRAVA_ENRICHMENT_RUNS_PER_TURN: env.int(25, 1),
  /** First retry delay of a failed job; doubles per attempt. */
  STRAVA_JOB_BACKOFF_MS: env.int(5_000, 1),
  STRAVA_JOB_ATTEMPTS: env.int(8, 1),
  /** Run the job processors in this process (false: HTTP + webhooks + producers only). */
  STRAVA_WORKER_PROCESS_JOBS: env.boolean(true),
  /** Where uploaded archives wait for their import (shared with the dashboard). */
  IMPORTS_DIR: env.importsDir(),
  /** Archive imports run at once per worker process. */
  IMPORT_CONCURRENCY: env.int(1, 1),
  /** Entries one archive's ZIP may list. */
  IMPORT_MAX_ENTRIES: env.int(200_000, 1),
  /** Inflated bytes of one file read from an archive (activities.csv, an activity file). */
  IMPORT_MAX_ENTRY_BYTES: env.int(256 * 1024 * 1024, 1),
  /** Inflated bytes read from one archive in all. */
  IMPORT_MAX_TOTAL_BYTES: env.int(16 * 1024 * 1024 * 1024, 1),
  /** Inflated / compressed of one entry above 1 MiB: beyond it a zip bomb. */
  IMPORT_MAX_RATIO: env.int(100, 2),
  /** Runs per PUT to the data-service when an import saves. */
  IMPORT_BATCH_SIZE: env.int(200, 1),
  /** Turns on Bull Board at /queues/board (operator listener) behind HTTP Basic (user `operator`); unset: no board. */
  STRAVA_WORKER_BOARD_PASSWORD: env.password().optional(),
});

export type StravaWorkerConfig = z.output<typeof StravaWorkerConfigSchema>;
export const STRAVA_WORKER_CONFIG = Symbol('StravaWorkerConfig');
