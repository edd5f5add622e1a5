import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

const LEASE_KEY = 'runnerly:test:redis-db-lease:';
const LEASE_MS = 10 * 60 * 1000;
/** Index 0 holds the leases (and is what a developer's `pnpm start` uses); tests get 1..15. */
const FIRST_DB = 1;
const LAST_DB = 15;

export function redisServerUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

export interface TestRedis {
  /** A URL selecting this test file's own logical database. */
  url: string;
  db: number;
  /** Empties the database (between tests). */
  flush(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Leases a logical Redis database of its own to one test file, so that parallel test files and
 * parallel test runs on the same server never see each other's keys. The lease expires by itself
 * if the process dies.
 */
export async function leaseTestRedis(timeoutMs = 120_000): Promise<TestRedis> {
  const admin = new Redis(redisServerUrl(), { lazyConnect: true, maxRetriesPerRequest: 2 });
  await admin.connect();
  const owner = `${process.pid}:${Math.random().toString(36).slice(2)}`;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      for (let db = FIRST_DB; db <= LAST_DB; db += 1) {
        if ((await admin.set(`${LEASE_KEY}${db}`, owner, 'PX', LEASE_MS, 'NX')) !== 'OK') continue;
        const url = new URL(redisServerUrl());
        url.pathname = `/${db}`;
        const client = new Redis(url.toString(), { maxRetriesPerRequest: 2 });
        await client.flushdb();
        const renew = setInterval(
          () => void admin.pexpire(`${LEASE_KEY}${db}`, LEASE_MS).catch(() => undefined),
          LEASE_MS / 3,
        );
        renew.unref();
        return {
          url: url.toString(),
          db,
          flush: async () => {
            await client.flushdb();
          },
          release: async () => {
            clearInterval(renew);
            await client.flushdb();
            client.disconnect();
            if ((await admin.get(`${LEASE_KEY}${db}`)) === owner) await admin.del(`${LEASE_KEY}${db}`);
            admin.disconnect();
          },
        };
      }
      if (Date.now() > deadline) throw new Error('no free Redis test database (1-15) within the timeout');
      await sleep(250);
    }
  } catch (error) {
    admin.disconnect();
    throw error;
  }
}
