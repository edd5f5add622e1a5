import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '@runnerly/config';
import { operatorUrl, startOperatorListener } from '@runnerly/platform';
import { leaseTestRedis, type TestRedis } from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { StravaWorkerConfigSchema } from '../src/config.js';

const BOARD_PASSWORD = randomBytes(18).toString('base64url');
const secret = () => randomBytes(24).toString('base64url');
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

describe('strava-worker', () => {
  let app: Awaited<ReturnType<typeof createApp>>;
  let baseUrl: string;
  /** The operator listener: metrics, docs, /queues and Bull Board. */
  let operatorBase: string;

  let redis: TestRedis;
  /** An HTTP-only worker (no job processing) on the leased Redis. */
  const config = (env: Record<string, string> = {}) =>
    parseConfig(StravaWorkerConfigSchema, {
      LOG_LEVEL: 'silent',
      REDIS_URL: redis.url,
      STRAVA_CLIENT_ID: '1',
      STRAVA_CLIENT_SECRET: secret(),
      STRAVA_WEBHOOK_VERIFY_TOKEN: secret(),
      STRAVA_WORKER_CLIENT_SECRET: secret(),
      STRAVA_WORKER_PROCESS_JOBS: 'false',
      ...env,
    });

  beforeAll(async () => {
    redis = await leaseTestRedis();
    app = await createApp(config({ STRAVA_WORKER_BOARD_PASSWORD: BOARD_PASSWORD }));
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    await startOperatorListener(app, { port: 0, host: '127.0.0.1' });
    operatorBase = operatorUrl(app);
  });
  afterAll(async () => {
    await app.close();
    await redis.release();
  });

  it('answers its health endpoints', async () => {
    expect(await (await fetch(`${baseUrl}/health/live`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
  });

  it('serves Prometheus metrics and its OpenAPI document', async () => {
    const metrics = await fetch(`${operatorBase}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain('http_request_duration_seconds_bucket{');
    expect(text).toContain('strava_queue_jobs{queue="strava-sync",state="waiting"} 0');
    expect(text).toContain('strava_rate_limit_remaining{window="15min"}');
    const openapi = await (await fetch(`${operatorBase}/openapi.json`)).json();
    expect(openapi.info.title).toBe('Runnerly strava-worker');
  });

  it('shows queues to operators: JSON and Bull Board', async () => {
    const overview = await (await fetch(`${operatorBase}/queues`)).json();
    expect(overview.queues.map((queue: { name: string }) => queue.name)).toEqual([
      'strava-sync',
      'strava-housekeeping',
      'strava-enrichment',
    ]);
    expect(overview.stravaBudget[0]).toMatchObject({ scope: '15min', remaining: 100 });
    const operator = basic('operator', BOARD_PASSWORD);
    const board = await fetch(`${operatorBase}/queues/board`, { headers: operator });
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('<html');
    const api = await (await fetch(`${operatorBase}/queues/board/api/queues`, { headers: operator })).json();
    expect(api.queues.length).toBe(3);
  });

  it('keeps Bull Board (which can empty queues) from anyone without the operator password', async () => {
    for (const headers of [
      {},
      basic('operator', 'wrong-password-of-length'),
      basic('admin', BOARD_PASSWORD),
      { authorization: `Bearer ${BOARD_PASSWORD}` },
    ]) {
      for (const [method, path] of [
        ['GET', '/queues/board'],
        ['GET', '/queues/board/api/queues'],
        ['PUT', '/queues/board/api/queues/strava-sync/empty'],
        ['GET', '/queues/board/static/js/main.js'],
      ] as const) {
        const response = await fetch(`${operatorBase}${path}`, { method, headers });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect(await response.json()).toMatchObject({ error: 'unauthorized' });
      }
    }
    // Without a password configured there is no board at all.
    const bare = await createApp(config());
    try {
      await bare.listen(0, '127.0.0.1');
      await startOperatorListener(bare, { port: 0, host: '127.0.0.1' });
      const response = await fetch(`${operatorUrl(bare)}/queues/board`, {
        headers: basic('operator', BOARD_PASSWORD),
      });
      expect(response.status).toBe(404);
      expect((await fetch(`${operatorUrl(bare)}/queues`)).status).toBe(200);
    } finally {
      await bare.close();
    }
  });

  it('answers an unknown route with a JSON 404 that carries the request id', async () => {
    const response = await fetch(`${baseUrl}/nope`, { headers: { 'x-request-id': 'test-req-1' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('test-req-1');
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});
