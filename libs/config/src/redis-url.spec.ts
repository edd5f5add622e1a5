import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { env } from './fields.js';
import { parseRedisUrl } from './redis-url.js';

describe('parseRedisUrl', () => {
  it('reads one server, its credentials, TLS and database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({
      cluster: false,
      nodes: [{ host: '127.0.0.1', port: 6379 }],
      tls: false,
      db: 0,
    });
    expect(parseRedisUrl('rediss://user:p%40ss@redis.internal/3')).toEqual({
      cluster: false,
      nodes: [{ host: 'redis.internal', port: 6379 }],
      username: 'user',
      password: 'p@ss',
      tls: true,
      db: 3,
    });
  });

  it('reads the seed nodes of a cluster, with the credentials every node is given', () => {
    expect(parseRedisUrl('rediss-cluster://:s3cret@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002')).toEqual({
      cluster: true,
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      password: 's3cret',
      tls: true,
      db: 0,
    });
    expect(parseRedisUrl('redis-cluster://node-a:7000').nodes).toEqual([{ host: 'node-a', port: 7000 }]);
  });

  it.each([
    ['http://127.0.0.1:6379', /must be a URL starting with redis:\/\//],
    ['127.0.0.1:6379', /must be a URL starting with/],
    ['redis://a:6379,b:6379', /use redis-cluster:\/\//],
    ['redis-cluster://a:7000,,b:7001', /empty host/],
    ['redis-cluster://a:7000,b:7001/2', /database 0 only/],
    ['redis-cluster://a:99999', /Invalid URL/],
    ['redis://a:6379/x', /invalid database/],
  ])('refuses %s', (value, message) => {
    expect(() => parseRedisUrl(value)).toThrow(message);
  });

  it('is what REDIS_URL accepts, a weak password refused on a cluster as on one server', () => {
    const field = z.object({ REDIS_URL: env.redisUrl() });
    expect(field.parse({ REDIS_URL: 'redis-cluster://a:7000,b:7001' }).REDIS_URL).toBe('redis-cluster://a:7000,b:7001');
    expect(field.parse({}).REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(field.safeParse({ REDIS_URL: 'redis-cluster://:changeme@a:7000,b:7001' }).error?.message).toMatch(
      /weak password/,
    );
    expect(field.safeParse({ REDIS_URL: 'mysql://a' }).error?.message).toMatch(/must be a URL starting with/);
  });
});
