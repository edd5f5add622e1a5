import { randomBytes } from 'node:crypto';
import { createTestDatabase, leaseTestRedis, type TestDatabase, type TestRedis } from '@runnerly/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '../src/database/data-source.js';
import { KeyCipher } from '../src/keys/key-cipher.js';
import { KeysRepository } from '../src/keys/keys.repository.js';
import { KeysService } from '../src/keys/keys.service.js';
import { runTokenDealerCli } from '../src/testing/index.js';

describe('signing keys and the command line', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let dataSource: DataSource;
  const kek = randomBytes(32);

  beforeAll(async () => {
    [database, redis] = await Promise.all([createTestDatabase(), leaseTestRedis()]);
    dataSource = await openDataSource(database.url);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await Promise.all([database.drop(), redis.release()]);
  });

  const keys = (options: Partial<ConstructorParameters<typeof KeysService>[2]> = {}) =>
    new KeysService(new KeysRepository(dataSource), new KeyCipher(kek), {
      tokenTtlSeconds: 900,
      rotationDays: 30,
      publishLeadSeconds: 60,
      ...options,
    });

  it('creates one key on first start, encrypted at rest, and reuses it afterwards', async () => {
    const first = keys();
    await first.initialize();
    const second = keys();
    await second.initialize();
    expect(second.signingKey().kid).toBe(first.signingKey().kid);
    const rows = (await dataSource.query('SELECT private_key_encrypted FROM token_dealer.signing_keys')) as Array<{
      private_key_encrypted: string;
    }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.private_key_encrypted).toMatch(/^v1\./);
    expect(rows[0]!.private_key_encrypted).not.toContain('PRIVATE KEY');
    // The wrong key-encryption key cannot load it.
    await expect(
      new KeysService(new KeysRepository(dataSource), new KeyCipher(randomBytes(32)), {
        tokenTtlSeconds: 900,
        rotationDays: 30,
        publishLeadSeconds: 60,
      }).reload(),
    ).rejects.toThrow(/cannot decrypt/);
  });

  it('rotates with overlap: the new key is published before it signs, the old one stays published', async () => {
    const service = keys();
    await service.reload();
    const old = service.signingKey().kid;
    const { kid } = await service.rotate();
    expect(service.jwks().keys.map((key) => key.kid)).toEqual(expect.arrayContaining([old, kid]));
    expect(service.signingKey().kid).toBe(old);
    await service.rotate(true);
    expect(service.signingKey().kid).not.toBe(old);
    // Tokens signed by the old key may still be valid: it stays in the JWKS.
    expect(service.jwks().keys.map((key) => key.kid)).toContain(old);
  });

  it('rotates on schedule when the newest key is older than the period', async () => {
    await dataSource.query(
      `UPDATE token_dealer.signing_keys SET activates_at = activates_at - interval '40 days', retires_at = retires_at - interval '40 days'`,
    );
    expect(await keys().rotateIfDue()).toBe(true);
    expect(await keys().rotateIfDue()).toBe(false);
    expect(await keys({ rotationDays: 0 }).rotateIfDue()).toBe(false);
  });

  it('prints exactly one JSON object from `clients create` and refuses duplicates', () => {
    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      TOKEN_DEALER_PEPPER: randomBytes(32).toString('hex'),
    };
    const cli = (...args: string[]) => runTokenDealerCli(args, env);
    const created = cli(
      'clients',
      'create',
      '--id',
      'cli-client',
      '--scope',
      'runs:read users:read',
      '--audience',
      'data-service',
    );
    expect(created.status).toBe(0);
    const json = JSON.parse(created.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ client_id: 'cli-client', scope: 'runs:read users:read', audience: ['data-service'] });
    expect(json.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = cli('clients', 'create', '--id', 'cli-client', '--scope', 'runs:read', '--audience', 'data-service');
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: 'client_exists' });
  });
});
