import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '@runnerly/config';
import { operatorUrl, startOperatorListener } from '@runnerly/platform';
import { leaseTestRedis, type TestRedis } from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { DashboardConfigSchema } from '../src/config.js';
import { CookieJar } from './cookie-jar.js';
import { aloneEnv } from './stack.js';

// The dashboard on its own (no data-service, no Strava): its surface, the start of a login and
// every way a callback is refused before any code is exchanged.
describe('dashboard', () => {
  let app: Awaited<ReturnType<typeof createApp>>;
  let baseUrl: string;
  let operatorBase: string;
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await leaseTestRedis();
    app = await createApp(
      parseConfig(DashboardConfigSchema, {
        LOG_LEVEL: 'silent',
        ...aloneEnv(redis.url),
      }),
    );
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await startOperatorListener(app, { port: 0, host: '127.0.0.1' });
    operatorBase = operatorUrl(app);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.release();
  });

  it('is live, and not ready while the data-service and token-dealer are down: only that in public, what is down for the operator', async () => {
    expect(await (await fetch(`${baseUrl}/health/live`)).json()).toEqual({ status: 'ok' });
    const publicReady = await fetch(`${baseUrl}/health/ready`);
    expect(publicReady.status).toBe(503);
    expect(await publicReady.json()).toEqual({ status: 'unavailable' });
    const ready = await fetch(`${operatorBase}/health/ready`);
    expect(ready.status).toBe(503);
    const body = await ready.json();
    expect(body).toMatchObject({ error: 'not_ready', details: { status: 'unavailable' } });
    expect(body.message).toMatch(/data-service|token-dealer/);
    expect(body.details.checks.redis).toEqual({ status: 'up' });
  });

  it('serves Prometheus metrics and its OpenAPI document on the operator listener', async () => {
    const metrics = await fetch(`${operatorBase}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toContain('http_request_duration_seconds_bucket{');
    const openapi = await (await fetch(`${operatorBase}/openapi.json`)).json();
    expect(openapi.info.title).toBe('Runnerly dashboard');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/me', '/api/runs', '/api/stats', '/api/sync', '/auth/logout']),
    );
  });

  it('answers an unknown route with a JSON 404 that carries the request id', async () => {
    const response = await fetch(`${baseUrl}/nope`, { headers: { 'x-request-id': 'test-req-1' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('test-req-1');
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });

  it('keeps the JSON API for logged-in runners', async () => {
    for (const path of ['/api/me', '/api/runs', '/api/stats?period=week', '/api/sync', '/api/bests']) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status, path).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'not_logged_in' });
    }
    expect((await fetch(`${baseUrl}/api/sync`, { method: 'POST' })).status).toBe(401);
  });

  it('starts a login: to Strava with comma-separated scopes, a random state kept in a session, a safe cookie', async () => {
    const jar = new CookieJar();
    const first = await jar.fetch(`${baseUrl}/auth/strava`);
    expect(first.status).toBe(302);
    const location = new URL(first.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://strava.invalid/oauth/authorize');
    expect(location.searchParams.get('scope')).toBe('read,activity:read_all,profile:read_all');
    expect(location.searchParams.get('client_id')).toBe('1234');
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('redirect_uri')).toBe('http://localhost:3999/auth/strava/callback');
    const state = location.searchParams.get('state')!;
    expect(state).toMatch(/^[\w-]{32}$/);
    const cookie = first.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^runnerly\.sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http here; https DASHBOARD_URL → Secure

    const again = await new CookieJar().fetch(`${baseUrl}/auth/strava`);
    expect(new URL(again.headers.get('location')!).searchParams.get('state')).not.toBe(state);
  });

  it('refuses a callback whose state does not match, without exchanging the code', async () => {
    const jar = new CookieJar();
    await jar.fetch(`${baseUrl}/auth/strava`);
    const forged = await jar.fetch(
      `${baseUrl}/auth/strava/callback?state=forged&code=abc&scope=read,activity:read_all`,
    );
    expect(forged.status).toBe(303);
    expect(forged.headers.get('location')).toBe('/?login_error=login_expired');
    // No session at all (a callback that was never started) is refused the same way.
    const stray = await new CookieJar().fetch(
      `${baseUrl}/auth/strava/callback?state=x&code=abc&scope=read,activity:read_all`,
    );
    expect(stray.headers.get('location')).toBe('/?login_error=login_expired');
  });

  it('says so when the athlete cancels, or unticks the activity permission', async () => {
    const denied = new CookieJar();
    const state = await denied.startLogin(baseUrl);
    const response = await denied.fetch(`${baseUrl}/auth/strava/callback?state=${state}&error=access_denied`);
    expect(response.headers.get('location')).toBe('/?login_error=access_denied');

    const unticked = new CookieJar();
    const state2 = await unticked.startLogin(baseUrl);
    const response2 = await unticked.fetch(`${baseUrl}/auth/strava/callback?state=${state2}&code=abc&scope=read`);
    expect(response2.headers.get('location')).toBe('/?login_error=missing_scope');
    // The state is single-use: replaying the callback is refused.
    const replay = await unticked.fetch(
      `${baseUrl}/auth/strava/callback?state=${state2}&code=abc&scope=read,activity:read_all`,
    );
    expect(replay.headers.get('location')).toBe('/?login_error=login_expired');
  });

  it('tells Strava being unreachable apart from the runner’s choices', async () => {
    const jar = new CookieJar();
    const state = await jar.startLogin(baseUrl);
    const response = await jar.fetch(
      `${baseUrl}/auth/strava/callback?state=${state}&code=abc&scope=read,activity:read_all`,
    );
    expect(response.headers.get('location')).toBe('/?login_error=strava_unavailable');
  });

  it('marks the session cookie Secure behind an HTTPS proxy', async () => {
    const https = await createApp(
      parseConfig(DashboardConfigSchema, {
        LOG_LEVEL: 'silent',
        REDIS_URL: redis.url,
        DASHBOARD_URL: 'https://runnerly.example',
        STRAVA_CLIENT_ID: '1234',
        STRAVA_CLIENT_SECRET: randomBytes(20).toString('hex'),
        DASHBOARD_CLIENT_SECRET: randomBytes(24).toString('base64url'),
        SESSION_SECRET: randomBytes(32).toString('hex'),
      }),
    );
    try {
      await https.listen(0, '127.0.0.1');
      const url = (await https.getUrl()).replace('[::1]', '127.0.0.1');
      const response = await fetch(`${url}/auth/strava`, {
        redirect: 'manual',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(new URL(response.headers.get('location')!).searchParams.get('redirect_uri')).toBe(
        'https://runnerly.example/auth/strava/callback',
      );
      const cookie = response.headers.getSetCookie()[0]!;
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
    } finally {
      await https.close();
    }
  });

  it('protects logout against CSRF', async () => {
    const response = await fetch(`${baseUrl}/auth/logout`, { method: 'POST' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'csrf_failed' });
  });
});
