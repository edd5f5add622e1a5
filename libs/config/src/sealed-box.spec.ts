import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SealedBox, SealedBoxError } from './sealed-box.js';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('SealedBox', () => {
  const [current, old] = [key('k2'), key('k1')];

  it('seals under the current key with a fresh iv each time, and opens with any key', () => {
    const box = new SealedBox([current, old]);
    const a = box.seal('secret', 'row-1');
    expect(a.keyId).toBe('k2');
    expect(a.ciphertext.equals(box.seal('secret', 'row-1').ciphertext)).toBe(false);
    expect(box.open(a, 'row-1').toString()).toBe('secret');
    expect(box.open(new SealedBox([old]).seal(Buffer.from([0, 255]), 'row-1'), 'row-1')).toEqual(Buffer.from([0, 255]));
  });

  it('refuses another row, a tampered ciphertext, an unknown or wrong key, a truncated box', () => {
    const box = new SealedBox([current]);
    const sealed = box.seal('secret', 'row-1');
    expect(() => box.open(sealed, 'row-2')).toThrow(SealedBoxError);
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => box.open({ ...sealed, ciphertext: tampered }, 'row-1')).toThrow(/does not decrypt with key k2/);
    expect(() => box.open({ ...sealed, keyId: 'k9' }, 'row-1')).toThrow(/no key with id k9/);
    expect(() => new SealedBox([{ ...current, key: randomBytes(32) }]).open(sealed, 'row-1')).toThrow(SealedBoxError);
    expect(() => box.open({ ...sealed, ciphertext: sealed.ciphertext.subarray(0, 20) }, 'row-1')).toThrow(
      SealedBoxError,
    );
  });

  it('needs at least one key, of 32 bytes', () => {
    expect(() => new SealedBox([])).toThrow(/at least one key/);
    expect(() => new SealedBox([{ id: 'k', key: randomBytes(16) }])).toThrow(/32-byte keys/);
  });
});
