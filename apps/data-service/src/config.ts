import { env, weakKeyReason } from '@runnerly/config';
import { z } from 'zod';
import { parseEncryptionKeys } from './strava-tokens/token-cipher.js';

export const DataServiceConfigSchema = z.object({
  DATA_SERVICE_PORT: env.port(5001),
  HOST: z.string().default('127.0.0.1'),
  /** The operator listener (metrics, docs): private by default; 0 picks a free port. */
  OPERATOR_HOST: env.host(),
  DATA_SERVICE_OPERATOR_PORT: env.port(5101, 0),
  LOG_LEVEL: env.logLevel(),
  LOG_FORMAT: env.logFormat(),
  DATABASE_URL: env.postgresUrl(),
  DATABASE_POOL_SIZE: env.int(10, 1),
  /** Where the access tokens come from: their issuer and the JWKS that verifies them. */
  TOKEN_DEALER_URL: env.httpUrl('http://127.0.0.1:5000'),
  TOKEN_DEALER_ISSUER: env.httpUrl().optional(),
  /**
   * The token-dealer's Redis, where revocations (tokens, clients, signing keys) are written. Always
   * checked: without it guarded routes answer 503, never skip the check.
   */
  REDIS_URL: env.redisUrl(),
  /** Longest token lifetime (`exp - iat`) accepted: the token-dealer's TOKEN_DEALER_TOKEN_TTL_SECONDS. */
  DATA_SERVICE_TOKEN_MAX_LIFETIME_SECONDS: env.int(900, 60),
  /** `k1:<key>[,k0:<older key>]`, 32-byte keys in base64 or hex; the first encrypts, all decrypt. */
  STRAVA_TOKEN_ENCRYPTION_KEYS: z.string().transform((value, context) => {
    try {
      const keys = parseEncryptionKeys(value);
      for (const { key } of keys) {
        const reason = weakKeyReason(key);
        if (reason) throw new Error(`is a weak secret (${reason}); generate one, e.g. openssl rand -base64 32`);
      }
      return keys;
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
  /** At most this many runs in one `PUT /users/{id}/runs` (413 beyond). */
  DATA_SERVICE_MAX_RUNS_PER_REQUEST: env.int(1000, 1),
  /** Largest accepted request body, in bytes (413 beyond). */
  DATA_SERVICE_BODY_LIMIT_BYTES: env.int(8 * 1024 * 1024, 1024),
});

export type DataServiceConfig = z.output<typeof DataServiceConfigSchema>;
export const DATA_SERVICE_CONFIG = Symbol('DataServiceConfig');
