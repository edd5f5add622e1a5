import { env } from '@runnerly/config';
import { z } from 'zod';

export const DataServiceConfigSchema = z.object({
  DATA_SERVICE_PORT: env.port(5001),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
});

export type DataServiceConfig = z.output<typeof DataServiceConfigSchema>;
export const DATA_SERVICE_CONFIG = Symbol('DataServiceConfig');
