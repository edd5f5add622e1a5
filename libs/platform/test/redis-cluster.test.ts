import { redisClusterUnavailable, startRedisCluster, type TestRedisCluster } from '@runnerly/testing';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, createSubscriberConnection, type RedisClient, redisPrimaries } from '../src/redis.js';

// CI installs redis-server: there the cluster tests always run.
describe.skipIf(redisClusterUnavailable())(
  'createRedisClient on a real Redis Cluster (3 primaries, 3 replicas)',
  () => {
    let cluster: TestRedisCluster;
    let client: RedisClient;
    beforeAll(async () => {
      cluster = await startRedisCluster();
      client = createRedisClient(cluster.url, { maxRetriesPerRequest: 2 });
    }, 60_000);
    afterAll(async () => {
      client?.disconnect();
      await cluster?.release();
    });

    it('connects to the cluster a redis-cluster:// URL names, and to one server for redis://', async () => {
      expect(client).toBeInstanceOf(Cluster);
      await client.set('a', '1');
      await client.set('b', '2');
      expect(await Promise.all([client.get('a'), client.get('b')])).toEqual(['1', '2']);
      expect(redisPrimaries(client)).toHaveLength(3);
      const single = createRedisClient(`redis://127.0.0.1:${cluster.ports[0]}`, { lazyConnect: true });
      expect(single).toBeInstanceOf(Redis);
      single.disconnect();
    });

    it('is a real cluster: a multi-key command over two slots is refused (CROSSSLOT), one hash tag is not', async () => {
      await expect(client.mget('a', 'b')).rejects.toThrow(/CROSSSLOT/);
      await client.set('{t}a', '1');
      await client.set('{t}b', '2');
      expect(await client.mget('{t}a', '{t}b')).toEqual(['1', '2']);
    });

    it('delivers a PUBLISH to a subscriber on any node', async () => {
      const subscriber = createSubscriberConnection(client)!;
      try {
        const received = new Promise<string>((resolve) =>
          subscriber.once('message', (_channel, message) => resolve(message)),
        );
        await subscriber.subscribe('news');
        await client.publish('news', 'hello');
        expect(await received).toBe('hello');
      } finally {
        subscriber.disconnect();
      }
    });

    it("goes on through a primary's failover: its slots answer again from the promoted replica", async ({
      annotate,
    }) => {
      await client.set('{f}before', '1');
      const failover = await cluster.failover('{f}before');
      expect(failover.promoted).not.toBe(failover.killed);
      expect(await cluster.primaryOf('{f}x')).toBe(failover.promoted);
      await client.set('{f}after', '2');
      expect(await client.get('{f}after')).toBe('2');
      await annotate(`failover of ${failover.killed} to ${failover.promoted}: ${failover.ms} ms`);
    });
  },
);
