import 'reflect-metadata';
import { parseConfig } from '@runnerly/config';
import { leaseTestRedis, type TestRedis } from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { StravaWorkerConfigSchema } from '../src/config.js';

describe('strava-worker', () => {
  let app: Awaited<ReturnType<typeof createApp>>;
  let baseUrl: string;

  let redis: TestRedis;

  beforeAll(async () => {
    redis = await leaseTestRedis();
    app = await createApp(
      parseConfig(StravaWorkerConfigSchema, {
        LOG_LEVEL: 'silent',
        REDIS_URL: redis.url,
        STRAVA_CLIENT_ID: '1',
        STRAVA_CLIENT_SECRET: 'secret',
        STRAVA_WEBHOOK_VERIFY_TOKEN: 'verify-token',
        STRAVA_WORKER_CLIENT_SECRET: 'secret',
        STRAVA_WORKER_PROCESS_JOBS: 'false',
      }),
    );
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
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
    const metrics = await fetch(`${baseUrl}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain('http_request_duration_seconds_bucket{');
    expect(text).toContain('strava_queue_jobs{queue="strava-sync",state="waiting"} 0');
    expect(text).toContain('strava_rate_limit_remaining{window="15min"}');
    const openapi = await (await fetch(`${baseUrl}/openapi.json`)).json();
    expect(openapi.info.title).toBe('Runnerly strava-worker');
  });

  it('shows queues to operators: JSON and Bull Board', async () => {
    const overview = await (await fetch(`${baseUrl}/queues`)).json();
    expect(overview.queues.map((queue: { name: string }) => queue.name)).toEqual([
      'strava-sync',
      'strava-housekeeping',
    ]);
    expect(overview.stravaBudget[0]).toMatchObject({ scope: '15min', remaining: 100 });
    const board = await fetch(`${baseUrl}/queues/board`);
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('<html');
    const api = await (await fetch(`${baseUrl}/queues/board/api/queues`)).json();
    expect(api.queues.length).toBe(2);
  });

  it('answers an unknown route with a JSON 404 that carries the request id', async () => {
    const response = await fetch(`${baseUrl}/nope`, { headers: { 'x-request-id': 'test-req-1' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('test-req-1');
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});
