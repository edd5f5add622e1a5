import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  createTestDatabase,
  freePort,
  leaseTestRedis,
  pathSpellings,
  startService,
  type TestDatabase,
  type TestRedis,
} from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenDealer, type TestTokenDealer } from '../src/testing/index.js';

const APP_DIR = join(import.meta.dirname, '..');
const OPERATOR_ROUTES = ['/metrics', '/docs', '/openapi.json', '/openapi.yaml'];

/**
 * Item 7 of the security issue: metrics and docs only on the operator listener (127.0.0.1 by
 * default), public readiness without internal detail, weak secrets refused at start.
 */
describe('token-dealer exposure', () => {
  let dealer: TestTokenDealer;

  beforeAll(async () => {
    dealer = await startTokenDealer();
  });
  afterAll(() => dealer?.close());

  it.each(OPERATOR_ROUTES)(
    'serves %s on the operator listener only (404 on the public one, however spelled)',
    async (route) => {
      expect((await fetch(`${dealer.operatorUrl}${route}`)).status).toBe(200);
      for (const path of pathSpellings(route)) {
        const response = await fetch(`${dealer.url}${path}`, { headers: { 'x-request-id': 'exposure-1' } });
        expect(response.status, path).toBe(404);
        expect(response.headers.get('x-request-id'), path).toBe('exposure-1');
        const body = (await response.json()) as { error: string; message: string };
        expect(body, path).toEqual({ error: 'not_found', message: expect.stringMatching(/^Cannot GET /) });
      }
    },
  );

  it('keeps its public routes on the public listener', async () => {
    for (const path of [
      '/.well-known/jwks.json',
      '/.well-known/oauth-authorization-server',
      '/health/live',
      '/health/ready',
    ])
      expect((await fetch(`${dealer.url}${path}`)).status, path).toBe(200);
    const token = await fetch(`${dealer.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(token.status).toBe(401);
  });

  it('counts requests of both listeners in its metrics', async () => {
    await fetch(`${dealer.url}/.well-known/jwks.json`);
    await fetch(`${dealer.operatorUrl}/.well-known/jwks.json`);
    const metrics = await (await fetch(`${dealer.operatorUrl}/metrics`)).text();
    const count =
      /http_request_duration_seconds_count\{method="GET",route="\/\.well-known\/jwks\.json",status_code="200"\} (\d+)/.exec(
        metrics,
      );
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(2);
  });
});

describe('token-dealer closing', () => {
  it('closes its operator listener with the app', async () => {
    const dealer = await startTokenDealer();
    expect((await fetch(`${dealer.operatorUrl}/health/live`)).status).toBe(200);
    await dealer.close();
    await expect(fetch(`${dealer.operatorUrl}/health/live`)).rejects.toThrow();
  });
});

describe('token-dealer readiness with its database gone', () => {
  let dealer: TestTokenDealer;

  beforeAll(async () => {
    dealer = await startTokenDealer();
    await dealer.database.drop();
  });
  afterAll(() => dealer?.close());

  it('tells the public only that it is unavailable, and the operator what is down', async () => {
    const ready = await fetch(`${dealer.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable' });
    const operator = await fetch(`${dealer.operatorUrl}/health/ready`);
    expect(operator.status).toBe(503);
    const body = (await operator.json()) as {
      error: string;
      message: string;
      details: { checks: Record<string, { status: string; error?: string }> };
    };
    expect(body).toMatchObject({ error: 'not_ready', message: 'not ready: postgres down' });
    expect(body.details.checks.postgres).toMatchObject({ status: 'down', error: expect.any(String) });
    expect(body.details.checks.redis).toEqual({ status: 'up' });
  });
});

describe('token-dealer process', { timeout: 90_000 }, () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let port: number;
  const env = () => ({
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    TOKEN_DEALER_PORT: String(port),
    TOKEN_DEALER_OPERATOR_PORT: '0',
    OPERATOR_HOST: '',
    TOKEN_DEALER_PEPPER: randomBytes(32).toString('hex'),
    TOKEN_DEALER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });

  beforeAll(async () => {
    [database, redis, port] = await Promise.all([createTestDatabase(), leaseTestRedis(), freePort()]);
  });
  afterAll(async () => {
    await Promise.all([database?.drop(), redis?.release()]);
  });

  it('binds its operator listener to 127.0.0.1 by default', async () => {
    const service = await startService({ cwd: APP_DIR, env: env() });
    try {
      const url = new URL(await service.operatorUrl());
      expect(url.hostname).toBe('127.0.0.1');
      expect((await fetch(`${url.origin}/metrics`)).status).toBe(200);
    } finally {
      await service.stop();
    }
  });

  it.each([
    ['TOKEN_DEALER_PEPPER', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['TOKEN_DEALER_KEY_ENCRYPTION_KEY', Buffer.from('password12345678password12345678').toString('base64')],
  ])('refuses to start with a weak %s, in one line naming it', async (name, value) => {
    const service = await startService({ cwd: APP_DIR, env: { ...env(), [name]: value } });
    expect(await service.exited()).toBe(1);
    const lines = service.output().trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^invalid configuration: ${name} is a weak secret \\(`))]);
  });
});
