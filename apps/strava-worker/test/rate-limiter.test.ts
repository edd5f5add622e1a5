import { createRedisConnection } from '@runnerly/jobs';
import { leaseTestRedis, type TestRedis } from '@runnerly/testing';
import type { RedisClient } from '@runnerly/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RateBudgetExhaustedError, StravaRateLimiter } from '../src/rate-limit/strava-rate-limiter.js';
import { TestClock } from './harness.js';

describe('StravaRateLimiter (Redis, shared by processes)', () => {
  let redis: TestRedis;
  let connection: RedisClient;
  const clock = new TestClock();

  beforeAll(async () => {
    redis = await leaseTestRedis();
    connection = createRedisConnection(redis.url);
  });
  beforeEach(async () => {
    await redis.flush();
    // 10:01 UTC on some day: the 15-minute window ends at 10:15, the day at midnight.
    clock.offsetMs = Date.parse('2026-11-23T10:01:00Z') - Date.now();
  });
  afterAll(async () => {
    connection.disconnect();
    await redis.release();
  });

  const limiter = (shortLimit = 3, longLimit = 5) =>
    new StravaRateLimiter(connection, clock, { shortLimit, longLimit, trustHeaders: true });

  it('hands out one budget to every instance, then names the reset of the full window', async () => {
    const [a, b] = [limiter(), limiter()];
    const results = await Promise.allSettled([a.acquire(), b.acquire(), a.acquire(), b.acquire(), a.acquire()]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(RateBudgetExhaustedError);
    expect(refused.reason).toMatchObject({ scope: '15min' });
    expect((refused.reason as RateBudgetExhaustedError).resetAt.toISOString()).toBe('2026-11-23T10:15:00.000Z');

    clock.offsetMs += 15 * 60 * 1000;
    await a.acquire();
    await a.acquire();
    // 5 a day: the daily window is now the one that is full, until midnight UTC.
    await expect(b.acquire()).rejects.toMatchObject({ scope: 'daily', resetAt: new Date('2026-11-24T00:00:00Z') });
  });

  it('learns usage and lower limits from Strava’s headers, and a 429 spends the window for everyone', async () => {
    const a = limiter(100, 1000);
    await a.observe({
      overall: { fifteenMinute: { limit: 200, usage: 10 }, daily: { limit: 2000, usage: 10 } },
      read: { fifteenMinute: { limit: 12, usage: 10 }, daily: { limit: 1000, usage: 10 } },
      observedAt: clock.now(),
    });
    expect(await a.snapshot()).toEqual([
      { scope: '15min', usage: 10, limit: 12, resetAt: new Date('2026-11-23T10:15:00Z') },
      { scope: 'daily', usage: 10, limit: 1000, resetAt: new Date('2026-11-24T00:00:00Z') },
    ]);
    await a.acquire();
    await a.acquire();
    await expect(a.acquire()).rejects.toBeInstanceOf(RateBudgetExhaustedError);

    clock.offsetMs += 15 * 60 * 1000;
    await a.acquire();
    expect(await a.exhaust('15min')).toEqual(new Date('2026-11-23T10:30:00Z'));
    await expect(limiter(100, 1000).acquire()).rejects.toMatchObject({ scope: '15min' });
  });
});
