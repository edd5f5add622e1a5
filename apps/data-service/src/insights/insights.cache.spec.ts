import { describe, expect, it } from 'vitest';
import { VersionedCache } from './insights.cache.js';

describe('VersionedCache', () => {
  it('answers only for the version it was given, and forgets the least recently used', () => {
    const cache = new VersionedCache<number>(2);
    cache.set('a', 'v1', 1);
    expect(cache.get('a', 'v1')).toBe(1);
    expect(cache.get('a', 'v2')).toBeUndefined();
    cache.set('b', 'v1', 2);
    cache.get('a', 'v1');
    cache.set('c', 'v1', 3);
    expect(cache.get('b', 'v1')).toBeUndefined();
    expect(cache.get('a', 'v1')).toBe(1);
    expect(cache.get('c', 'v1')).toBe(3);
  });
});
