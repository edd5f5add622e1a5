import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar.js';
import { type Stack, startStack } from './full-stack.js';
import { loginAs } from './login.js';

// The JSON API against real services: sandbox, token-dealer, data-service, Redis. No worker: the
// sync is queued and its state read, the runs are read from the data-service as they are.
describe('dashboard JSON API', () => {
  let stack: Stack;
  let jar: CookieJar;
  let preLoginCookie: string | undefined;

  beforeAll(async () => {
    stack = await startStack();
    const fresh = new CookieJar();
    await fresh.fetch(`${stack.dashboard.url}/auth/strava`);
    preLoginCookie = fresh.get('runnerly.sid');
    ({ jar } = await loginAs(stack));
  });
  afterAll(() => stack?.close());

  const get = (path: string, cookies = jar) => cookies.fetch(`${stack.dashboard.url}${path}`);

  it('logs in: the athlete from the token response, a new session id, tokens never in the page', async () => {
    const me = await (await get('/api/me')).json();
    const [athlete] = await stack.sandbox.athletes();
    expect(me).toMatchObject({
      stravaAthleteId: athlete!.id,
      firstname: athlete!.firstname,
      lastname: athlete!.lastname,
    });
    expect(me.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(me.csrfToken).toMatch(/^[\w-]{32}$/);
    expect(JSON.stringify(me)).not.toMatch(/accessToken|refreshToken/);
    expect(jar.get('runnerly.sid')).toBeDefined();
    expect(jar.get('runnerly.sid')).not.toBe(preLoginCookie);
  });

  it('queued the first sync at login, and queues one on demand with the CSRF token only', async () => {
    const state = await (await get('/api/sync')).json();
    expect(state.status).toBe('queued');
    expect(state.requestedAt).toEqual(expect.any(String));

    const refused = await jar.fetch(`${stack.dashboard.url}/api/sync`, { method: 'POST' });
    expect(refused.status).toBe(403);
    const { csrfToken } = await (await get('/api/me')).json();
    const accepted = await jar.fetch(`${stack.dashboard.url}/api/sync`, {
      method: 'POST',
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ status: 'queued', lastError: null });
    // Once a minute: Strava's budget is the whole application's.
    const again = await jar.fetch(`${stack.dashboard.url}/api/sync`, {
      method: 'POST',
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(again.status).toBe(429);
    const retryAfter = Number(again.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await again.json()).toMatchObject({ error: 'sync_cooldown', details: { retryAfterSeconds: retryAfter } });
  });

  it('reads runs, stats and personal bests of the logged-in athlete (none before a sync)', async () => {
    expect(await (await get('/api/runs?limit=5')).json()).toEqual({ items: [], nextCursor: null });
    expect(await (await get('/api/stats?period=week')).json()).toMatchObject({ items: [] });
    expect(await (await get('/api/bests')).json()).toEqual({ items: [], progress: { runs: 0, withEfforts: 0 } });
  });

  it('validates its query parameters', async () => {
    const badPeriod = await get('/api/stats?period=fortnight');
    expect(badPeriod.status).toBe(400);
    expect(await badPeriod.json()).toMatchObject({ error: 'validation_failed' });
    expect((await get('/api/runs?limit=0')).status).toBe(400);
  });

  it('logs out with the CSRF token, and the old session is gone from Redis', async () => {
    const { csrfToken } = await (await get('/api/me')).json();
    const oldCookie = jar.get('runnerly.sid')!;
    const response = await jar.fetch(`${stack.dashboard.url}/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfToken }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect((await get('/api/me')).status).toBe(401);
    const replayed = await fetch(`${stack.dashboard.url}/api/me`, { headers: { cookie: `runnerly.sid=${oldCookie}` } });
    expect(replayed.status).toBe(401);
  });
});
