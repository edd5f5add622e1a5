import { createRedisClient, type RedisClient } from '@runnerly/platform';
import type { RedisOptions } from 'ioredis';

/**
 * An ioredis connection for BullMQ (one server or a cluster: see createRedisClient).
 * `maxRetriesPerRequest: null` keeps blocking commands alive across a Redis restart (BullMQ
 * requires it for workers); producers pass `failFast` so that an HTTP request does not hang while
 * Redis is down.
 */
export function createRedisConnection(url: string, options: { failFast?: boolean } & RedisOptions = {}): RedisClient {
  const { failFast, ...rest } = options;
  return createRedisClient(url, {
    maxRetriesPerRequest: failFast ? 2 : null,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    ...rest,
  });
}
