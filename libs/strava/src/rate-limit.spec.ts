import { describe, expect, it } from 'vitest';
import { exhaustedWindow, parsePair, parseRateLimitHeaders, stravaWindow } from './rate-limit.js';

describe('rate-limit headers', () => {
  it('reads the four headers in any casing', () => {
    const now = new Date('2026-11-23T10:07:00Z');
    const limits = parseRateLimitHeaders(
      {
        'x-ratelimit-limit': '200,2000',
        'X-RATELIMIT-USAGE': '12,340',
        'X-ReadRateLimit-Limit': '100, 1000',
        'x-readratelimit-usage': '11,300',
      },
      now,
    );
    expect(limits).toEqual({
      overall: { fifteenMinute: { limit: 200, usage: 12 }, daily: { limit: 2000, usage: 340 } },
      read: { fifteenMinute: { limit: 100, usage: 11 }, daily: { limit: 1000, usage: 300 } },
      observedAt: now,
    });
  });

  it('reads a fetch Headers object', () => {
    const headers = new Headers({ 'X-RateLimit-Limit': '200,2000', 'X-RateLimit-Usage': '1,2' });
    expect(parseRateLimitHeaders(headers)?.overall.daily).toEqual({ limit: 2000, usage: 2 });
  });

  it('ignores absent or malformed headers', () => {
    expect(parseRateLimitHeaders({})).toBeUndefined();
    expect(parseRateLimitHeaders({ 'X-RateLimit-Limit': 'lots', 'X-RateLimit-Usage': '1,2' })).toBeUndefined();
    expect(parsePair('5')).toBeUndefined();
    expect(parsePair('-1,3')).toBeUndefined();
    expect(parsePair('100,1000')).toEqual([100, 1000]);
  });
});

describe('stravaWindow', () => {
  it.each([
    ['2026-11-23T10:07:13Z', '2026-11-23T10:15:00.000Z'],
    ['2026-11-23T10:15:00Z', '2026-11-23T10:30:00.000Z'],
    ['2026-11-23T10:44:59.999Z', '2026-11-23T10:45:00.000Z'],
    ['2026-11-23T23:50:00Z', '2026-11-24T00:00:00.000Z'],
  ])('puts the 15-minute reset at the next quarter hour UTC (%s)', (now, reset) => {
    expect(stravaWindow('15min', new Date(now)).resetAt.toISOString()).toBe(reset);
  });

  it('puts the daily reset at the next midnight UTC', () => {
    expect(stravaWindow('daily', new Date('2026-12-31T13:00:00Z')).resetAt.toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });

  it('starts where the one before resets, numbered from the epoch', () => {
    const at = Date.parse('2026-11-23T10:07:13Z');
    const window = stravaWindow('15min', at);
    expect(window.start.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(stravaWindow('15min', window.start).index).toBe(window.index);
    expect(stravaWindow('15min', window.resetAt).index).toBe(window.index + 1);
    expect(stravaWindow('15min', window.resetAt.getTime() - 1).resetAt).toEqual(window.resetAt);
    expect(stravaWindow('daily', at).start.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(stravaWindow('daily', at).index).toBe(Math.floor(at / 86_400_000));
  });

  it('takes a shorter window for tests', () => {
    expect(stravaWindow('15min', 12_345, 1000)).toEqual({
      index: 12,
      start: new Date(12_000),
      resetAt: new Date(13_000),
    });
  });
});

describe('exhaustedWindow', () => {
  const observedAt = new Date('2026-11-23T10:01:00Z');
  const limits = (overall: [number, number], read?: [number, number]) => ({
    overall: { fifteenMinute: { limit: 200, usage: overall[0] }, daily: { limit: 2000, usage: overall[1] } },
    ...(read
      ? { read: { fifteenMinute: { limit: 100, usage: read[0] }, daily: { limit: 1000, usage: read[1] } } }
      : {}),
    observedAt,
  });

  it('lets requests go while usage is under the limits', () => {
    expect(exhaustedWindow(undefined, true)).toBeUndefined();
    expect(exhaustedWindow(limits([199, 1999], [99, 999]), true, observedAt)).toBeUndefined();
  });

  it('stops at the 15-minute limit within the same window only', () => {
    expect(exhaustedWindow(limits([200, 300]), false, observedAt)).toBe('15min');
    expect(exhaustedWindow(limits([200, 300]), false, new Date('2026-11-23T10:15:00Z'))).toBeUndefined();
  });

  it('checks the read limits only for reads', () => {
    expect(exhaustedWindow(limits([100, 300], [100, 300]), true, observedAt)).toBe('15min');
    expect(exhaustedWindow(limits([100, 300], [100, 300]), false, observedAt)).toBeUndefined();
  });

  it('prefers the daily window, which resets later, until midnight', () => {
    expect(exhaustedWindow(limits([200, 2000]), false, observedAt)).toBe('daily');
    expect(exhaustedWindow(limits([5, 2000]), false, new Date('2026-11-23T23:59:00Z'))).toBe('daily');
    expect(exhaustedWindow(limits([5, 2000]), false, new Date('2026-11-24T00:00:01Z'))).toBeUndefined();
  });
});
