import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { type RedisClient, redisPrimaries } from '@runnerly/platform';

/**
 * connect-redis speaks node-redis (v5) commands; Runnerly uses ioredis everywhere. This adapter
 * gives it the few commands it calls, so sessions live in the same Redis as everything else. On a
 * Redis Cluster each session key has a slot of its own: several keys are read and deleted one by one
 * (auto-pipelined) and listed by scanning every primary.
 */
function nodeRedisFacade(redis: RedisClient) {
  return {
    get: (key: string) => redis.get(key),
    set: (key: string, value: string, options?: { expiration?: { type: 'EX'; value: number } }) =>
      options?.expiration ? redis.set(key, value, 'EX', options.expiration.value) : redis.set(key, value),
    expire: (key: string, seconds: number) => redis.expire(key, seconds),
    del: async (keys: string | string[]) =>
      (await Promise.all((Array.isArray(keys) ? keys : [keys]).map((key) => redis.del(key)))).reduce(
        (a, b) => a + b,
        0,
      ),
    mGet: (keys: string[]) => Promise.all(keys.map((key) => redis.get(key))),
    async *scanIterator({ MATCH, COUNT }: { MATCH: string; COUNT: number }) {
      for (const server of redisPrimaries(redis))
        for await (const keys of server.scanStream({ match: MATCH, count: COUNT })) yield keys as string[];
    },
  };
}

export const SESSION_PREFIX = 'runnerly:dashboard:sess:';

/**
 * A session's Redis TTL, at each write and each touch: a login in progress keeps the fixed expiry
 * its start gave it (requests carrying its cookie do not extend it, so the starts an address may
 * make bound how many it holds); any other session follows its cookie, which each request slides.
 * Zero or less deletes the key.
 */
export function sessionTtlSeconds(sess: Partial<SessionData>, defaultSeconds: number, now = Date.now()): number {
  if (!sess.user && typeof sess.loginExpiresAt === 'number') return Math.ceil((sess.loginExpiresAt - now) / 1000);
  const expires = sess.cookie?.expires;
  return expires ? Math.ceil((new Date(expires).getTime() - now) / 1000) : defaultSeconds;
}

export function createSessionStore(redis: RedisClient, ttlSeconds: number): RedisStore {
  return new RedisStore({
    client: nodeRedisFacade(redis),
    prefix: SESSION_PREFIX,
    ttl: (sess) => sessionTtlSeconds(sess, ttlSeconds),
  });
}
