import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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

/** Building blocks for the per-app configuration schemas: one place for formats and defaults. */
export const env = {
  port: (defaultPort: number) => z.coerce.number().int().min(1).max(65535).default(defaultPort),
  httpUrl: (defaultUrl?: string) => {
    const field = urlWithProtocols(['http:', 'https:']).transform((value) => value.replace(/\/+$/, ''));
    return defaultUrl === undefined ? field : field.default(defaultUrl);
  },
  postgresUrl: () => urlWithProtocols(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/runnerly'),
  redisUrl: () => urlWithProtocols(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  logLevel: () => z.enum(LOG_LEVELS).default('info'),
  /** A secret given as at least `bytes` bytes of base64 or hex. */
  secret: (bytes = 32) =>
    z.string().refine(
      (value) => decodeSecret(value)?.length !== undefined && (decodeSecret(value)?.length ?? 0) >= bytes,
      { message: `must be at least ${bytes} bytes, hex or base64 encoded` },
    ),
  boolean: (defaultValue: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(defaultValue ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  /** A whole number of seconds (or milliseconds, whatever the field name says). */
  int: (defaultValue: number, min = 0) => z.coerce.number().int().min(min).default(defaultValue),
  list: (defaultValue: string[]) =>
    z
      .string()
      .default(defaultValue.join(','))
      .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean)),
};

export function decodeSecret(value: string): Buffer | undefined {
  if (/^[0-9a-f]+$/i.test(value) && value.length % 2 === 0) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]+=*$/.test(value)) return Buffer.from(value, 'base64');
  return undefined;
}
