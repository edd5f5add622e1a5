import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEncryptionKeys, TokenCipher, TokenDecryptionError } from './token-cipher.js';

const b64 = () => randomBytes(32).toString('base64');

describe('parseEncryptionKeys', () => {
  it('reads k1:<base64>,k0:<hex>, first key current', () => {
    const keys = parseEncryptionKeys(`k1:${b64()}, k0:${randomBytes(32).toString('hex')}`);
    expect(keys.map((key) => key.id)).toEqual(['k1', 'k0']);
    expect(keys.every((key) => key.key.length === 32)).toBe(true);
  });

  it('accepts one bare key as the key `default`', () => {
    expect(parseEncryptionKeys(randomBytes(32).toString('hex'))[0]!.id).toBe('default');
  });

  it.each([
    ['', /at least one key/],
    [`k1:${randomBytes(16).toString('base64')}`, /k1 must be 32 bytes/],
    [`k 1:${b64()}`, /malformed id/],
    [`k1:${b64()},k1:${b64()}`, /unique/],
  ])('refuses %j without echoing a key', (value, message) => {
    expect(() => parseEncryptionKeys(value)).toThrow(message);
    try {
      parseEncryptionKeys(value);
    } catch (error) {
      for (const part of value.split(/[,:]/).filter((p) => p.length > 20))
        expect((error as Error).message).not.toContain(part);
    }
  });
});

describe('TokenCipher', () => {
  const [current, old] = parseEncryptionKeys(`k2:${b64()},k1:${b64()}`);

  it('round-trips with a fresh iv each time, tagged with the current key id', () => {
    const cipher = new TokenCipher([current!, old!]);
    const a = cipher.encrypt('secret', 'user-1');
    const b = cipher.encrypt('secret', 'user-1');
    expect(a.keyId).toBe('k2');
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(cipher.decrypt(a, 'user-1')).toBe('secret');
  });

  it('decrypts what an older key encrypted', () => {
    const before = new TokenCipher([old!]).encrypt('secret', 'user-1');
    expect(new TokenCipher([current!, old!]).decrypt(before, 'user-1')).toBe('secret');
  });

  it('refuses a ciphertext moved to another user, tampered with, or under an unknown key', () => {
    const cipher = new TokenCipher([current!]);
    const sealed = cipher.encrypt('secret', 'user-1');
    expect(() => cipher.decrypt(sealed, 'user-2')).toThrow(TokenDecryptionError);
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => cipher.decrypt({ ...sealed, ciphertext: tampered }, 'user-1')).toThrow(TokenDecryptionError);
    expect(() => cipher.decrypt({ ...sealed, keyId: 'k9' }, 'user-1')).toThrow(/no key with id k9/);
  });

  it('still decrypts what was stored before the cipher moved to @runnerly/config (the format is iv ‖ tag ‖ ciphertext)', () => {
    const key = Buffer.from('9f1c2e7a4b8d03f6a5e1c7b92d4f8a60e3b7c15d9a2f6e08b4c1d7a3e5f92b6c', 'hex');
    const stored = {
      keyId: 'k1',
      ciphertext: Buffer.from(
        'DAik9Btow0n7QwyblRwSrNsm3y+YaTm0Kod9v4H7TndNWU5xqMzF17/n5xNgKzlPioEWYPPm8/WIG+HWlB9YbOye',
        'base64',
      ),
    };
    expect(new TokenCipher([{ id: 'k1', key }]).decrypt(stored, 'user-1')).toBe(
      '{"accessToken":"a","refreshToken":"r"}',
    );
  });
});
