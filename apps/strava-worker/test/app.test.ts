import 'reflect-metadata';
import { parseConfig } from '@runnerly/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { StravaWorkerConfigSchema } from '../src/config.js';

describe('strava-worker', () => {
  let app: Awaited<ReturnType<typeof createApp>>;
  let baseUrl: string;

  beforeAll(async () => {
    app = await createApp(parseConfig(StravaWorkerConfigSchema, { LOG_LEVEL: 'silent' }));
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });
  afterAll(() => app.close());

  it('answers its health endpoints', async () => {
    expect(await (await fetch(`${baseUrl}/health/live`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
  });

  it('serves Prometheus metrics and its OpenAPI document', async () => {
    const metrics = await fetch(`${baseUrl}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toContain('http_request_duration_seconds_bucket{');
    const openapi = await (await fetch(`${baseUrl}/openapi.json`)).json();
    expect(openapi.info.title).toBe('Runnerly strava-worker');
  });

  it('answers an unknown route with a JSON 404 that carries the request id', async () => {
    const response = await fetch(`${baseUrl}/nope`, { headers: { 'x-request-id': 'test-req-1' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('test-req-1');
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});
