import { RedisStore } from 'connect-redis';
import type { Redis } from 'ioredis';

/**
 * connect-redis speaks node-redis (v5) commands; Runnerly uses ioredis everywhere. This adapter
 * gives it the few commands it calls, so sessions live in the same Redis as everything else.
 */
function nodeRedisFacade(redis: Redis) {
  return {
    get: (key: string) => redis.get(key),
    set: (key: string, value: string, options?: { expiration?: { type: 'EX'; value: number } }) =>
      options?.expiration ? redis.set(key, value, 'EX', options.expiration.value) : redis.set(key, value),
    expire: (key: string, seconds: number) => redis.expire(key, seconds),
    del: (keys: string | string[]) => redis.del(...(Array.isArray(keys) ? keys : [keys])),
    mGet: (keys: string[]) => redis.mget(keys),
    async *scanIterator({ MATCH, COUNT }: { MATCH: string; COUNT: number }) {
      for await (const keys of redis.scanStream({ match: MATCH, count: COUNT })) yield keys as string[];
    },
  };
}

export const SESSION_PREFIX = 'runnerly:dashboard:sess:';

export function createSessionStore(redis: Redis, ttlSeconds: number): RedisStore {
  return new RedisStore({ client: nodeRedisFacade(redis), prefix: SESSION_PREFIX, ttl: ttlSeconds });
}
