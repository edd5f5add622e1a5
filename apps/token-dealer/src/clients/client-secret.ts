import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: what a client gets once, at creation or rotation. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Secrets are 256-bit random values, so a keyed hash (HMAC-SHA-256 with a server-side pepper)
 * is as safe to store as a slow password hash and costs microseconds instead of tens of
 * milliseconds per token. A database leak without the pepper reveals nothing usable.
 */
export class ClientSecretHasher {
  private readonly dummyHash = randomBytes(32);

  constructor(private readonly pepper: Buffer) {}

  hash(secret: string): string {
    return createHmac('sha256', this.pepper).update(secret, 'utf8').digest('hex');
  }

  /** Constant-time comparison of `secret` with a stored hash; for unknown clients pass undefined to spend the same work. */
  verify(secret: string, storedHash: string | undefined): boolean {
    const actual = createHmac('sha256', this.pepper).update(secret, 'utf8').digest();
    const expected =
      storedHash !== undefined && storedHash.length === 64 ? Buffer.from(storedHash, 'hex') : this.dummyHash;
    const equal = timingSafeEqual(actual, expected);
    return equal && storedHash !== undefined;
  }
}
