import { env } from '@runnerly/config';
import { z } from 'zod';

export const StravaSandboxConfigSchema = z.object({
  STRAVA_SANDBOX_PORT: env.port(5003),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
  LOG_FORMAT: env.logFormat(),
  /** The one application the sandbox knows. Public defaults for standalone use; `pnpm start` passes generated ones. */
  STRAVA_CLIENT_ID: z.string().regex(/^\d+$/, 'must be a numeric Strava client id').default('100001'),
  STRAVA_CLIENT_SECRET: z.string().min(8).default('sandbox-client-secret-not-for-production'),
  STRAVA_SANDBOX_SEED: env.int(20_261_123),
  STRAVA_SANDBOX_ATHLETES: env.int(4, 1),
  /** Last day of the seeded history (YYYY-MM-DD); default: today (UTC). */
  STRAVA_SANDBOX_HISTORY_END: z
    .string()
    .regex(/^\d{4}-\d\d-\d\d$/, 'must be a date YYYY-MM-DD')
    .optional(),
  STRAVA_SANDBOX_RATE_LIMIT_15MIN: env.int(200, 1),
  STRAVA_SANDBOX_RATE_LIMIT_DAILY: env.int(2000, 1),
  STRAVA_SANDBOX_READ_RATE_LIMIT_15MIN: env.int(100, 1),
  STRAVA_SANDBOX_READ_RATE_LIMIT_DAILY: env.int(1000, 1),
  /** Every Nth page of /athlete/activities comes back short before the end (0: never). */
  STRAVA_SANDBOX_SHORT_PAGE_EVERY: env.int(3),
  /** Pause between webhook delivery attempts. */
  STRAVA_SANDBOX_WEBHOOK_RETRY_DELAY_MS: env.int(1000),
});

export type StravaSandboxConfig = z.output<typeof StravaSandboxConfigSchema>;
export const STRAVA_SANDBOX_CONFIG = Symbol('StravaSandboxConfig');
