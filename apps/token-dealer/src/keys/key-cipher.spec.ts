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
    expect(() => cipher.decrypt([...parts.slice(0, 3), flipped.toString('base64url')].join('.'), 'kid-1')).toThrow(
      /cannot decrypt/,
    );
    expect(() => new KeyCipher(randomBytes(32)).decrypt(sealed, 'kid-1')).toThrow(/cannot decrypt/);
  });

  it('still decrypts what was stored before the cipher moved to @runnerly/config (only the first 32 bytes of the key count)', () => {
    const key = Buffer.concat([
      Buffer.from('9f1c2e7a4b8d03f6a5e1c7b92d4f8a60e3b7c15d9a2f6e08b4c1d7a3e5f92b6c', 'hex'),
      randomBytes(8),
    ]);
    const stored = 'v1.Ef60Buqcg72g5ur6.lMkZSDn3wdn8y2e-KFNpCw.jMzw1shbGIFPknTpd7u5rrc';
    expect(new KeyCipher(key).decrypt(stored, 'kid-1').toString()).toBe('private key bytes');
    expect(() =>
      new KeyCipher(key).decrypt('v1.Ef60Buqcg72g5ur6.lMkZSDn3wdn8y2e.jMzw1shbGIFPknTpd7u5rrc', 'kid-1'),
    ).toThrow(/cannot decrypt/);
    expect(() => new KeyCipher(key).decrypt('v2.a.b.c', 'kid-1')).toThrow(/unknown encryption format/);
  });
});
