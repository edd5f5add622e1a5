import { env } from '@runnerly/config';
import { z } from 'zod';

export const StravaWorkerConfigSchema = z.object({
  STRAVA_WORKER_PORT: env.port(5002),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
});

export type StravaWorkerConfig = z.output<typeof StravaWorkerConfigSchema>;
export const STRAVA_WORKER_CONFIG = Symbol('StravaWorkerConfig');
