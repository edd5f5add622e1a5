// Compose's PostgreSQL roles (docker/postgres/service-roles.sql, run by the init script on the first
// start): the token-dealer and the data-service each start and migrate with a role of their own on
// the machine's real PostgreSQL, and neither can touch the other's schema or create anything else.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  adminDatabaseUrl,
  createTestDatabase,
  freePort,
  leaseTestRedis,
  type ServiceProcess,
  startService,
  type TestDatabase,
  type TestRedis,
} from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const INSUFFICIENT_PRIVILEGE = '42501';

describe('compose: one PostgreSQL role per service', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  const suffix = randomBytes(4).toString('hex');
  const roles = {
    dealer: { name: `test_token_dealer_${suffix}`, password: randomBytes(32).toString('hex') },
    data: { name: `test_data_service_${suffix}`, password: randomBytes(32).toString('hex') },
  };
  const services: ServiceProcess[] = [];
  const urlAs = (role: { name: string; password: string }) => {
    const url = new URL(database.url);
    url.username = role.name;
    url.password = role.password;
    return url.toString();
  };
  const psql = promisify(execFile);
  /** Runs `sql` through psql as `role`: its rows (unaligned), or the SQLSTATE it failed with. */
  async function queryAs(role: { name: string; password: string }, sql: string): Promise<string> {
    try {
      const { stdout } = await psql('psql', [
        urlAs(role),
        '-X',
        '-tA',
        '-v',
        'ON_ERROR_STOP=1',
        '-v',
        'VERBOSITY=verbose',
        '-c',
        sql,
      ]);
      return stdout.trim();
    } catch (error) {
      const code = /ERROR:\s+([0-9A-Z]{5}):/.exec(String((error as { stderr?: string }).stderr));
      return code?.[1] ?? `failed: ${String((error as { stderr?: string }).stderr)}`;
    }
  }

  beforeAll(async () => {
    [database, redis] = await Promise.all([createTestDatabase(), leaseTestRedis()]);
    await promisify(execFile)('psql', [
      database.url,
      '-v',
      'ON_ERROR_STOP=1',
      '-v',
      `db=${database.name}`,
      '-v',
      `token_dealer_role=${roles.dealer.name}`,
      '-v',
      `token_dealer_password=${roles.dealer.password}`,
      '-v',
      `data_service_role=${roles.data.name}`,
      '-v',
      `data_service_password=${roles.data.password}`,
      '-f',
      join(root, 'docker/postgres/service-roles.sql'),
    ]);
    const [dealerPort, dataPort] = await Promise.all([freePort(), freePort()]);
    const dealer = await startService({
      cwd: join(root, 'apps/token-dealer'),
      env: {
        LOG_LEVEL: 'info',
        DATABASE_URL: urlAs(roles.dealer),
        REDIS_URL: redis.url,
        TOKEN_DEALER_PORT: String(dealerPort),
        TOKEN_DEALER_OPERATOR_PORT: '0',
        TOKEN_DEALER_ISSUER: `http://127.0.0.1:${dealerPort}`,
        TOKEN_DEALER_PEPPER: randomBytes(32).toString('hex'),
        TOKEN_DEALER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      },
    });
    services.push(dealer);
    await dealer.operatorUrl();
    const data = await startService({
      cwd: join(root, 'apps/data-service'),
      env: {
        LOG_LEVEL: 'info',
        DATABASE_URL: urlAs(roles.data),
        REDIS_URL: '',
        DATA_SERVICE_PORT: String(dataPort),
        DATA_SERVICE_OPERATOR_PORT: '0',
        TOKEN_DEALER_URL: `http://127.0.0.1:${dealerPort}`,
        STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      },
    });
    services.push(data);
    await data.operatorUrl();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await database?.drop();
    await redis?.release();
    for (const role of Object.values(roles))
      await psql('psql', [adminDatabaseUrl(), '-X', '-c', `DROP ROLE IF EXISTS "${role.name}"`]);
  });

  it('lets each service migrate its own schema with its own role', async () => {
    expect(await queryAs(roles.dealer, 'SELECT count(*) > 0 FROM token_dealer.signing_keys')).toBe('t');
    expect(await queryAs(roles.data, 'SELECT count(*) FROM data.users')).toBe('0');
  });

  it("keeps each role out of the other's schema", async () => {
    expect(await queryAs(roles.dealer, 'SELECT * FROM data.users')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await queryAs(roles.dealer, 'SELECT * FROM data.strava_tokens')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await queryAs(roles.data, 'SELECT * FROM token_dealer.clients')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await queryAs(roles.data, 'SELECT * FROM token_dealer.signing_keys')).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('lets neither create a schema, or a table outside its own schema', async () => {
    for (const role of Object.values(roles)) {
      expect(await queryAs(role, 'CREATE SCHEMA elsewhere'), role.name).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await queryAs(role, 'CREATE TABLE public.planted (id int)'), role.name).toBe(INSUFFICIENT_PRIVILEGE);
    }
  });
});
