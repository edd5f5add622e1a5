import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';
import type { TestRedis } from './redis.js';

/** Debian's redis-server (and redis-cli, from the same install): what CI and developers have. */
export const REDIS_SERVER_BINARY = '/usr/bin/redis-server';
const REDIS_CLI_BINARY = '/usr/bin/redis-cli';
const HOST = '127.0.0.1';
/** Short, so that a killed primary's replica takes over within a couple of seconds. */
const NODE_TIMEOUT_MS = 1_000;
const SLOTS = 16_384;

/** Why a cluster cannot be started here, or undefined when it can. */
export function redisClusterUnavailable(): string | undefined {
  if (!existsSync(REDIS_SERVER_BINARY) || !existsSync(REDIS_CLI_BINARY))
    return `${REDIS_SERVER_BINARY} and ${REDIS_CLI_BINARY} are needed for the Redis Cluster tests (apt-get install redis-server)`;
  return undefined;
}

export interface Failover {
  /** The port of the primary that was killed, and of the replica that took its slots. */
  killed: number;
  promoted: number;
  /** From the kill until every surviving node agreed on the new primary and the cluster was ok. */
  ms: number;
}

/** A Redis Cluster of the test's own: `url` is a `redis-cluster://` URL naming every node. */
export interface TestRedisCluster extends TestRedis {
  ports: number[];
  /** Kills (SIGKILL) the primary serving `key` and waits until its replica has taken over. */
  failover(key: string): Promise<Failover>;
  /** Kills (SIGKILL) the node on `port` (a primary or a replica) and waits until the cluster is ok again. */
  kill(port: number): Promise<void>;
  /** The port of the primary serving `key` now. */
  primaryOf(key: string): Promise<number>;
  /** Starts the killed nodes again (they come back as replicas) and waits for 3 primaries and 3 replicas. */
  heal(): Promise<void>;
}

interface Node {
  port: number;
  args: string[];
  child: ChildProcess;
}

/**
 * Starts a real Redis Cluster from the machine's redis-server: 3 primaries and 3 replicas on free
 * ports (and free cluster-bus ports), data under a temporary directory, a one-second node timeout.
 * Resolves once every node says `cluster_state:ok` and knows all 6 nodes. `release` kills them all.
 */
export async function startRedisCluster(): Promise<TestRedisCluster> {
  const unavailable = redisClusterUnavailable();
  if (unavailable) throw new Error(unavailable);
  const dir = await mkdtemp(join(tmpdir(), 'runnerly-redis-cluster-'));
  const nodes: Node[] = [];
  const ports = new Set<number>();
  // 12 distinct ports: each node's own and its cluster bus (port + 10000 may be out of range).
  while (ports.size < 12) ports.add(await freePort());
  const [data, bus] = [[...ports].slice(0, 6), [...ports].slice(6)];
  try {
    for (const [index, port] of data.entries()) {
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      const args = ['--port', String(port), '--cluster-port', String(bus[index]), '--bind', HOST, '--dir', nodeDir];
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf');
      args.push('--cluster-node-timeout', String(NODE_TIMEOUT_MS), '--save', '', '--appendonly', 'no');
      // A replica takes over however long it was cut off from its primary (a test has no stale data).
      args.push('--cluster-replica-validity-factor', '0');
      // Replicas copy their primary at once (the default waits 5 s before a diskless full sync).
      args.push('--repl-diskless-sync-delay', '0');
      nodes.push({ port, args, child: spawn(REDIS_SERVER_BINARY, args, { stdio: 'ignore' }) });
    }
    await Promise.all(nodes.map((node) => waitUntil(() => ping(node.port), 10_000, `redis-server on ${node.port}`)));
    await promisify(execFile)(REDIS_CLI_BINARY, [
      '--cluster',
      'create',
      ...data.map((port) => `${HOST}:${port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await waitUntil(() => agreed(data, 3, 6), 30_000, 'the cluster to form');
  } catch (error) {
    await stopAll(nodes);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const alive = () => nodes.filter((node) => node.child.exitCode === null && node.child.signalCode === null);
  const kill = async (port: number): Promise<void> => {
    const node = alive().find((candidate) => candidate.port === port);
    if (!node) throw new Error(`no live node on ${port}`);
    const exited = new Promise((resolve) => node.child.once('exit', resolve));
    node.child.kill('SIGKILL');
    await exited;
    const survivors = alive().map((survivor) => survivor.port);
    await waitUntil(() => agreed(survivors, 3, survivors.length), 30_000, `the cluster to get over ${port}`);
  };
  const primaryOf = async (key: string): Promise<number> => {
    const answer = await onNode(alive()[0]!.port, async (redis) => {
      const slot = (await redis.cluster('KEYSLOT', key)) as number;
      const ranges = await redis.cluster('SLOTS');
      return ranges.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1];
    });
    if (answer === undefined) throw new Error(`no primary serves ${key}`);
    return answer;
  };
  return {
    url: `redis-cluster://${data.map((port) => `${HOST}:${port}`).join(',')}`,
    db: 0,
    ports: data,
    primaryOf,
    flush: async () => {
      for (const node of alive())
        await onNode(node.port, async (redis) => {
          if ((await redis.role())[0] === 'master') await redis.flushall();
        });
    },
    failover: async (key) => {
      const killed = await primaryOf(key);
      const started = Date.now();
      await kill(killed);
      return { killed, promoted: await primaryOf(key), ms: Date.now() - started };
    },
    kill,
    heal: async () => {
      for (const node of nodes.filter((candidate) => !alive().includes(candidate)))
        node.child = spawn(REDIS_SERVER_BINARY, node.args, { stdio: 'ignore' });
      await waitUntil(() => agreed(data, 3, 6), 30_000, 'the killed nodes to rejoin as replicas');
    },
    release: async () => {
      await stopAll(nodes);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function onNode<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ host: HOST, port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function ping(port: number): Promise<boolean> {
  return onNode(port, async (redis) => (await redis.ping()) === 'PONG').catch(() => false);
}

/**
 * Whether every node in `ports` says the cluster is ok and sees `primaries` primaries (serving all
 * the slots) and `connected` nodes connected, none marked failing; and each replica holds a copy
 * of its primary (link up, no full sync under way): a failover then starts from a steady state.
 */
async function agreed(ports: number[], primaries: number, connected: number): Promise<boolean> {
  for (const port of ports) {
    const ok = await onNode(port, async (redis) => {
      const info = (await redis.cluster('INFO')) as string;
      if (!info.includes('cluster_state:ok') || !info.includes(`cluster_slots_ok:${SLOTS}`)) return false;
      const lines = ((await redis.cluster('NODES')) as string).trim().split('\n');
      const live = lines.filter((line) => !/\bfail\??\b/.test(line) && line.includes(' connected'));
      if (live.length !== connected || live.filter((line) => line.includes('master')).length !== primaries)
        return false;
      const replication = await redis.info('replication');
      return (
        replication.includes('role:master') ||
        (replication.includes('master_link_status:up') && replication.includes('master_sync_in_progress:0'))
      );
    }).catch(() => false);
    if (!ok) return false;
  }
  return true;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function stopAll(nodes: Node[]): Promise<void> {
  await Promise.all(
    nodes.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }),
  );
}
