import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyCipher } from './key-cipher.js';

describe('KeyCipher', () => {
  const cipher = new KeyCipher(randomBytes(32));

  it('round-trips a private key and never stores it in clear', () => {
    const secret = randomBytes(64);
    const sealed = cipher.encrypt(secret, 'kid-1');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed).not.toContain(secret.toString('base64url'));
    expect(cipher.decrypt(sealed, 'kid-1').equals(secret)).toBe(true);
  });

  it('refuses another kid, a tampered ciphertext and a wrong key', () => {
    const sealed = cipher.encrypt(randomBytes(32), 'kid-1');
    expect(() => cipher.decrypt(sealed, 'kid-2')).toThrow(/cannot decrypt/);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => cipher.decrypt([...parts.slice(0, 3), flipped.toString('base64url')].join('.'), 'kid-1')).toThrow(/cannot decrypt/);
    expect(() => new KeyCipher(randomBytes(32)).decrypt(sealed, 'kid-1')).toThrow(/cannot decrypt/);
  });
});
