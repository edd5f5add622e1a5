import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_PREFIX } from '../src/session/redis-session.store.js';
import { CookieJar } from './cookie-jar.js';
import { type Stack, startStack } from './full-stack.js';
import { type AllowedRedirects, expectSafeRedirect, rawRequest, sessionIdOf } from './hostile-kit.js';
import { startDashboard } from './stack.js';

// Attacks on the Strava login, over HTTP against the real flow: the dashboard, the Strava sandbox
// (its documented pre-approval stands in for the athlete's click), the token-dealer and the
// data-service. What app.test.ts checks without a Strava (a forged state, the start cookie's flags)
// is not repeated here.

const SID = 'runnerly.sid';
const LOGIN_EXPIRED = '/?login_error=login_expired';
const REDIRECT_PARAMS = ['returnTo', 'return_to', 'next', 'redirect', 'redirect_uri', 'redirectUri', 'url', 'continue'];
const EVIL_TARGETS = [
  'https://evil.example',
  '//evil.example',
  '/\\evil.example',
  '\\/evil.example',
  'https:evil.example',
  'javascript:alert(1)',
  '/%2f%2fevil.example',
  'http://127.0.0.1@evil.example/',
];

describe('attacks on the Strava login', () => {
  let stack: Stack;
  let base: string;
  let redis: Redis;
  let athletes: Array<{ id: number }>;
  let allowed: AllowedRedirects;

  beforeAll(async () => {
    // Hundreds of login starts from this one address: the per-address limit (30 a minute by default)
    // would answer most of them 429 before the attack under test; login-limits.test.ts covers it.
    stack = await startStack({ dashboardEnv: { DASHBOARD_LOGIN_RATE_LIMIT: '100000' } });
    base = stack.dashboard.url;
    redis = new Redis(stack.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    athletes = await stack.sandbox.athletes();
    allowed = {
      dashboardUrl: base,
      authorizeUrl: `${stack.sandbox.url}/oauth/authorize`,
      clientId: stack.sandbox.clientId,
    };
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  /** Starts a login in `jar` (query appended to /auth/strava) and returns where the dashboard sent the browser. */
  async function start(jar: CookieJar, query = '', dashboardUrl = base): Promise<URL> {
    const response = await jar.fetch(`${dashboardUrl}/auth/strava${query}`);
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  /** The athlete approves at the sandbox: the callback URL Strava sends the browser back to (not followed). */
  async function approve(authorize: URL, athleteId = athletes[0]!.id): Promise<URL> {
    const decided = new URL(authorize);
    decided.searchParams.set('sandbox_decision', 'approve');
    decided.searchParams.set('sandbox_athlete_id', String(athleteId));
    const response = await fetch(decided, { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  /** The callback URL with its query changed: a parameter set, or removed when `value` is undefined. */
  function withParam(url: URL, name: string, value: string | undefined): string {
    const changed = new URL(url);
    if (value === undefined) changed.searchParams.delete(name);
    else changed.searchParams.set(name, value);
    return changed.toString();
  }

  async function me(jar: CookieJar): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await jar.fetch(`${base}/api/me`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** A browser logged in as `athleteId` through the whole flow. */
  async function loggedIn(athleteId = athletes[0]!.id): Promise<{ jar: CookieJar; callback: URL }> {
    const jar = new CookieJar();
    const callback = await approve(await start(jar), athleteId);
    const response = await jar.fetch(callback.toString());
    expect(response.headers.get('location')).toBe('/');
    return { jar, callback };
  }

  async function postToken(code: string): Promise<Response> {
    return fetch(`${stack.sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: stack.sandbox.clientId,
        client_secret: stack.sandbox.clientSecret,
        code,
        grant_type: 'authorization_code',
      }),
    });
  }

  describe('state', () => {
    it('refuses a callback with no state, a wrong one, or another browser’s, and leaves the code unused', async () => {
      // The attacker's own login, stopped at the callback: a valid code and the state of the attacker's session.
      const attacker = new CookieJar();
      const attackerCallback = await approve(await start(attacker));
      for (const state of [undefined, '', 'forged', attackerCallback.searchParams.get('state')! + 'x']) {
        const victim = new CookieJar();
        await start(victim);
        const response = await victim.fetch(withParam(attackerCallback, 'state', state));
        expect(response.status, String(state)).toBe(303);
        expect(response.headers.get('location'), String(state)).toBe(LOGIN_EXPIRED);
        expect((await me(victim)).status).toBe(401);
      }
      // Login CSRF: the victim's browser is sent the attacker's whole callback (code and state).
      const victim = new CookieJar();
      await start(victim);
      const csrfLogin = await victim.fetch(attackerCallback.toString());
      expect(csrfLogin.headers.get('location')).toBe(LOGIN_EXPIRED);
      expect((await me(victim)).status).toBe(401);
      // None of that spent the attacker's code: no exchange happened. It still works where it belongs.
      const own = await attacker.fetch(attackerCallback.toString());
      expect(own.headers.get('location')).toBe('/');
      expect((await me(attacker)).body.stravaAthleteId).toBe(athletes[0]!.id);
    });

    it('starts a login at /auth/strava whatever the query carries: a callback’s code sent there is not exchanged', async () => {
      const jar = new CookieJar();
      const callback = await approve(await start(jar));
      const restarted = await start(jar, callback.search);
      expectSafeRedirect(restarted.toString(), allowed);
      expect(restarted.searchParams.get('state')).toMatch(/^[\w-]{32}$/);
      expect(restarted.searchParams.get('state')).not.toBe(callback.searchParams.get('state'));
      expect((await me(jar)).status).toBe(401);
      // the code was not spent on a login that could not finish
      expect((await postToken(callback.searchParams.get('code')!)).status).toBe(200);
    });

    it('ends a callback with the right state but no code in a login failure, not a new authorization without a state', async () => {
      for (const code of [undefined, '']) {
        const jar = new CookieJar();
        const callback = await approve(await start(jar));
        const response = await jar.fetch(withParam(callback, 'code', code));
        expect(response.status, String(code)).toBe(303);
        expect(response.headers.get('location'), String(code)).toBe('/?login_error=login_failed');
        expect((await me(jar)).status).toBe(401);
      }
    });

    it('uses a state once: the callback of a completed login, replayed, logs nobody in', async () => {
      const { jar, callback } = await loggedIn();
      const before = jar.get(SID);
      const replayed = await jar.fetch(callback.toString());
      expect(replayed.headers.get('location')).toBe(LOGIN_EXPIRED);
      // the runner's session is left as it was
      expect(jar.get(SID)).toBe(before);
      expect((await me(jar)).status).toBe(200);

      const elsewhere = new CookieJar();
      expect((await elsewhere.fetch(callback.toString())).headers.get('location')).toBe(LOGIN_EXPIRED);
      expect((await me(elsewhere)).status).toBe(401);
    });
  });

  describe('authorization code', () => {
    it('is refused by the sandbox once exchanged, as Strava refuses it', async () => {
      const { callback } = await loggedIn();
      const response = await postToken(callback.searchParams.get('code')!);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        message: 'Bad Request',
        errors: [{ resource: 'AuthorizationCode', field: 'code', code: 'invalid' }],
      });
    });

    it('replayed with a fresh, valid state: a clear login failure, never a login', async () => {
      const { callback } = await loggedIn();
      const replayer = new CookieJar();
      const authorize = await start(replayer);
      const response = await replayer.fetch(withParam(callback, 'state', authorize.searchParams.get('state')!));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(LOGIN_EXPIRED);
      expect((await me(replayer)).status).toBe(401);
      // and the session the failed login left has no user in Redis
      const stored = await redis.get(SESSION_PREFIX + sessionIdOf(replayer.get(SID)!));
      expect(stored === null || !('user' in JSON.parse(stored))).toBe(true);
    });

    it('decides who logs in: athlete A’s code under session B’s state makes a whole new session of A', async () => {
      const [a, b] = [athletes[0]!.id, athletes[1]!.id];
      const asA = await me((await loggedIn(a)).jar);
      const { jar: browserB } = await loggedIn(b);
      const asB = await me(browserB);
      expect(asB.body.stravaAthleteId).toBe(b);
      const oldCookie = browserB.get(SID)!;

      // Session B starts a login; the code that comes back is athlete A's.
      const stateB = (await start(browserB)).searchParams.get('state')!;
      const codeForA = await approve(await start(new CookieJar()), a);
      const mixed = await browserB.fetch(withParam(codeForA, 'state', stateB));
      expect(mixed.headers.get('location')).toBe('/');

      const now = await me(browserB);
      expect(now.body).toMatchObject({ id: asA.body.id, stravaAthleteId: a });
      expect(now.body.csrfToken).not.toBe(asB.body.csrfToken);
      expect(browserB.get(SID)).not.toBe(oldCookie);
      // B's session is gone, not turned into A's
      const old = await fetch(`${base}/api/me`, { headers: { cookie: `${SID}=${oldCookie}` } });
      expect(old.status).toBe(401);
      // and athlete B is still B for the next login
      expect((await me((await loggedIn(b)).jar)).body).toMatchObject({ id: asB.body.id, stravaAthleteId: b });
    });
  });

  describe('open redirects', () => {
    it('sends /auth/strava only to the configured authorize URL, with the configured callback, whatever is passed', async () => {
      for (const name of REDIRECT_PARAMS) {
        for (const target of EVIL_TARGETS) {
          const query = `?${name}=${encodeURIComponent(target)}&${name}=${target}`;
          const authorize = await start(new CookieJar(), query);
          const what = `${name}=${target}`;
          expectSafeRedirect(authorize.toString(), allowed, what);
          expect(`${authorize.origin}${authorize.pathname}`, what).toBe(allowed.authorizeUrl);
          expect(authorize.searchParams.get('redirect_uri'), what).toBe(`${base}/auth/strava/callback`);
          expect(authorize.toString(), what).not.toMatch(/evil|javascript/);
        }
      }
    });

    it('ignores the Host and X-Forwarded-* headers when building the authorize URL', async () => {
      const attempts: Array<Record<string, string>> = [
        { host: 'evil.example' },
        { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
        { host: 'evil.example', 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example;proto=https' },
      ];
      for (const headers of attempts) {
        const answer = await rawRequest(base, '/auth/strava?returnTo=https://evil.example', { headers });
        expect(answer.status).toBe(302);
        const location = String(answer.headers.location);
        expectSafeRedirect(location, allowed, JSON.stringify(headers));
        expect(new URL(location).searchParams.get('redirect_uri')).toBe(`${base}/auth/strava/callback`);
      }
    });

    it('ends every login, failed or not, and every logout on the dashboard’s own page', async () => {
      for (const [index, name] of REDIRECT_PARAMS.entries()) {
        const target = EVIL_TARGETS[index % EVIL_TARGETS.length]!;
        const evil = `${name}=${encodeURIComponent(target)}`;
        const jar = new CookieJar();
        const callback = await approve(await start(jar, `?${evil}`));
        const login = await jar.fetch(`${callback}&${evil}`);
        expect(login.headers.get('location'), evil).toBe('/');

        const failed = await new CookieJar().fetch(`${callback}&${evil}`);
        expect(failed.headers.get('location'), evil).toBe(LOGIN_EXPIRED);

        const { csrfToken } = (await me(jar)).body as { csrfToken: string };
        const logout = await jar.fetch(`${base}/auth/logout?${evil}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `_csrf=${csrfToken}&${evil}`,
        });
        expect(logout.status, evil).toBe(303);
        expect(logout.headers.get('location'), evil).toBe('/');
      }
    });
  });

  describe('session fixation', () => {
    it('gives a new session id at login: a session id planted before is worth nothing after', async () => {
      // The attacker gets a session id of their own and plants it in the victim's browser.
      const attacker = new CookieJar();
      await start(attacker);
      const planted = attacker.get(SID)!;
      const victim = new CookieJar();
      victim.set(SID, planted);

      const callback = await approve(await start(victim));
      // the start reused the planted session (that is fine: nothing is in it yet) ...
      expect(victim.get(SID)).toBe(planted);
      const login = await victim.fetch(callback.toString());
      expect(login.headers.get('location')).toBe('/');
      // ... and the login replaced it
      expect(victim.get(SID)).not.toBe(planted);
      expect((await me(victim)).status).toBe(200);
      expect((await me(attacker)).status).toBe(401);
      expect(await redis.exists(SESSION_PREFIX + sessionIdOf(planted))).toBe(0);
    });

    it('gives a new session id at each login of a logged-in browser too', async () => {
      const { jar } = await loggedIn();
      const first = jar.get(SID)!;
      const callback = await approve(await start(jar));
      await jar.fetch(callback.toString());
      expect(jar.get(SID)).not.toBe(first);
      expect((await me(jar)).status).toBe(200);
      expect((await fetch(`${base}/api/me`, { headers: { cookie: `${SID}=${first}` } })).status).toBe(401);
    });
  });

  describe('logout', () => {
    it('needs a POST with the session’s own CSRF token: GET, no token, a forged one, another session’s, a foreign origin do not log out', async () => {
      const { jar } = await loggedIn();
      const { csrfToken } = (await me(jar)).body as { csrfToken: string };
      const otherToken = (await me((await loggedIn(athletes[1]!.id)).jar)).body.csrfToken as string;
      const form = 'application/x-www-form-urlencoded';

      const get = await jar.fetch(`${base}/auth/logout`);
      expect(get.status).toBe(404);
      const attempts: Array<{ headers: Record<string, string>; body?: string }> = [
        { headers: {} },
        { headers: { origin: 'https://evil.example' } },
        { headers: { 'content-type': form, origin: 'https://evil.example' }, body: '_csrf=forged' },
        { headers: { 'content-type': form, origin: 'https://evil.example' }, body: `_csrf=${otherToken}` },
        { headers: { 'x-csrf-token': otherToken } },
        { headers: { 'x-csrf-token': csrfToken.slice(1) } },
        { headers: { 'content-type': 'text/plain', origin: 'https://evil.example' }, body: `_csrf=${csrfToken}` },
      ];
      for (const attempt of attempts) {
        const response = await jar.fetch(`${base}/auth/logout`, { method: 'POST', ...attempt });
        expect(response.status, JSON.stringify(attempt)).toBe(403);
        expect(await response.json()).toMatchObject({ error: 'csrf_failed' });
        expect(response.headers.getSetCookie()).toEqual([]);
      }
      expect((await me(jar)).body.csrfToken).toBe(csrfToken);

      const logout = await jar.fetch(`${base}/auth/logout`, {
        method: 'POST',
        headers: { 'content-type': form },
        body: `_csrf=${csrfToken}`,
      });
      expect(logout.status).toBe(303);
      expect((await me(jar)).status).toBe(401);
    });
  });

  describe('cookie flags', () => {
    it('sets the session cookie of a login, and clears it at logout, HttpOnly and SameSite=Lax on Path=/', async () => {
      const jar = new CookieJar();
      const callback = await approve(await start(jar));
      const login = await jar.fetch(callback.toString());
      const [set] = login.headers.getSetCookie();
      expect(set).toMatch(/^runnerly\.sid=s%3A/);
      expect(set).toMatch(/; HttpOnly/i);
      expect(set).toMatch(/; SameSite=Lax/i);
      expect(set).toMatch(/; Path=\//i);
      expect(set).not.toMatch(/; Secure/i); // plain http

      const { csrfToken } = (await me(jar)).body as { csrfToken: string };
      const logout = await jar.fetch(`${base}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': csrfToken } });
      const [cleared] = logout.headers.getSetCookie();
      expect(cleared).toMatch(/^runnerly\.sid=;/);
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/i);
      expect(cleared).toMatch(/; HttpOnly/i);
      expect(cleared).toMatch(/; SameSite=Lax/i);
    });

    it('marks the login cookie Secure when the dashboard is configured on https (behind a TLS proxy)', async () => {
      const https = await startDashboard({ ...stack.dashboardEnv, DASHBOARD_URL: 'https://runnerly.example' });
      try {
        const proxied = { 'x-forwarded-proto': 'https' };
        const jar = new CookieJar();
        const toStrava = await jar.fetch(`${https.url}/auth/strava`, { headers: proxied });
        const authorize = new URL(toStrava.headers.get('location')!);
        expect(authorize.searchParams.get('redirect_uri')).toBe('https://runnerly.example/auth/strava/callback');
        const callback = await approve(authorize);
        expect(callback.origin).toBe('https://runnerly.example');
        // what the TLS proxy forwards to the dashboard
        const login = await jar.fetch(`${https.url}${callback.pathname}${callback.search}`, { headers: proxied });
        expect(login.headers.get('location')).toBe('/');
        const [set] = login.headers.getSetCookie();
        expect(set).toMatch(/; Secure/i);
        expect(set).toMatch(/; HttpOnly/i);
        expect(set).toMatch(/; SameSite=Lax/i);
      } finally {
        await https.close();
      }
    });
  });
});
