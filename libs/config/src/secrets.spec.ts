import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSecret, safeEqual, secretBytes } from './secrets.js';

describe('decodeSecret', () => {
  it('reads hex (an even number of digits), base64 and base64url', () => {
    const bytes = randomBytes(32);
    for (const encoding of ['hex', 'base64', 'base64url'] as const)
      expect(decodeSecret(bytes.toString(encoding))).toEqual(bytes);
    expect(decodeSecret('abc')).toEqual(Buffer.from('abc', 'base64'));
    expect(decodeSecret('not a secret!')).toBeUndefined();
    expect(() => secretBytes('not a secret!')).toThrow(/hex or base64/);
  });
});

describe('safeEqual', () => {
  it('is true for equal strings only, whatever their lengths', () => {
    const token = randomBytes(24).toString('base64url');
    expect(safeEqual(token, token.slice())).toBe(true);
    expect(safeEqual(token, `${token.slice(0, -1)}A`)).toBe(token.endsWith('A'));
    expect(safeEqual(token, token.slice(0, -1))).toBe(false);
    expect(safeEqual(token, '')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });

  it('compares UTF-8 bytes: the right number of characters but not of bytes is unequal, not an error', () => {
    expect(safeEqual('abcd', 'abcé')).toBe(false);
    expect(safeEqual('é', 'é')).toBe(true);
    expect(safeEqual('e\u0301', 'é')).toBe(false);
  });
});
