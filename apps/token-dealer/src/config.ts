import { isIP } from 'node:net';
import { env } from '@runnerly/config';
import { z } from 'zod';

/**
 * Which proxies' X-Forwarded-For to believe: a number of hops, or a list of addresses/CIDRs. Never
 * "every hop" (`true`): then any caller picks the address its failures are counted against.
 */
export const trustProxy = () =>
  z
    .string()
    .default('')
    .transform((value, context): false | number | string[] => {
      const text = value.trim();
      if (text === '' || text === 'false' || text === '0') return false;
      if (/^(true|yes|\*)$/i.test(text)) {
        context.addIssue({
          code: 'custom',
          message:
            'trusting every hop lets any caller choose its address: give the number of proxies in front (e.g. 1) or their addresses/CIDRs (e.g. 10.0.0.0/8,172.16.0.5)',
        });
        return z.NEVER;
      }
      if (/^\d+$/.test(text)) return Number(text);
      const entries = text
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      const bad = entries.find((entry) => {
        const [address = '', prefix] = entry.split('/');
        const family = isIP(address);
        if (family === 0) return true;
        return prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
      });
      if (bad !== undefined) {
        context.addIssue({ code: 'custom', message: `not a hop count nor an address/CIDR list: ${bad}` });
        return z.NEVER;
      }
      return entries;
    });

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
  LOG_FORMAT: env.logFormat(),
  TOKEN_DEALER_ISSUER: env.httpUrl('http://127.0.0.1:5000'),
  TOKEN_DEALER_KEY_ENCRYPTION_KEY: env.secret(32),
  /** A new signing key every this many days (0: only by command). */
  TOKEN_DEALER_KEY_ROTATION_DAYS: env.int(30, 0),
  /** A new key is published this long before it signs, so that every verifier can learn it first. */
  TOKEN_DEALER_KEY_PUBLISH_LEAD_SECONDS: env.int(60, 0),
  /** Wrong secrets answered 401 per window, per (client id, address) and per address; beyond: 429 (the right secret always passes). */
  TOKEN_DEALER_MAX_FAILURES_PER_CLIENT_ADDRESS: env.int(20, 1),
  TOKEN_DEALER_MAX_FAILURES_PER_ADDRESS: env.int(50, 1),
  TOKEN_DEALER_FAILURE_WINDOW_SECONDS: env.int(300, 1),
  /** Proxies in front whose X-Forwarded-For is believed: a hop count or addresses/CIDRs; never `true`. */
  TOKEN_DEALER_TRUST_PROXY: trustProxy(),
});

export type TokenDealerCliConfig = z.output<typeof TokenDealerCliConfigSchema>;
export type TokenDealerConfig = z.output<typeof TokenDealerConfigSchema>;
export const TOKEN_DEALER_CONFIG = Symbol('TokenDealerConfig');
