import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { weakKeyReason, weakSecretReason } from './weak-secret.js';

describe('weakSecretReason', () => {
  it.each([
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'a repeated pattern'],
    ['password12345678', 'holds the common word "password"'],
    ['abcabcabcabcabcabcabc', 'a repeated pattern'],
    ['my-Secret-value-for-prod', 'holds the common word "secret"'],
    ['xq1234567890abcdefgh', 'a run of consecutive characters (like 123456 or abcdef)'],
    ['aabbaabbaabbaabbaabbab', 'too few distinct characters'],
    ['short', 'shorter than 16 characters'],
  ])('calls %s weak (%s)', (value, reason) => {
    expect(weakSecretReason(value)).toBe(reason);
  });

  it('accepts what pnpm start, compose and the token-dealer generate (random hex and base64)', () => {
    for (let i = 0; i < 2000; i += 1) {
      for (const value of [
        randomBytes(32).toString('hex'),
        randomBytes(32).toString('base64'),
        randomBytes(32).toString('base64url'),
        randomBytes(12).toString('base64url'),
      ])
        expect(weakSecretReason(value), value).toBeUndefined();
    }
  });

  it('checks decoded key bytes too', () => {
    expect(weakKeyReason(Buffer.alloc(32, 7))).toBe('too few distinct bytes');
    expect(weakKeyReason(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe('a run of consecutive bytes');
    expect(weakKeyReason(randomBytes(32))).toBeUndefined();
  });
});
