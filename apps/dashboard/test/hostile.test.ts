import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseQuery } from 'node:querystring';
import {
  expectAnswer,
  expectClientError,
  fc,
  hostileBody,
  hostileHeaderValue,
  hostileQueryValue,
  hostileRuns,
  hostileSegment,
  hostileString,
  hostileValue,
  parsedJson,
} from '@runnerly/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { RunsQuery, StatsQuery } from '../src/api/api.dto.js';
import { CalendarQuery, GoalQuery, PutGoalBody, PutShoeBody } from '../src/api/glance.dto.js';
import { SESSION_PREFIX } from '../src/session/redis-session.store.js';
import { WEB_DIST } from '../src/web/web-build.js';
import { CookieJar } from './cookie-jar.js';
import { type Stack, startStack } from './full-stack.js';
import {
  type AllowedRedirects,
  expectSafeRedirect,
  forgedSessionCookie,
  nearMiss,
  rawRequest,
  sessionIdOf,
} from './hostile-kit.js';
import { loginAs } from './login.js';

// Every public dashboard endpoint against hostile input, logged in and logged out: the JSON API
// answers a 4xx `{error, message}`, never a 5xx; the browser routes answer a page, an asset or a
// same-origin redirect; no refused request writes anything (the runner's session in Redis, their
// sync state, the number of sessions); and the dashboard is still live afterwards.

const GLANCE_GETS = ['/api/calendar', '/api/eddington', '/api/years', '/api/goal', '/api/shoes', '/api/routes'];
const API_GETS = ['/api/me', '/api/runs', '/api/stats', '/api/bests', '/api/sync', ...GLANCE_GETS];
const PLATFORM_GETS = ['/health/live', '/health/ready', '/metrics', '/openapi.json'];
const KNOWN_ROUTES = new Set([
  '/',
  ...API_GETS,
  ...PLATFORM_GETS,
  '/docs',
  '/openapi.yaml',
  '/auth/strava',
  '/auth/strava/callback',
  '/auth/logout',
  '/api/shoes/:id',
]);
/** Query keys the routes read, ones that look like a redirect target, and prototype keys. */
const QUERY_KEYS = [
  'limit',
  'cursor',
  'period',
  'from',
  'to',
  'year',
  'returnTo',
  'next',
  'redirect',
  '_csrf',
  '__proto__',
  'constructor',
];
const SYNC_STATE_FIELDS = ['status', 'requestedAt', 'lastStartedAt', 'lastFinishedAt', 'runsAdded'] as const;

function queryString(pairs: Array<[string, string]>): string {
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

const queryPairs = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), hostileSegment), hostileQueryValue), {
  maxLength: 4,
});

