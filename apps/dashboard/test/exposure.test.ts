import 'reflect-metadata';
import { join } from 'node:path';
import { parseConfig } from '@runnerly/config';
import { operatorUrl, startOperatorListener } from '@runnerly/platform';
import { freePort, leaseTestRedis, pathSpellings, startService, type TestRedis } from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aloneEnv } from './stack.js';
import { createApp } from '../src/app.js';
import { DashboardConfigSchema } from '../src/config.js';

const APP_DIR = join(import.meta.dirname, '..');
const OPERATOR_ROUTES = ['/metrics', '/docs', '/openapi.json', '/openapi.yaml'];

const env = aloneEnv;

/**
 * Item 7 of the security issue on the dashboard (Express): metrics and docs only on the operator
 * listener (127.0.0.1 by default); the page, /auth and /api public; readiness without internal
 * detail in public; weak secrets refused at start.
 */
describe('dashboard exposure', () => {
  let redis: TestRedis;
  let app: Awaited<ReturnType<typeof createApp>>;
  let publicUrl: string;
  let operator: string;

  beforeAll(async () => {
    redis = await leaseTestRedis();
    app = await createApp(parseConfig(DashboardConfigSchema, { LOG_LEVEL: 'silent', ...env(redis.url) }));
    await app.listen(0, '127.0.0.1');
    publicUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await startOperatorListener(app, { port: 0, host: '127.0.0.1' });
    operator = operatorUrl(app);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.release();
  });

  it.each(OPERATOR_ROUTES)(
    'serves %s on the operator listener only (404 on the public one, however spelled)',
    async (route) => {
      expect((await fetch(`${operator}${route}`)).status).toBe(200);
      for (const path of pathSpellings(route)) {
        const response = await fetch(`${publicUrl}${path}`, {
          headers: { 'x-request-id': 'exposure-1' },
          redirect: 'manual',
        });
        expect(response.status, path).toBe(404);
        expect(response.headers.get('x-request-id'), path).toBe('exposure-1');
        expect(response.headers.get('set-cookie'), path).toBeNull();
        expect(await response.json(), path).toEqual({
          error: 'not_found',
          message: expect.stringMatching(/^Cannot GET /),
        });
      }
    },
  );

  it('serves the page, the login and the API on the public listener', async () => {
    expect((await fetch(`${publicUrl}/`)).status).toBe(200);
    expect((await fetch(`${publicUrl}/auth/strava`, { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(`${publicUrl}/api/me`)).status).toBe(401);
  });

  it('tells the public only that it is unavailable while its services are down, and the operator what is down', async () => {
    const ready = await fetch(`${publicUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable' });
    const details = await fetch(`${operator}/health/ready`);
    expect(details.status).toBe(503);
    const body = (await details.json()) as { message: string; details: { checks: Record<string, { status: string }> } };
    expect(body.message).toMatch(/^not ready: .*(data-service|token-dealer)/);
    expect(body.details.checks.redis).toEqual({ status: 'up' });
  });

  it('counts requests of both listeners in its metrics', async () => {
    await fetch(`${publicUrl}/api/me`);
    await fetch(`${operator}/api/me`);
    const metrics = await (await fetch(`${operator}/metrics`)).text();
    const count = /http_request_duration_seconds_count\{method="GET",route="\/api\/me",status_code="401"\} (\d+)/.exec(
      metrics,
    );
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(2);
  });
});

describe('dashboard process', { timeout: 90_000 }, () => {
  let redis: TestRedis;
  let port: number;
  const processEnv = () => ({
    ...env(redis.url),
    LOG_LEVEL: 'info',
    DASHBOARD_PORT: String(port),
    DASHBOARD_OPERATOR_PORT: '0',
    OPERATOR_HOST: '',
    HOST: '127.0.0.1',
  });

  beforeAll(async () => {
    [redis, port] = await Promise.all([leaseTestRedis(), freePort()]);
  });
  afterAll(() => redis?.release());

  it('binds its operator listener to 127.0.0.1 by default, and logs requests of both listeners with their request id', async () => {
    const service = await startService({ cwd: APP_DIR, env: processEnv() });
    try {
      const url = new URL(await service.operatorUrl());
      expect(url.hostname).toBe('127.0.0.1');
      expect((await fetch(`${url.origin}/metrics`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      await fetch(`http://127.0.0.1:${port}/api/me`, { headers: { 'x-request-id': 'public-listener-1' } });
      await fetch(`${url.origin}/api/me`, { headers: { 'x-request-id': 'operator-listener-1' } });
      await expect.poll(() => service.output()).toMatch(/"requestId":"public-listener-1"/);
      await expect.poll(() => service.output()).toMatch(/"requestId":"operator-listener-1"/);
    } finally {
      await service.stop();
    }
  });

  it.each([
    ['SESSION_SECRET', 'a'.repeat(64)],
    ['DASHBOARD_CLIENT_SECRET', 'password12345678'],
    ['STRAVA_CLIENT_SECRET', 'changeme'],
  ])('refuses to start with a weak %s, in one line naming it', async (name, value) => {
    const service = await startService({ cwd: APP_DIR, env: { ...processEnv(), [name]: value } });
    expect(await service.exited()).toBe(1);
    expect(service.output().trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^invalid configuration: ${name} is a weak secret \\(`)),
    ]);
  });
});
