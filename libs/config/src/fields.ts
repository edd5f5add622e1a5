import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { parseRedisUrl } from './redis-url.js';
import { decodeSecret } from './secrets.js';
import { weakKeyReason, weakSecretReason } from './weak-secret.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;

function urlWithProtocols(protocols: string[]) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );
}

const weakSecretMessage = (reason: string) =>
  `is a weak secret (${reason}); generate one, e.g. openssl rand -base64 32`;

/** Adds an issue when `value` is an obviously weak secret (see weakSecretReason). */
export function checkSecret(value: string, context: z.RefinementCtx, minLength = 16): void {
  const decoded = /^[0-9a-f]+$/i.test(value) || /^[A-Za-z0-9+/_-]+=*$/.test(value) ? decodeSecret(value) : undefined;
  // A passphrase base64-encoded is still a passphrase: its text is checked as well as its bytes.
  const text = decoded && /^[\x20-\x7e]+$/.test(decoded.toString('latin1')) ? decoded.toString('latin1') : undefined;
  const reason =
    weakSecretReason(value, minLength) ??
    (text ? weakSecretReason(text, minLength) : undefined) ??
    (decoded && decoded.length >= 16 ? weakKeyReason(decoded) : undefined);
  if (reason) context.addIssue({ code: 'custom', message: weakSecretMessage(reason) });
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return undefined;
  }
}

/** A connection URL whose password, when it has one, must not be obviously weak. */
function withStrongPassword(field: z.ZodType<string>) {
  return field.superRefine((value, context) => {
    const password = passwordOf(value);
    if (!password) return;
    const reason = weakSecretReason(password);
    if (reason) context.addIssue({ code: 'custom', message: `holds a weak password (${reason})` });
  });
}

/** Building blocks for the per-app configuration schemas: one place for formats and defaults. */
export const env = {
  httpUrl: (defaultUrl?: string) => {
    const field = urlWithProtocols(['http:', 'https:']).transform((value) => value.replace(/\/+$/, ''));
    return defaultUrl === undefined ? field : field.default(defaultUrl);
  },
  /** A port; `min` 0 lets the system pick a free one (tests). */
  port: (defaultPort: number, min = 1) => z.coerce.number().int().min(min).max(65535).default(defaultPort),
  /** A bind address. */
  host: (defaultHost = '127.0.0.1') => z.string().min(1).default(defaultHost),
  postgresUrl: () =>
    withStrongPassword(urlWithProtocols(['postgres:', 'postgresql:'])).default(
      'postgres://postgres@127.0.0.1:5432/runnerly',
    ),
  /**
   * One Redis (`redis://`, `rediss://`) or a Redis Cluster (`redis-cluster://host:port,host:port`,
   * `rediss-cluster://`): see parseRedisUrl. Its password, when it has one, must not be weak.
   */
  redisUrl: () =>
    z
      .string()
      .superRefine((value, context) => {
        let password: string | undefined;
        try {
          password = parseRedisUrl(value).password;
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
          return;
        }
        const reason = password ? weakSecretReason(password) : undefined;
        if (reason) context.addIssue({ code: 'custom', message: `holds a weak password (${reason})` });
      })
      .default('redis://127.0.0.1:6379'),
  /** A password, client secret or token typed or generated as text: at least `minLength` characters, not obviously weak. */
  password: (minLength = 16) =>
    z.string().superRefine((value, context) => {
      const reason = weakSecretReason(value, minLength);
      if (reason) context.addIssue({ code: 'custom', message: weakSecretMessage(reason) });
    }),
  logLevel: () => z.enum(LOG_LEVELS).default('info'),
  /**
   * `json` (one JSON object per line: the contract) or `pretty` (one coloured line per event, for
   * people). Unset: pretty on a terminal, JSON otherwise (decided by the platform's logger).
   */
  logFormat: () => z.enum(LOG_FORMATS).optional(),
  /** A secret given as at least `bytes` bytes of base64 or hex. */
  secret: (bytes = 32) =>
    z
      .string()
      .refine((value) => (decodeSecret(value)?.length ?? 0) >= bytes, {
        message: `must be at least ${bytes} bytes, hex or base64 encoded`,
        abort: true,
      })
      .superRefine((value, context) => checkSecret(value, context)),
  boolean: (defaultValue: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(defaultValue ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  /**
   * The directory the dashboard streams uploaded archives into and the worker reads them from:
   * the same default for both, so one machine needs nothing set (containers share a volume).
   */
  importsDir: () =>
    z.string().refine(isAbsolute, 'must be an absolute path').default(join(tmpdir(), 'runnerly-imports')),
  /** A whole number of seconds (or milliseconds, whatever the field name says). */
  int: (defaultValue: number, min = 0) => z.coerce.number().int().min(min).default(defaultValue),
  list: (defaultValue: string[]) =>
    z
      .string()
      .default(defaultValue.join(','))
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      ),
};