describe('dashboard under hostile input', () => {
  let stack: Stack;
  let base: string;
  let redis: Redis;
  let runner: CookieJar;
  let csrfToken: string;
  let sessionKey: string;
  let userId: string;
  let allowed: AllowedRedirects;
  /** The built page's assets, by URL path: the only files /assets may ever answer with. */
  const assets = new Map<string, string>();

  beforeAll(async () => {
    // Hundreds of login starts from this one address: the per-address limit (30 a minute by default)
    // would answer most of them 429 before the attack under test; login-limits.test.ts covers it.
    stack = await startStack({ dashboardEnv: { DASHBOARD_LOGIN_RATE_LIMIT: '100000' } });
    base = stack.dashboard.url;
    redis = new Redis(stack.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    ({ jar: runner } = await loginAs(stack));
    const me = (await (await runner.fetch(`${base}/api/me`)).json()) as { id: string; csrfToken: string };
    ({ csrfToken, id: userId } = me);
    sessionKey = SESSION_PREFIX + sessionIdOf(runner.get('runnerly.sid')!);
    allowed = {
      dashboardUrl: base,
      authorizeUrl: `${stack.sandbox.url}/oauth/authorize`,
      clientId: stack.sandbox.clientId,
    };
    for (const name of readdirSync(join(WEB_DIST, 'assets')))
      assets.set(`/assets/${name}`, readFileSync(join(WEB_DIST, 'assets', name), 'utf8'));
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  /** What no request of a test may change: the runner's stored session, their sync, how many sessions exist. */
  async function snapshot() {
    const sync = (await (await runner.fetch(`${base}/api/sync`)).json()) as Record<string, unknown>;
    return {
      session: await redis.get(sessionKey),
      sessions: (await redis.keys(`${SESSION_PREFIX}*`)).length,
      sync: SYNC_STATE_FIELDS.map((field) => sync[field]),
    };
  }

  async function expectNothingWritten(before: Awaited<ReturnType<typeof snapshot>>, what: string): Promise<void> {
    const after = await snapshot();
    if (JSON.stringify(after) !== JSON.stringify(before))
      throw new Error(`${what}: wrote something\nbefore ${JSON.stringify(before)}\nafter  ${JSON.stringify(after)}`);
  }

  /** Operator routes (metrics, docs) go to the operator listener; the public one answers them 404 (checked below). */
  const onOperator = (path: string) => /^\/(metrics|openapi\.(json|yaml)|docs)(\/|\?|$)/.test(path);
  const fetchAs = (loggedIn: boolean, path: string, init: RequestInit = {}) => {
    const url = `${onOperator(path) ? stack.dashboard.operatorUrl : base}${path}`;
    return loggedIn ? runner.fetch(url, init) : fetch(url, { ...init, redirect: 'manual' });
  };

  /** The rule for any answer: never a 5xx, every redirect safe, the JSON error shape on the API and unknown routes. */
  async function expectSafeAnswer(response: Response, path: string, what: string): Promise<string> {
    expectSafeRedirect(response.headers.get('location'), allowed, what);
    if (response.status >= 500) throw new Error(`${what}: ${response.status} ${await response.text()}`);
    if (response.status >= 400) {
      await expectClientError(response, what);
      return '';
    }
    const body = await response.text();
    if (path.startsWith('/assets/') && response.status === 200 && !assets.has(path))
      throw new Error(`${what}: served ${body.slice(0, 100)}`);
    return body;
  }

  it('answers hostile query strings on every GET route, logged in and logged out, and writes nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...API_GETS, ...PLATFORM_GETS, '/'),
        fc.boolean(),
        queryPairs,
        async (path, loggedIn, pairs) => {
          const query = queryString(pairs);
          const what = `GET ${path}?${query} (${loggedIn ? 'logged in' : 'logged out'})`;
          const response = await fetchAs(loggedIn, `${path}?${query}`);
          if (path.startsWith('/api/')) {
            if (!loggedIn) {
              const answer = await expectAnswer(response, false, what);
              expect(JSON.parse(answer.body).error, what).toBe('not_logged_in');
              return;
            }
            // Express parses the query with node:querystring; what the route's schema makes of it decides.
            const parsed = parseQuery(query);
            const schemas: Record<string, z.ZodType> = {
              '/api/runs': RunsQuery,
              '/api/stats': StatsQuery,
              '/api/calendar': CalendarQuery,
              '/api/goal': GoalQuery,
            };
            const schema = schemas[path];
            await expectAnswer(response, schema?.safeParse(parsed).success ?? true, what);
            return;
          }
          expect(response.status, what).toBe(200);
          await response.arrayBuffer();
        },
      ),
      hostileRuns(),
    );
    await expectNothingWritten(before, 'GET with hostile queries');
  });

  it('answers hostile headers on every GET route, with a safe request id echoed back', async () => {
    const before = await snapshot();
    const headerNames = [
      'x-request-id',
      'x-forwarded-for',
      'x-forwarded-proto',
      'x-forwarded-host',
      'origin',
      'referer',
      'accept',
      'accept-encoding',
      'accept-language',
      'content-type',
      'authorization',
      'range',
      'if-none-match',
      'if-modified-since',
      'x-csrf-token',
    ];
    const paths = [...API_GETS, ...PLATFORM_GETS, '/', '/auth/strava', '/auth/strava/callback', ...assets.keys()];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.boolean(),
        fc.dictionary(fc.constantFrom(...headerNames), hostileHeaderValue, { minKeys: 1, maxKeys: 4 }),
        async (path, loggedIn, headers) => {
          const what = `GET ${path} with ${JSON.stringify(headers).slice(0, 300)}`;
          // A login started here gets a session of its own: a throwaway jar, never the runner's.
          const response = path.startsWith('/auth/')
            ? await new CookieJar().fetch(`${base}${path}`, { headers })
            : await fetchAs(loggedIn, path, { headers });
          const size = Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length, 0);
          if (response.status === 431 && size > 16_384) return; // Node's header limit, before the app
          // Nest's routes carry a request id (the static files and the OpenAPI document are served before them)
          const requestId = response.headers.get('x-request-id');
          if (requestId !== null || !/^\/(assets|openapi)/.test(path))
            expect(requestId, what).toMatch(/^[\w.:-]{1,128}$/);
          if (path.startsWith('/api/') && !loggedIn) expect(response.status, what).toBe(401);
          await expectSafeAnswer(response, path, what);
        },
      ),
      hostileRuns(),
    );
    const after = await snapshot();
    expect(after.session).toBe(before.session);
    expect(after.sync).toEqual(before.sync);
  });

  it('answers hostile path segments and methods with a JSON 4xx on every prefix', async () => {
    const before = await snapshot();
    const prefixes = ['', '/api', '/api/runs', '/api/sync', '/auth', '/auth/strava', '/health', '/metrics', '/assets'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...prefixes),
        hostileSegment,
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.boolean(),
        async (prefix, segment, method, loggedIn) => {
          const path = `${prefix}/${segment}`;
          fc.pre(!KNOWN_ROUTES.has(path) && !assets.has(path));
          const what = `${method} ${path}`;
          const response = await fetchAs(loggedIn, path, {
            method,
            headers: loggedIn ? { 'x-csrf-token': csrfToken } : {},
          });
          if (response.status >= 300 && response.status < 400) {
            // the static middleware's slash redirect for a directory, same-origin
            expectSafeRedirect(response.headers.get('location'), allowed, what);
            expect(new URL(response.headers.get('location')!, base).origin, what).toBe(base);
            await response.arrayBuffer();
            return;
          }
          await expectAnswer(response, false, what);
        },
      ),
      hostileRuns(),
    );
    await expectNothingWritten(before, 'hostile paths');
  });

  it('never serves a file from outside the built assets, whatever the traversal', async () => {
    const parts = fc.constantFrom(
      '..',
      '%2e%2e',
      '.%2e',
      '%2e.',
      '%2E%2E',
      '%252e%252e',
      '%c0%ae%c0%ae',
      '..%c0%af',
      '....',
      '..%2f',
      '..%5c',
      '..\\',
      '%00',
      '.',
      '',
      'assets',
      'dist',
      'web',
      'src',
      'App.tsx',
      'index.html',
      'package.json',
      'etc',
      'passwd',
      'vite.config.ts',
      ...[...assets.keys()].map((path) => path.slice('/assets/'.length)),
    );
    const separators = fc.constantFrom('/', '%2f', '%2F', '%5c', '\\', '//');
    // what may be answered with a 200: the page at / and the built assets
    const servable = [...assets.values(), readFileSync(join(WEB_DIST, 'index.html'), 'utf8')];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/assets/', '/', '/api/', '/assets/..%2f', '/assets%2f'),
        fc.array(fc.tuple(parts, separators), { minLength: 1, maxLength: 8 }),
        async (prefix, pieces) => {
          const path = prefix + pieces.map(([part, separator], index) => (index ? separator : '') + part).join('');
          const answer = await rawRequest(base, path);
          const what = `GET ${path} → ${answer.status} ${answer.body.slice(0, 120)}`;
          expect(answer.status, what).toBeLessThan(500);
          if (answer.status === 200) expect(servable, what).toContain(answer.body);
          else expect(answer.body, what).not.toMatch(/"name": "@runnerly|root:.*:0:0:|^import |createRoot/m);
          if (answer.status >= 300 && answer.status < 400) {
            const location = String(answer.headers.location);
            expectSafeRedirect(location, allowed, what);
            expect(new URL(location, base).origin, what).toBe(base);
          }
        },
      ),
      hostileRuns(),
    );
  });

  it('answers the classic traversals on the static assets with a JSON 404', async () => {
    for (const path of [
      '/assets/..%2f..%2fpackage.json',
      '/assets/..%2f..%2f..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/..%5c..%5cpackage.json',
      '/assets/....//....//package.json',
      '/assets/%2e%2e%2f%2e%2e%2fsrc/App.tsx',
      '/assets/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    ]) {
      const answer = await rawRequest(base, path);
      expect(answer.status, path).toBe(404);
      expect(JSON.parse(answer.body), path).toMatchObject({ error: 'not_found' });
    }
    // and the assets themselves are served
    for (const [path, content] of assets) expect((await rawRequest(base, path)).body).toBe(content);
  });

  it('treats forged, garbage and oversized session cookies as logged out, and writes nothing', async () => {
    const before = await snapshot();
    const real = runner.get('runnerly.sid')!;
    const cookieHeader = fc.oneof(
      forgedSessionCookie(real).map((value) => `runnerly.sid=${value}`),
      fc
        .tuple(forgedSessionCookie(real), forgedSessionCookie(real))
        .map(([first, second]) => `runnerly.sid=${first}; runnerly.sid=${second}`),
      forgedSessionCookie(real).map((value) => `connect.sid=${real}; runnerly.sid=${value}`),
    );
    const routes: Array<[string, string]> = [
      ...API_GETS.map((path): [string, string] => ['GET', path]),
      ['POST', '/api/sync'],
      ['POST', '/auth/logout'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), cookieHeader, async ([method, path], cookie) => {
        const what = `${method} ${path} with cookie ${cookie.slice(0, 200)}`;
        // the runner's own CSRF token does not help a forged session
        const response = await fetch(`${base}${path}`, {
          method,
          headers: { cookie, 'x-csrf-token': csrfToken },
          redirect: 'manual',
        });
        expect(response.headers.getSetCookie(), what).toEqual([]);
        const answer = await expectAnswer(response, false, what);
        expect(JSON.parse(answer.body).error, what).toBe(path === '/auth/logout' ? 'csrf_failed' : 'not_logged_in');
      }),
      hostileRuns(),
    );
    await expectNothingWritten(before, 'forged cookies');
  });

  it('answers a cookie header too large to parse at the HTTP layer, and stays up', async () => {
    const response = await fetch(`${base}/api/me`, { headers: { cookie: `runnerly.sid=${'a'.repeat(20_000)}` } });
    expect(response.status).toBe(431);
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });

  it('refuses every POST without the session’s CSRF token and changes nothing (no sync queued, no logout)', async () => {
    const before = await snapshot();
    const form = 'application/x-www-form-urlencoded';
    const json = 'application/json';
    const delivery = fc.oneof(
      fc.constant({ headers: {} as Record<string, string>, body: undefined as string | undefined }),
      fc.oneof(nearMiss(csrfToken, { headerSafe: true }), hostileHeaderValue).map((token) => ({
        headers: { 'x-csrf-token': token },
        body: undefined,
      })),
      fc.oneof(nearMiss(csrfToken), hostileValue).map((token) => ({
        headers: { 'content-type': json },
        body: JSON.stringify({ _csrf: token }),
      })),
      fc.oneof(nearMiss(csrfToken), hostileString).map((token) => ({
        headers: { 'content-type': form },
        body: new URLSearchParams({ _csrf: token }).toString(),
      })),
      hostileString.map((raw) => ({ headers: { 'content-type': form }, body: `_csrf=${raw}` })),
      // the right token in a body the server reads another way, or not at all
      fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', '').map((type) => ({
        headers: { 'content-type': type },
        body: `_csrf=${csrfToken}`,
      })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/sync', '/auth/logout'),
        delivery,
        fc.option(fc.constantFrom('https://evil.example', 'null', base.replace('127.0.0.1', 'localhost'))),
        async (path, { headers, body }, origin) => {
          const what = `POST ${path} ${JSON.stringify(headers)} ${body?.slice(0, 200)}`;
          const response = await runner.fetch(`${base}${path}`, {
            method: 'POST',
            headers: { ...headers, ...(origin ? { origin } : {}) },
            body,
          });
          await expectAnswer(response, false, what);
          await expectNothingWritten(before, what);
        },
      ),
      hostileRuns(),
    );
    // and the snapshot does see a sync request: the right token moves it
    await redis.del(`runnerly:sync-cooldown:${userId}`);
    const accepted = await runner.fetch(`${base}/api/sync`, { method: 'POST', headers: { 'x-csrf-token': csrfToken } });
    expect(accepted.status).toBe(202);
    expect((await snapshot()).sync).not.toEqual(before.sync);
  });

  it('answers hostile bodies on the POST routes: with the right token queued or refused, without it refused, nothing half-done', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/sync', '/auth/logout'),
        fc.boolean(),
        hostileBody(),
        async (path, loggedIn, { raw, contentType }) => {
          const before = await snapshot();
          const what = `POST ${path} (${loggedIn ? 'logged in' : 'logged out'}) ${contentType} ${raw.slice(0, 200)}`;
          const headers = new Headers();
          if (contentType !== undefined) headers.set('content-type', contentType);
          // the runner's token goes with /api/sync only: a logout that succeeds would end the runner's session
          if (path === '/api/sync') headers.set('x-csrf-token', csrfToken);
          const response = await fetchAs(loggedIn, path, { method: 'POST', headers, body: raw });
          const accepted = loggedIn && path === '/api/sync';
          // "sync now" has a one-minute cooldown per athlete (its own test is in the api suite)
          if (accepted) await redis.del(`runnerly:sync-cooldown:${userId}`);
          const answer = await expectAnswer(response, accepted, what);
          if (answer.status >= 400) await expectNothingWritten(before, what);
          else expect(answer.status, what).toBe(202);
        },
      ),
      hostileRuns(40),
    );
  });

  it('answers hostile bodies on the PUT routes (goal, shoe threshold) with a 4xx JSON unless the schema accepts them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileBody({ year: 2026, distance: 1_000_000 }).map((body) => ({
            route: { path: '/api/goal', schema: PutGoalBody as z.ZodType },
            body,
          })),
          hostileBody({ retireAt: 700_000 }).map((body) => ({
            route: { path: '/api/shoes/g1', schema: PutShoeBody as z.ZodType },
            body,
          })),
        ),
        fc.boolean(),
        fc.boolean(),
        async ({ route, body: { raw, contentType } }, loggedIn, withToken) => {
          const before = await snapshot();
          const what = `PUT ${route.path} (${loggedIn ? 'logged in' : 'logged out'}, csrf ${withToken}) ${contentType} ${raw.slice(0, 200)}`;
          const headers = new Headers();
          if (contentType !== undefined) headers.set('content-type', contentType);
          if (withToken) headers.set('x-csrf-token', csrfToken);
          const response = await fetchAs(loggedIn, route.path, { method: 'PUT', headers, body: raw });
          const answer = await expectAnswer(response, true, what);
          if (answer.status < 400) {
            const parsed = parsedJson({ raw, contentType });
            expect(
              loggedIn && withToken && parsed !== undefined && route.schema.safeParse(parsed.value).success,
              what,
            ).toBe(true);
          }
          await expectNothingWritten(before, what);
        },
      ),
      hostileRuns(40),
    );
  });

  it('answers hostile logins at /auth/* with Strava’s authorize URL or a same-origin page, never logging in', async () => {
    const keys = fc.constantFrom(
      'code',
      'state',
      'error',
      'scope',
      'returnTo',
      'next',
      'redirect',
      'redirect_uri',
      'url',
      'approval_prompt',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/auth/strava', '/auth/strava/callback'),
        fc.boolean(),
        fc.array(fc.tuple(fc.oneof(keys, hostileSegment), hostileQueryValue), { maxLength: 5 }),
        fc.option(fc.constantFrom('read,activity:read_all', 'read', '')),
        async (path, started, pairs, scope) => {
          const jar = new CookieJar();
          const state = started ? await jar.startLogin(base) : undefined;
          // with the right state, hostile code/error/scope reach the code exchange
          const query = queryString([
            ...pairs,
            ...(state ? [['state', state] as [string, string]] : []),
            ...(scope === null ? [] : [['scope', scope] as [string, string]]),
          ]);
          const what = `GET ${path}?${query}`;
          const response = await jar.fetch(`${base}${path}?${query}`);
          const location = response.headers.get('location');
          expectSafeRedirect(location, allowed, what);
          if (path === '/auth/strava') {
            // always the start of a login, whatever the query carries
            expect(response.status, what).toBe(302);
            const authorize = new URL(location!);
            expect(`${authorize.origin}${authorize.pathname}`, what).toBe(allowed.authorizeUrl);
            expect(authorize.searchParams.get('state'), what).toMatch(/^[\w-]{32}$/);
            expect(authorize.searchParams.get('state'), what).not.toBe(state);
          } else {
            expect(response.status, what).toBe(303);
            expect(location, what).toMatch(/^\/\?login_error=[a-z_]+$/);
          }
          await response.arrayBuffer();
          expect((await jar.fetch(`${base}/api/me`)).status, what).toBe(401);
        },
      ),
      hostileRuns(),
    );
  });

  it('answers the operator routes on the public listener with 404 JSON, logged in or not, and writes nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/metrics',
          '/openapi.json',
          '/openapi.yaml',
          '/docs',
          '/docs/swagger-ui.css',
          '/METRICS',
          '/metrics/',
          '/%6detrics',
        ),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        fc.boolean(),
        queryPairs,
        async (path, method, loggedIn, pairs) => {
          const url = `${base}${path}${pairs.length ? `?${queryString(pairs)}` : ''}`;
          const what = `${method} ${url}`;
          const response = loggedIn
            ? await runner.fetch(url, { method })
            : await fetch(url, { method, redirect: 'manual' });
          expect(response.status, what).toBe(404);
          await expectClientError(response, what);
        },
      ),
      hostileRuns(40),
    );
    await expectNothingWritten(before, 'operator routes on the public listener');
  });

  it('is still live and the runner still logged in after all of it', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const me = await runner.fetch(`${base}/api/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: userId, csrfToken });
    // hostile paths and methods did not become metric labels (one series each would be a memory leak)
    const metrics = await (await fetch(`${stack.dashboard.operatorUrl}/metrics`)).text();
    const routes = new Set([...metrics.matchAll(/route="([^"]*)"/g)].map(([, route]) => route));
    const methods = new Set([...metrics.matchAll(/method="([^"]*)"/g)].map(([, method]) => method));
    expect([...routes].filter((route) => route !== 'unmatched' && !KNOWN_ROUTES.has(route))).toEqual([]);
    expect([...methods].filter((method) => !/^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(method))).toEqual([]);
  });
});
