import { Redis, type RedisOptions } from 'ioredis';

/**
 * An ioredis connection for BullMQ. `maxRetriesPerRequest: null` keeps blocking commands alive
 * across a Redis restart (BullMQ requires it for workers); producers pass `failFast` so that an
 * HTTP request does not hang while Redis is down.
 */
export function createRedisConnection(url: string, options: { failFast?: boolean } & RedisOptions = {}): Redis {
  const { failFast, ...rest } = options;
  return new Redis(url, {
    maxRetriesPerRequest: failFast ? 2 : null,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    ...rest,
  });
}
