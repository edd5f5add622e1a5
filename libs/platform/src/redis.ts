import { Logger } from '@nestjs/common';
import { parseRedisUrl, type RedisTarget } from '@runnerly/config';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

/** A connection to the apps' Redis: one server, or a Redis Cluster (REDIS_URL `redis-cluster://…`). */
export type RedisClient = Redis | Cluster;

/**
 * A failing-over primary is gone for the cluster's node timeout plus its replica's election (a few
 * seconds): a command to its slots is retried every 300 ms, 16 times, before it fails.
 */
const FAILOVER_RETRY_MS = 300;

const redisLogger = new Logger('Redis');

/**
 * An `error` listener for the apps' Redis connections and BullMQ queues: while Redis is away they
 * reconnect by themselves, so one warning line per failed attempt, not ioredis's and BullMQ's raw
 * "Unhandled error event" on stderr.
 */
export const logRedisError = (error: Error): void => redisLogger.warn(`Redis unavailable: ${error.message}`);

/** Which cluster node the next subscriber connection goes to (in turn: a dead one is passed over). */
let subscriberTurn = 0;

/**
 * The one place the apps connect to Redis. `options` are ioredis' options for a single server; on
 * a cluster they apply to each node's connection, and `retryStrategy`, `lazyConnect`,
 * `enableAutoPipelining`, `enableOfflineQueue` and `enableReadyCheck` to the cluster as a whole.
 * Both kinds run every command Runnerly sends: its multi-key commands, MULTIs and scripts keep to
 * one hash slot (README, Configuration: Redis Cluster).
 */
export function createRedisClient(url: string, options: RedisOptions = {}): RedisClient {
  const target = parseRedisUrl(url);
  if (!target.cluster) return new Redis(url, options);
  return new Cluster(target.nodes, clusterOptions(target, options));
}

function clusterOptions(target: RedisTarget, options: RedisOptions): ClusterOptions {
  const { retryStrategy, lazyConnect, enableAutoPipelining, enableOfflineQueue, enableReadyCheck, ...node } = options;
  return {
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    ...(enableAutoPipelining !== undefined ? { enableAutoPipelining } : {}),
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(enableReadyCheck !== undefined ? { enableReadyCheck } : {}),
    retryDelayOnFailover: FAILOVER_RETRY_MS,
    retryDelayOnClusterDown: FAILOVER_RETRY_MS,
    retryDelayOnTryAgain: FAILOVER_RETRY_MS,
    // Reads go to primaries: a replica may lag behind what was just written.
    scaleReads: 'master',
    redisOptions: {
      ...node,
      ...(target.username !== undefined ? { username: target.username } : {}),
      ...(target.password !== undefined ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
  };
}

/**
 * A plain connection for SUBSCRIBE, whose `close` and `ready` events the caller can trust to mean
 * "messages may have been missed" and "subscribed again from here". On one server: a duplicate of
 * `client` with `options`. On a cluster (where PUBLISH reaches every node): a connection to one of
 * its nodes, taken in turn, which ends (`end`) after a few failed reconnections so that the caller
 * opens the next one, on a node that is still up. (ioredis' own cluster subscriber moves to another
 * node silently, without a sign that messages were lost in between.) Undefined while the cluster's
 * nodes are not known yet: ask again shortly.
 */
export function createSubscriberConnection(client: RedisClient, options: RedisOptions = {}): Redis | undefined {
  if (client instanceof Redis) return client.duplicate(options);
  const nodes = client.nodes('all');
  if (nodes.length === 0) return undefined;
  subscriberTurn = (subscriberTurn + 1) % nodes.length;
  const { host, port } = nodes[subscriberTurn]!.options;
  return new Redis({
    ...client.options.redisOptions,
    ...options,
    host,
    port,
    retryStrategy: (times) => (times > 3 ? null : 200 * times),
  });
}

/** Another connection like `client` (e.g. to SUBSCRIBE on: ioredis' cluster resubscribes by itself). */
export function duplicateRedisClient(client: RedisClient): RedisClient {
  // Two branches because the two `duplicate`s have different signatures (TypeScript cannot call the union's).
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}

/** The servers holding the keys: every primary of a cluster (e.g. to SCAN them all), or the one server. */
export function redisPrimaries(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
