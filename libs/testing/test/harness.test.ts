import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../src/database.js';
import { leaseTestRedis } from '../src/redis.js';

describe('test harness', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('gives each caller its own empty PostgreSQL database and drops it', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    expect(a.name).not.toBe(b.name);
    const client = new pg.Client({ connectionString: a.url });
    await client.connect();
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(rows[0].n).toBe(0);
    await client.end();
    await a.drop();
    await b.drop();
    const admin = new pg.Client({ connectionString: a.url.replace(a.name, 'postgres') });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = ANY($1)', [[a.name, b.name]]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });

  it('leases distinct Redis databases and empties them on release', async () => {
    const [a, b] = await Promise.all([leaseTestRedis(), leaseTestRedis()]);
    expect(a.db).not.toBe(b.db);
    const client = new Redis(a.url);
    await client.set('k', 'v');
    expect(await new Redis(b.url).get('k').finally(() => undefined)).toBeNull();
    await a.release();
    expect(await client.dbsize()).toBe(0);
    client.disconnect();
    cleanups.push(() => b.release());
  });
});
