import { join } from 'node:path';
import { createTestIssuer, type TestIssuer } from '@runnerly/auth/testing';
import {
  createTestDatabase,
  freePort,
  pathSpellings,
  startService as startProcess,
  type TestDatabase,
} from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startService, testKey } from './harness.js';

const APP_DIR = join(import.meta.dirname, '..');
const OPERATOR_ROUTES = ['/metrics', '/docs', '/openapi.json', '/openapi.yaml'];

/**
 * Item 7 of the security issue: metrics and docs only on the operator listener (127.0.0.1 by
 * default), public readiness without internal detail, weak secrets refused at start.
 */
describe('data-service exposure', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startService();
  });
  afterAll(() => h?.close());

  it.each(OPERATOR_ROUTES)(
    'serves %s on the operator listener only (404 on the public one, however spelled)',
    async (route) => {
      expect((await fetch(`${h.operatorUrl}${route}`)).status).toBe(200);
      for (const path of pathSpellings(route)) {
        const response = await h.call('GET', path, { headers: { 'x-request-id': 'exposure-1' } });
        expect(response.status, path).toBe(404);
        expect(response.headers.get('x-request-id'), path).toBe('exposure-1');
        expect(response.body, path).toEqual({ error: 'not_found', message: expect.stringMatching(/^Cannot GET /) });
      }
    },
  );

  it('serves its API on the public listener, guarded as before', async () => {
    expect((await h.call('GET', '/users?limit=1')).status).toBe(200);
    expect((await h.call('GET', '/users?limit=1', { token: null })).status).toBe(401);
  });

  it('tells the public only that it is unavailable once its database is gone, and the operator what is down', async () => {
    const other = await startService({}, { database: await createTestDatabase(), issuer: h.issuer });
    try {
      expect(await (await fetch(`${other.baseUrl}/health/ready`)).json()).toEqual({ status: 'ok' });
      await other.database.drop();
      const ready = await fetch(`${other.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable' });
      const operator = await fetch(`${other.operatorUrl}/health/ready`);
      expect(operator.status).toBe(503);
      expect(await operator.json()).toMatchObject({
        error: 'not_ready',
        message: 'not ready: postgres down',
        details: { status: 'unavailable', checks: { postgres: { status: 'down', error: expect.any(String) } } },
      });
    } finally {
      await other.close();
    }
  });
});

describe('data-service process', { timeout: 90_000 }, () => {
  let issuer: TestIssuer;
  let database: TestDatabase;
  let port: number;
  const env = () => ({
    LOG_LEVEL: 'info',
    DATA_SERVICE_PORT: String(port),
    DATA_SERVICE_OPERATOR_PORT: '0',
    OPERATOR_HOST: '',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    TOKEN_DEALER_URL: issuer.issuer,
    STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${testKey()}`,
    REDIS_URL: '',
  });

  beforeAll(async () => {
    [issuer, database, port] = await Promise.all([createTestIssuer(), createTestDatabase(), freePort()]);
  });
  afterAll(async () => {
    await Promise.all([issuer?.close(), database?.drop()]);
  });

  it('binds its operator listener to 127.0.0.1 by default, and logs requests of both listeners with their request id', async () => {
    const service = await startProcess({ cwd: APP_DIR, env: env() });
    try {
      const url = new URL(await service.operatorUrl());
      expect(url.hostname).toBe('127.0.0.1');
      expect((await fetch(`${url.origin}/metrics`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      await fetch(`http://127.0.0.1:${port}/users?limit=1`, { headers: { 'x-request-id': 'public-listener-1' } });
      await fetch(`${url.origin}/users?limit=1`, { headers: { 'x-request-id': 'operator-listener-1' } });
      await expect.poll(() => service.output()).toMatch(/"requestId":"public-listener-1".*"statusCode":401/);
      await expect.poll(() => service.output()).toMatch(/"requestId":"operator-listener-1".*"statusCode":401/);
    } finally {
      await service.stop();
    }
  });

  it.each([
    ['STRAVA_TOKEN_ENCRYPTION_KEYS', `k1:${Buffer.alloc(32, 'a').toString('base64')}`],
    ['REDIS_URL', 'redis://:password12345678@127.0.0.1:6379'],
  ])('refuses to start with a weak %s, in one line naming it', async (name, value) => {
    const service = await startProcess({ cwd: APP_DIR, env: { ...env(), [name]: value } });
    expect(await service.exited()).toBe(1);
    expect(service.output().trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^invalid configuration: ${name} `)),
    ]);
    expect(service.output()).toMatch(/weak/);
  });
});
