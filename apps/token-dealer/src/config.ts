import { env } from '@runnerly/config';
import { z } from 'zod';

/** What the token-dealer's command line needs: the database and the secret pepper. */
export const TokenDealerCliConfigSchema = z.object({
  DATABASE_URL: env.postgresUrl(),
  REDIS_URL: env.redisUrl(),
  TOKEN_DEALER_PEPPER: env.secret(32),
  TOKEN_DEALER_KEY_ENCRYPTION_KEY: env.secret(32).optional(),
  TOKEN_DEALER_TOKEN_TTL_SECONDS: env.int(900, 60),
});

export const TokenDealerConfigSchema = TokenDealerCliConfigSchema.extend({
  TOKEN_DEALER_PORT: env.port(5000),
  HOST: z.string().default('127.0.0.1'),
  /** The operator listener (metrics, docs): private by default; 0 picks a free port. */
  OPERATOR_HOST: env.host(),
  TOKEN_DEALER_OPERATOR_PORT: env.port(5100, 0),
  LOG_LEVEL: env.logLevel(),
  TOKEN_DEALER_ISSUER: env.httpUrl('http://127.0.0.1:5000'),
  TOKEN_DEALER_KEY_ENCRYPTION_KEY: env.secret(32),
  /** A new signing key every this many days (0: only by command). */
  TOKEN_DEALER_KEY_ROTATION_DAYS: env.int(30, 0),
  /** A new key is published this long before it signs, so that every verifier can learn it first. */
  TOKEN_DEALER_KEY_PUBLISH_LEAD_SECONDS: env.int(60, 0),
  /** Failed client authentications tolerated per window, per client id and per IP address. */
  TOKEN_DEALER_MAX_FAILURES_PER_CLIENT: env.int(20, 1),
  TOKEN_DEALER_MAX_FAILURES_PER_IP: env.int(50, 1),
  TOKEN_DEALER_FAILURE_WINDOW_SECONDS: env.int(300, 1),
  TOKEN_DEALER_TRUST_PROXY: env.boolean(false),
});

export type TokenDealerCliConfig = z.output<typeof TokenDealerCliConfigSchema>;
export type TokenDealerConfig = z.output<typeof TokenDealerConfigSchema>;
export const TOKEN_DEALER_CONFIG = Symbol('TokenDealerConfig');

/** The bytes of a secret given as hex or base64 (validated by env.secret). */
export function secretBytes(value: string): Buffer {
  return /^[0-9a-f]+$/i.test(value) && value.length % 2 === 0 ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}
