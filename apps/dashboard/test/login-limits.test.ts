import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_RATE_PREFIX } from '../src/auth/login-rate-limit.guard.js';
import { DashboardConfigSchema } from '../src/config.js';
import { SESSION_PREFIX } from '../src/session/redis-session.store.js';
import { CookieJar } from './cookie-jar.js';
import { type Stack, startStack } from './full-stack.js';
import { type RawAnswer, rawRequest, sessionIdOf } from './hostile-kit.js';
import { startDashboard } from './stack.js';

// What a login start may leave in Redis (the Redis BullMQ needs, which never evicts), over HTTP
// against the whole stack with the dashboard's defaults: a login in progress lives minutes, a
// logged-in session the full lifetime, and login starts are limited per client address. Other
// client addresses are real ones: requests leave from another 127.x.y.z of this machine.

const SID = 'runnerly.sid';
const DEFAULTS = DashboardConfigSchema.parse({
  STRAVA_CLIENT_ID: '1',
  STRAVA_CLIENT_SECRET: randomBytes(20).toString('hex'),
  DASHBOARD_CLIENT_SECRET: randomBytes(24).toString('base64url'),
  SESSION_SECRET: randomBytes(32).toString('hex'),
});
const LOGIN_TTL = DEFAULTS.DASHBOARD_LOGIN_TTL_SECONDS;
const SESSION_TTL = DEFAULTS.DASHBOARD_SESSION_TTL_SECONDS;
const LIMIT = DEFAULTS.DASHBOARD_LOGIN_RATE_LIMIT;
/** The bound the README states for one pending-login session in Redis (MEMORY USAGE). */
const PENDING_SESSION_MAX_BYTES = 400;

function cookieValue(answer: RawAnswer): string | undefined {
  const setCookie = [answer.headers['set-cookie'] ?? []].flat();
  const line = setCookie.find((value) => value.startsWith(`${SID}=`));
  return line?.slice(SID.length + 1).split(';')[0];
}

