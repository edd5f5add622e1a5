import { env } from '@runnerly/config';
import { z } from 'zod';

export const StravaSandboxConfigSchema = z.object({
  STRAVA_SANDBOX_PORT: env.port(5003),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
});

export type StravaSandboxConfig = z.output<typeof StravaSandboxConfigSchema>;
export const STRAVA_SANDBOX_CONFIG = Symbol('StravaSandboxConfig');
