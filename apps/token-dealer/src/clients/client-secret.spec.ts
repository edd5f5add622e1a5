import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClientSecretHasher, generateClientSecret } from './client-secret.js';
import { parseScopes } from './clients.service.js';

describe('client secrets', () => {
  it('are 256 random bits, URL-safe', () => {
    const secret = generateClientSecret();
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateClientSecret()).not.toBe(secret);
  });

  it('are stored as a peppered HMAC and verified against it', () => {
    const hasher = new ClientSecretHasher(randomBytes(32));
    const secret = generateClientSecret();
    const hash = hasher.hash(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toBe(new ClientSecretHasher(randomBytes(32)).hash(secret));
    expect(hasher.verify(secret, hash)).toBe(true);
    expect(hasher.verify(`${secret}x`, hash)).toBe(false);
    expect(hasher.verify(secret, undefined)).toBe(false);
    expect(hasher.verify(secret, 'short')).toBe(false);
  });

  it('parses space-separated scopes without duplicates', () => {
    expect(parseScopes(' runs:read  users:read runs:read ')).toEqual(['runs:read', 'users:read']);
    expect(parseScopes(['a b', 'c'])).toEqual(['a', 'b', 'c']);
  });
});
