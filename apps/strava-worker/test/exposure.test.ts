import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseConfig } from '@runnerly/config';
import { operatorUrl, startOperatorListener } from '@runnerly/platform';
import { freePort, leaseTestRedis, pathSpellings, startService, type TestRedis } from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { StravaWorkerConfigSchema } from '../src/config.js';
import { RedisServer } from './harness.js';

const APP_DIR = join(import.meta.dirname, '..');
const OPERATOR_ROUTES = ['/metrics', '/docs', '/openapi.json', '/openapi.yaml', '/queues', '/queues/board'];
const secret = () => randomBytes(24).toString('base64url');
const BOARD_PASSWORD = secret();
const operatorHeaders = { authorization: `Basic ${Buffer.from(`operator:${BOARD_PASSWORD}`).toString('base64')}` };

/** An HTTP-only worker (no job processing) on `redisUrl`. */
const env = (redisUrl: string): Record<string, string> => ({
  REDIS_URL: redisUrl,
  STRAVA_CLIENT_ID: '1',
  STRAVA_CLIENT_SECRET: secret(),
  STRAVA_WEBHOOK_VERIFY_TOKEN: secret(),
  STRAVA_WORKER_CLIENT_SECRET: secret(),
  STRAVA_WORKER_BOARD_PASSWORD: BOARD_PASSWORD,
  STRAVA_WORKER_PROCESS_JOBS: 'false',
  STRAVA_SYNC_SCHEDULER_ENABLED: 'false',
});

/**
 * Item 7 of the security issue: metrics, docs, /queues and Bull Board only on the operator listener
 * (127.0.0.1 by default); the public port serves Strava's webhook and health, readiness without
 * internal detail; weak secrets refused at start.
 */
describe('strava-worker exposure', () => {
  let redis: RedisServer;
  let app: Awaited<ReturnType<typeof createApp>>;
  let publicUrl: string;
  let operator: string;

  beforeAll(async () => {
    redis = await RedisServer.start();
    app = await createApp(parseConfig(StravaWorkerConfigSchema, { LOG_LEVEL: 'silent', ...env(redis.url) }));
    await app.listen(0, '127.0.0.1');
    publicUrl = await app.getUrl();
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
      expect((await fetch(`${operator}${route}`, { headers: operatorHeaders })).status).toBe(200);
      for (const path of pathSpellings(route)) {
        const response = await fetch(`${publicUrl}${path}`, {
          headers: { ...operatorHeaders, 'x-request-id': 'exposure-1' },
        });
        expect(response.status, path).toBe(404);
        expect(response.headers.get('x-request-id'), path).toBe('exposure-1');
        expect(await response.json(), path).toEqual({
          error: 'not_found',
          message: expect.stringMatching(/^Cannot GET /),
        });
      }
    },
  );

  it("keeps Bull Board's actions off the public listener, even with the operator's password", async () => {
    const response = await fetch(`${publicUrl}/queues/board/api/queues/strava-sync/empty`, {
      method: 'PUT',
      headers: operatorHeaders,
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it("serves Strava's webhook on the public listener", async () => {
    const handshake = await fetch(
      `${publicUrl}/strava/webhook?hub.mode=subscribe&hub.challenge=abc&hub.verify_token=wrong`,
    );
    expect(handshake.status).toBe(403);
  });

  it('tells the public only that it is unavailable once Redis is gone, and the operator what is down', async () => {
    expect(await (await fetch(`${publicUrl}/health/ready`)).json()).toEqual({ status: 'ok' });
    await redis.kill();
    try {
      await expect.poll(async () => (await fetch(`${publicUrl}/health/ready`)).status, { timeout: 10_000 }).toBe(503);
      expect(await (await fetch(`${publicUrl}/health/ready`)).json()).toEqual({ status: 'unavailable' });
      const details = await fetch(`${operator}/health/ready`);
      expect(details.status).toBe(503);
      expect(await details.json()).toMatchObject({
        error: 'not_ready',
        message: 'not ready: redis down',
        details: { checks: { redis: { status: 'down', error: expect.any(String) } } },
      });
    } finally {
      await redis.start();
    }
  });
});

describe('strava-worker process', { timeout: 90_000 }, () => {
  let redis: TestRedis;
  let port: number;
  const processEnv = () => ({
    ...env(redis.url),
    LOG_LEVEL: 'info',
    STRAVA_WORKER_PORT: String(port),
    STRAVA_WORKER_OPERATOR_PORT: '0',
    OPERATOR_HOST: '',
    HOST: '127.0.0.1',
    STRAVA_WEBHOOK_CALLBACK_URL: '',
  });

  beforeAll(async () => {
    [redis, port] = await Promise.all([leaseTestRedis(), freePort()]);
  });
  afterAll(() => redis?.release());

  it('binds its operator listener to 127.0.0.1 by default', async () => {
    const service = await startService({ cwd: APP_DIR, env: processEnv() });
    try {
      const url = new URL(await service.operatorUrl());
      expect(url.hostname).toBe('127.0.0.1');
      expect((await fetch(`${url.origin}/queues`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/queues`)).status).toBe(404);
    } finally {
      await service.stop();
    }
  });

  it.each([
    ['STRAVA_WORKER_BOARD_PASSWORD', 'password12345678'],
    ['STRAVA_WEBHOOK_VERIFY_TOKEN', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['STRAVA_WORKER_CLIENT_SECRET', 'abcabcabcabcabcabcabcabc'],
  ])('refuses to start with a weak %s, in one line naming it', async (name, value) => {
    const service = await startService({ cwd: APP_DIR, env: { ...processEnv(), [name]: value } });
    expect(await service.exited()).toBe(1);
    expect(service.output().trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^invalid configuration: ${name} is a weak secret \\(`)),
    ]);
  });
});
