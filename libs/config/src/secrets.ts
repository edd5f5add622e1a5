import { createHash, timingSafeEqual } from 'node:crypto';

/** The bytes of a secret given as hex (an even number of hex digits) or base64/base64url; undefined otherwise. */
export function decodeSecret(value: string): Buffer | undefined {
  if (/^[0-9a-f]+$/i.test(value) && value.length % 2 === 0) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]+=*$/.test(value)) return Buffer.from(value, 'base64');
  return undefined;
}

/** The bytes of a secret that `env.secret` already validated (so it does decode). */
export function secretBytes(value: string): Buffer {
  const bytes = decodeSecret(value);
  if (!bytes) throw new Error('a secret must be hex or base64 encoded');
  return bytes;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether two strings (tokens, passwords, credentials) are equal, in a time that depends on
 * neither's content nor length: their UTF-8 bytes are hashed and the digests compared in constant
 * time. Never throws: a value with the right number of characters but not of bytes (multi-byte
 * characters) is simply unequal.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
