import { env } from '@runnerly/config';
import { z } from 'zod';

export const DashboardConfigSchema = z.object({
  DASHBOARD_PORT: env.port(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
});

export type DashboardConfig = z.output<typeof DashboardConfigSchema>;
export const DASHBOARD_CONFIG = Symbol('DashboardConfig');
