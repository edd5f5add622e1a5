import { env } from '@runnerly/config';
import { z } from 'zod';

export const TokenDealerConfigSchema = z.object({
  TOKEN_DEALER_PORT: env.port(5000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
});

export type TokenDealerConfig = z.output<typeof TokenDealerConfigSchema>;
export const TOKEN_DEALER_CONFIG = Symbol('TokenDealerConfig');
