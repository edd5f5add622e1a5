// A service stopped with SIGTERM as PID 1 in a container, where the signal raised again after
// closing is ignored and a handle may outlive the app (test/fixtures/as-pid-one.mjs): it must still
// end by itself, with exit code 0, well within its grace period. Checked on the Strava sandbox
// (no dependencies) and on the token-dealer (PostgreSQL and Redis, the one seen hanging).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createTestDatabase,
  freePort,
  leaseTestRedis,
  startService,
  type StartServiceOptions,
  type TestDatabase,
  type TestRedis,
} from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AS_PID_ONE = ['--import', join(import.meta.dirname, 'fixtures', 'as-pid-one.mjs')];
const app = (name: string) => join(import.meta.dirname, '..', 'apps', name);

/**
 * Starts the service as PID 1 would run it, sends SIGTERM, and expects it to close and exit 0 by
 * itself within 10 s.
 */
async function expectStopsByItself(options: StartServiceOptions): Promise<void> {
  const service = await startService({ ...options, nodeOptions: AS_PID_ONE });
  try {
    service.child.kill('SIGTERM');
    const code = await Promise.race([service.exited(), sleep(10_000, undefined, { ref: false })]);
    expect(code, service.output()).toBe(0);
    expect(service.output()).toMatch(/"msg":"SIGTERM: stopping"[\s\S]*"msg":"stopped"/);
  } finally {
    await service.kill();
  }
}

describe('SIGTERM as PID 1 in a container', () => {
  let database: TestDatabase;
  let redis: TestRedis;

  beforeAll(async () => {
    [database, redis] = await Promise.all([createTestDatabase(), leaseTestRedis()]);
  });
  afterAll(async () => {
    await Promise.all([database?.drop(), redis?.release()]);
  });

  it('the Strava sandbox closes and exits 0 by itself', async () => {
    const port = await freePort();
    await expectStopsByItself({
      cwd: app('strava-sandbox'),
      env: { STRAVA_SANDBOX_PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
      readyUrl: `http://127.0.0.1:${port}/health/live`,
    });
  });

  it('the token-dealer, on PostgreSQL and Redis, closes and exits 0 by itself', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await expectStopsByItself({
      cwd: app('token-dealer'),
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        TOKEN_DEALER_PORT: String(port),
        TOKEN_DEALER_OPERATOR_PORT: '0',
        TOKEN_DEALER_ISSUER: url,
        TOKEN_DEALER_PEPPER: randomBytes(32).toString('hex'),
        TOKEN_DEALER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      },
      readyUrl: `${url}/health/ready`,
    });
  });
});