describe('login sessions and the login rate limit', () => {
  let stack: Stack;
  let base: string;
  let redis: Redis;
  let athleteId: number;

  beforeAll(async () => {
    stack = await startStack();
    base = stack.dashboard.url;
    redis = new Redis(stack.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    athleteId = (await stack.sandbox.athletes())[0]!.id;
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  const sessionKeys = async () => (await redis.keys(`${SESSION_PREFIX}*`)).sort();
  const keyOf = (cookie: string) => SESSION_PREFIX + sessionIdOf(cookie);

  /** GET /auth/strava from `localAddress`, with `cookie` when given. */
  function startFrom(localAddress: string, cookie?: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
    return rawRequest(base, '/auth/strava', {
      localAddress,
      headers: { ...headers, ...(cookie ? { cookie: `${SID}=${cookie}` } : {}) },
    });
  }

  /** Approves at the sandbox the login started by `answer` and follows Strava's redirect back with `jar`. */
  async function finishLogin(jar: CookieJar, answer: RawAnswer): Promise<Response> {
    const authorize = new URL(String(answer.headers.location));
    authorize.searchParams.set('sandbox_decision', 'approve');
    authorize.searchParams.set('sandbox_athlete_id', String(athleteId));
    const back = await fetch(authorize, { redirect: 'manual' });
    return jar.fetch(back.headers.get('location')!);
  }

  it('keeps a login in progress minutes in Redis and in the browser, and gives the full lifetime only at login, under a new id', async () => {
    const started = await startFrom('127.0.0.11');
    expect(started.status).toBe(302);
    const pending = cookieValue(started)!;
    const pendingKey = keyOf(pending);
    const ttl = await redis.ttl(pendingKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(LOGIN_TTL);
    expect(LOGIN_TTL).toBeLessThanOrEqual(15 * 60);
    const setCookie = [started.headers['set-cookie']].flat().join();
    const expires = Date.parse(/Expires=([^;]+)/i.exec(setCookie)![1]!);
    expect(expires - Date.now()).toBeLessThanOrEqual(LOGIN_TTL * 1000);

    const bytes = Number(await redis.call('MEMORY', 'USAGE', pendingKey));
    const counterBytes = Number(await redis.call('MEMORY', 'USAGE', `${LOGIN_RATE_PREFIX}127.0.0.11`));
    // eslint-disable-next-line no-console -- the measured size the README quotes
    console.info(`pending-login session: ${bytes} bytes in Redis (MEMORY USAGE); rate counter: ${counterBytes} bytes`);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(PENDING_SESSION_MAX_BYTES);

    const jar = new CookieJar();
    jar.set(SID, pending);
    const login = await finishLogin(jar, started);
    expect(login.headers.get('location')).toBe('/');
    const loggedIn = jar.get(SID)!;
    expect(sessionIdOf(loggedIn)).not.toBe(sessionIdOf(pending));
    expect(await redis.exists(pendingKey)).toBe(0);
    const fullTtl = await redis.ttl(keyOf(loggedIn));
    expect(fullTtl).toBeGreaterThan(LOGIN_TTL);
    expect(fullTtl).toBeGreaterThan(SESSION_TTL - 3600);
    expect(fullTtl).toBeLessThanOrEqual(SESSION_TTL);

    // A runner already logged in who starts another login keeps the full lifetime (no new session).
    const before = await sessionKeys();
    const again = await startFrom('127.0.0.11', loggedIn);
    expect(again.status).toBe(302);
    expect(await sessionKeys()).toEqual(before);
    expect(await redis.ttl(keyOf(loggedIn))).toBeGreaterThan(SESSION_TTL - 3600);
  });

  it('does not extend a login in progress by the requests that carry its cookie', async () => {
    const cookie = cookieValue(await startFrom('127.0.0.17'))!;
    const key = keyOf(cookie);
    const first = await redis.pttl(key);
    expect(first).toBeLessThanOrEqual(LOGIN_TTL * 1000);
    // Each request touches the session; a sliding expiry would stay at the full login lifetime.
    await expect
      .poll(
        async () => {
          for (const path of ['/api/me', '/', '/auth/strava/callback']) {
            await rawRequest(base, path, { localAddress: '127.0.0.17', headers: { cookie: `${SID}=${cookie}` } });
          }
          return redis.pttl(key);
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBeLessThan(first - 1500);
  });

  it(`refuses the login start beyond ${LIMIT} per address with a 429 JSON and Retry-After, writing no session; other addresses still log in`, async () => {
    const flooder = '127.0.0.12';
    const before = await sessionKeys();
    const cookies: string[] = [];
    for (let index = 0; index < LIMIT; index++) {
      const answer = await startFrom(flooder);
      expect(answer.status, `start ${index + 1}`).toBe(302);
      cookies.push(cookieValue(answer)!);
    }
    const afterAllowed = await sessionKeys();
    expect(afterAllowed.length).toBe(before.length + LIMIT);
    const pendingBefore = await redis.get(keyOf(cookies[0]!));

    for (const cookie of [undefined, cookies[0]]) {
      for (let index = 0; index < 5; index++) {
        const refused = await startFrom(flooder, cookie);
        expect(refused.status).toBe(429);
        expect(refused.headers['content-type']).toMatch(/^application\/json/);
        const body = JSON.parse(refused.body) as Record<string, unknown>;
        expect(body).toMatchObject({ error: 'too_many_logins' });
        expect(typeof body.message).toBe('string');
        const retryAfter = Number(refused.headers['retry-after']);
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(DEFAULTS.DASHBOARD_LOGIN_RATE_WINDOW_SECONDS);
        expect(refused.headers['set-cookie']).toBeUndefined();
        expect(refused.headers.location).toBeUndefined();
      }
    }
    // X-Forwarded-For from a client is not believed (no proxy is trusted by default): still refused
    for (const forwarded of ['198.51.100.1', '2001:db8::1', '198.51.100.2, 127.0.0.1', 'garbage']) {
      expect((await startFrom(flooder, undefined, { 'x-forwarded-for': forwarded })).status, forwarded).toBe(429);
    }
    expect(await sessionKeys()).toEqual(afterAllowed);
    // a refused start with a pending session's cookie left that session as it was (its state too)
    expect(await redis.get(keyOf(cookies[0]!))).toBe(pendingBefore);

    // Another address logs in from start to finish.
    const elsewhere = await startFrom('127.0.0.14');
    expect(elsewhere.status).toBe(302);
    const jar = new CookieJar();
    jar.set(SID, cookieValue(elsewhere)!);
    expect((await finishLogin(jar, elsewhere)).headers.get('location')).toBe('/');
    const me = await jar.fetch(`${base}/api/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ stravaAthleteId: athleteId });
    // and the flooder is still refused
    expect((await startFrom(flooder)).status).toBe(429);
  });

  it('lets an address start logins again once its window has passed', async () => {
    const dashboard = await startDashboard({
      ...stack.dashboardEnv,
      DASHBOARD_LOGIN_RATE_LIMIT: '2',
      DASHBOARD_LOGIN_RATE_WINDOW_SECONDS: '2',
    });
    try {
      const start = () => rawRequest(dashboard.url, '/auth/strava', { localAddress: '127.0.0.15' });
      expect((await start()).status).toBe(302);
      expect((await start()).status).toBe(302);
      const refused = await start();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(2);
      await expect.poll(async () => (await start()).status, { timeout: 10_000, interval: 250 }).toBe(302);
    } finally {
      await dashboard.close();
    }
  });

  it('keys the limit on the forwarded client address only behind a configured proxy (DASHBOARD_TRUST_PROXY)', async () => {
    const proxied = await startDashboard({
      ...stack.dashboardEnv,
      DASHBOARD_TRUST_PROXY: 'loopback',
      DASHBOARD_LOGIN_RATE_LIMIT: '2',
    });
    try {
      const from = (client: string) =>
        rawRequest(proxied.url, '/auth/strava', { localAddress: '127.0.0.16', headers: { 'x-forwarded-for': client } });
      expect((await from('198.51.100.7')).status).toBe(302);
      expect((await from('198.51.100.7')).status).toBe(302);
      expect((await from('198.51.100.7')).status).toBe(429);
      // what a client put in front of the address the proxy appended does not help
      expect((await from('203.0.113.1, 198.51.100.7')).status).toBe(429);
      // one IPv6 subscriber (a /64) is one client
      expect((await from('2001:db8:0:1::1')).status).toBe(302);
      expect((await from('2001:db8:0:1::2')).status).toBe(302);
      expect((await from('2001:db8:0:1:ffff::3')).status).toBe(429);
      // another client behind the same proxy is counted apart
      expect((await from('198.51.100.8')).status).toBe(302);
    } finally {
      await proxied.close();
    }
  });
});
