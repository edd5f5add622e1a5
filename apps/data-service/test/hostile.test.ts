import { randomUUID } from 'node:crypto';
import {
  CalendarQuery,
  GoalParams,
  PutGear,
  PutGoal,
  PutGoalParams,
  PutShoe,
  RoutesQuery,
  ShoeParams,
  BestsQuery,
  ListRunsQuery,
  PutBestEfforts,
  ListUsersQuery,
  RunParams,
  StatsQuery,
  StravaToken,
  UpsertRuns,
  UpsertUser,
  UserIdParams,
} from '@runnerly/data-client';
import {
  expectAnswer,
  expectClientError,
  fc,
  type HostileBody,
  type HostileRequest,
  hostileBody,
  hostileHeaderValue,
  hostileObject,
  hostileQueryValue,
  hostileRuns,
  hostileSegment,
  parsedJson,
  parsedQuery,
  safeDecode,
  sendHostile,
} from '@runnerly/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type Harness, makeRun, startService, USER } from './harness.js';

/**
 * Hostile input at every public endpoint of the data-service (issue 9): always a 4xx with a JSON
 * `{error, message}`, never a 500, never a crash, never a write from a refused request. Requests
 * carry a valid token with every scope, so what is tested is input validation, not auth.
 */

const JSON_TYPE = 'application/json';
const STRAVA = {
  accessToken: 'strava-access-1',
  refreshToken: 'strava-refresh-1',
  expiresAt: 1_800_000_000,
  scope: 'read,activity:read_all',
};
const GOAL = { distance: 1_000_000 };
const GEAR = { shoes: [{ id: 'g1', name: 'Daily trainers', primary: true, retired: false, distance: 812_000 }] };
const SHOE = { retireAt: 700_000 };
const FULL_USER = { ...USER, email: 'ada@example.com', profileImageUrl: 'https://example.com/ada.png', strava: STRAVA };
const TABLES = ['users', 'strava_tokens', 'runs', 'best_efforts', 'gear', 'goals'] as const;
const EFFORTS = { source: 'streams', efforts: [{ distance: 5000, elapsedTime: 1300.5, startOffset: 12 }] };
const WRITES = new Set(['PUT', 'POST', 'DELETE', 'PATCH']);

/** Every route, with a path builder from its params and the schemas that decide what it accepts. */
interface Route {
  method: string;
  path: (params: Record<string, string>) => string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

const accepts = (schema: z.ZodType | undefined, value: unknown) =>
  schema === undefined || schema.safeParse(value).success;

describe('data-service under hostile input', () => {
  let h: Harness;
  let db: pg.Client;
  let userId: string;
  /** A well-formed id of no user: where writes with valid input go, so they never remove the fixture. */
  const ghostId = randomUUID();

  const json = (value: unknown): HostileBody => ({ raw: JSON.stringify(value), contentType: JSON_TYPE });
  /** Operator routes go to the operator listener (the public one answers them 404, checked below). */
  const onOperator = (path: string) => OPERATOR.some((route) => path === route || path.startsWith(`${route}?`));
  const send = (request: HostileRequest, token: string | null = h.token()) =>
    sendHostile(onOperator(request.path) ? h.operatorUrl : h.baseUrl, {
      ...request,
      headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...request.headers },
    });

  /** Counts and a hash of every row of every table: any write shows. */
  async function snapshot(): Promise<Record<string, unknown>> {
    const rows = await Promise.all(
      TABLES.map(async (table) => {
        const {
          rows: [row],
        } = await db.query<{ n: number; hash: string }>(
          `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM data.${table} t`,
        );
        return [table, row] as const;
      }),
    );
    return Object.fromEntries(rows);
  }

  /** Sends `request` and checks the rule; a refused write must leave every table as it was. */
  async function check(request: HostileRequest, accepted: boolean, token?: string | null): Promise<void> {
    const write = WRITES.has(request.method);
    const before = write && !accepted ? await snapshot() : undefined;
    const what = `${request.method} ${request.path.slice(0, 300)} ${request.body ? `(${request.body.contentType}) ${request.body.raw.slice(0, 300)}` : ''} ${JSON.stringify(request.headers ?? {}).slice(0, 300)}`;
    await expectAnswer(await send(request, token), accepted, what);
    if (before) expect(await snapshot(), `${what} wrote`).toEqual(before);
  }

  async function expectLive(): Promise<void> {
    const response = await fetch(`${h.baseUrl}/health/live`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
  }

  const routes = (): Route[] => [
    { method: 'PUT', path: () => '/users', body: UpsertUser },
    { method: 'GET', path: () => '/users', query: ListUsersQuery },
    { method: 'GET', path: (p) => `/users/${p.id}`, params: UserIdParams },
    { method: 'DELETE', path: (p) => `/users/${p.id}`, params: UserIdParams },
    { method: 'GET', path: (p) => `/users/${p.id}/strava-token`, params: UserIdParams },
    { method: 'PUT', path: (p) => `/users/${p.id}/strava-token`, params: UserIdParams, body: StravaToken },
    { method: 'DELETE', path: (p) => `/users/${p.id}/strava-token`, params: UserIdParams },
    { method: 'PUT', path: (p) => `/users/${p.id}/runs`, params: UserIdParams, body: UpsertRuns },
    { method: 'GET', path: (p) => `/users/${p.id}/runs`, params: UserIdParams, query: ListRunsQuery },
    { method: 'DELETE', path: (p) => `/users/${p.id}/runs/${p.stravaId}`, params: RunParams },
    { method: 'GET', path: (p) => `/users/${p.id}/stats`, params: UserIdParams, query: StatsQuery },
    { method: 'GET', path: (p) => `/users/${p.id}/calendar`, params: UserIdParams, query: CalendarQuery },
    { method: 'GET', path: (p) => `/users/${p.id}/eddington`, params: UserIdParams },
    { method: 'GET', path: (p) => `/users/${p.id}/years`, params: UserIdParams },
    { method: 'GET', path: (p) => `/users/${p.id}/goals/${p.year}`, params: GoalParams },
    { method: 'PUT', path: (p) => `/users/${p.id}/goals/${p.year}`, params: PutGoalParams, body: PutGoal },
    { method: 'PUT', path: (p) => `/users/${p.id}/gear`, params: UserIdParams, body: PutGear },
    { method: 'GET', path: (p) => `/users/${p.id}/shoes`, params: UserIdParams },
    { method: 'PUT', path: (p) => `/users/${p.id}/shoes/${p.gearId}`, params: ShoeParams, body: PutShoe },
    { method: 'GET', path: (p) => `/users/${p.id}/routes`, params: UserIdParams, query: RoutesQuery },
    {
      method: 'PUT',
      path: (p) => `/users/${p.id}/runs/${p.stravaId}/best-efforts`,
      params: RunParams,
      body: PutBestEfforts,
    },
    { method: 'GET', path: (p) => `/users/${p.id}/runs/${p.stravaId}/best-efforts`, params: RunParams },
    { method: 'GET', path: (p) => `/users/${p.id}/bests`, params: UserIdParams, query: BestsQuery },
    { method: 'GET', path: (p) => `/users/${p.id}/best-efforts/progress`, params: UserIdParams },
  ];
  /** The open endpoints: they take no input, so any query or header must leave them answering. */
  const OPERATOR = ['/metrics', '/openapi.json', '/openapi.yaml', '/docs'];
  const OPEN = ['/health/live', '/health/ready', ...OPERATOR];

  /** A valid body for each route that takes one. */
  const validBody = (route: Route): Record<string, unknown> | undefined =>
    route.body === UpsertUser
      ? FULL_USER
      : route.body === StravaToken
        ? STRAVA
        : route.body === UpsertRuns
          ? { runs: [makeRun(), makeRun()] }
          : route.body === PutGoal
            ? GOAL
            : route.body === PutGear
              ? GEAR
              : route.body === PutShoe
                ? SHOE
                : route.body === PutBestEfforts
                  ? EFFORTS
                  : undefined;
  /** Valid params: the fixture user for reads, an unknown user for writes (a valid delete must not remove the fixture). */
  const validParams = (route: Route) => ({
    id: route.method === 'GET' ? userId : ghostId,
    stravaId: '1',
    year: '2026',
    gearId: 'g1',
  });
  /** A valid query for each route that takes one. */
  const validQuery = (route: Route): Record<string, string> =>
    route.query === StatsQuery
      ? { period: 'week' }
      : route.query === CalendarQuery
        ? { from: '2026-01-01', to: '2026-01-31' }
        : route.query === BestsQuery
          ? { year: '2026' }
          : { limit: '5' };
  const search = (query: Record<string, string>) =>
    Object.entries(query)
      .map(([key, value]) => `${key}=${value}`)
      .join('&');

  beforeAll(async () => {
    h = await startService();
    db = new pg.Client({ connectionString: h.database.url });
    await db.connect();
    const user = await h.call('PUT', '/users', { body: FULL_USER });
    expect(user.status).toBe(200);
    userId = user.body.id;
    expect(
      (await h.call('PUT', `/users/${userId}/runs`, { body: { runs: [makeRun(), makeRun(), makeRun()] } })).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await db?.end();
    await h?.close();
  });

  it('refuses every hostile body field by field, and writes nothing when it refuses (PUT /users)', async () => {
    const bodies = fc.oneof(
      hostileBody(FULL_USER),
      hostileObject(STRAVA).map((strava) => json({ ...FULL_USER, strava })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const parsed = parsedJson(body);
        await check({ method: 'PUT', path: '/users', body }, parsed !== undefined && accepts(UpsertUser, parsed.value));
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('refuses a batch with one bad run and writes none of the others (PUT /users/{id}/runs)', async () => {
    const run = makeRun();
    const bodies = fc.oneof(
      hostileBody({ runs: [makeRun()] }),
      // A fresh valid run on each side of the hostile one: a partial write would show in the snapshot.
      hostileObject(run).map((bad) => json({ runs: [makeRun(), bad, makeRun()] })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const parsed = parsedJson(body);
        await check(
          { method: 'PUT', path: `/users/${userId}/runs`, body },
          parsed !== undefined && accepts(UpsertRuns, parsed.value),
        );
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('refuses every hostile body (PUT /users/{id}/strava-token)', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody(STRAVA), async (body) => {
        const parsed = parsedJson(body);
        await check(
          { method: 'PUT', path: `/users/${userId}/strava-token`, body },
          parsed !== undefined && accepts(StravaToken, parsed.value),
        );
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('refuses every hostile body of the year at a glance, writing nothing when it refuses (goals, gear, shoes)', async () => {
    const cases = fc.oneof(
      hostileBody(GOAL).map((body) => ({ path: `/users/${userId}/goals/2026`, body, schema: PutGoal as z.ZodType })),
      hostileBody(GEAR).map((body) => ({ path: `/users/${userId}/gear`, body, schema: PutGear as z.ZodType })),
      hostileObject(GEAR.shoes[0]!).map((shoe) => ({
        path: `/users/${userId}/gear`,
        body: json({ shoes: [shoe] }),
        schema: PutGear as z.ZodType,
      })),
      hostileBody(SHOE).map((body) => ({ path: `/users/${userId}/shoes/g1`, body, schema: PutShoe as z.ZodType })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, body, schema }) => {
        const parsed = parsedJson(body);
        await check({ method: 'PUT', path, body }, parsed !== undefined && accepts(schema, parsed.value));
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('refuses every hostile body and writes nothing when it refuses (PUT /users/{id}/runs/{stravaId}/best-efforts)', async () => {
    const run = makeRun();
    expect((await h.call('PUT', `/users/${userId}/runs`, { body: { runs: [run] } })).status).toBe(200);
    const bodies = fc.oneof(
      hostileBody(EFFORTS),
      hostileObject(EFFORTS.efforts[0]!).map((bad) => json({ source: 'streams', efforts: [bad] })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const parsed = parsedJson(body);
        await check(
          { method: 'PUT', path: `/users/${userId}/runs/${run.stravaId}/best-efforts`, body },
          parsed !== undefined && accepts(PutBestEfforts, parsed.value),
        );
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('refuses hostile path params on every route', async () => {
    const cases = fc.record({
      route: fc.constantFrom(...routes().filter((route) => route.params)),
      which: fc.constantFrom('id', 'stravaId', 'year', 'gearId'),
      segment: hostileSegment,
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ route, which, segment }) => {
        const valid = validParams(route);
        const params = { ...valid, [which]: segment };
        const decoded = { ...valid, [which]: safeDecode(segment) };
        // What the route's params schema sees: only its own keys.
        const keys = Object.keys((route.params as z.ZodObject).shape);
        const seen = Object.fromEntries(keys.map((key) => [key, decoded[key as keyof typeof decoded]]));
        const body = validBody(route);
        await check(
          { method: route.method, path: route.path(params), ...(body ? { body: json(body) } : {}) },
          accepts(route.params, seen),
        );
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('refuses hostile query strings on every route that reads one, and ignores them on the open ones', async () => {
    const withQuery = routes().filter((route) => route.query);
    const cases = fc.record({
      route: fc.constantFrom(...withQuery),
      key: fc.constantFrom(
        'limit',
        'cursor',
        'after',
        'before',
        'period',
        'from',
        'to',
        'stravaAthleteId',
        'connected',
        'unknown',
        '__proto__',
        'limit[]',
      ),
      value: hostileQueryValue,
      repeat: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ route, key, value, repeat }) => {
        const query = `${search(validQuery(route))}&${key}=${value}${repeat ? `&${key}=${value}` : ''}`;
        await check(
          { method: route.method, path: `${route.path(validParams(route))}?${query}` },
          accepts(route.query, parsedQuery(query)),
        );
      }),
      hostileRuns(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPEN), hostileQueryValue, hostileQueryValue, async (path, key, value) => {
        await check({ method: 'GET', path: `${path}?${key}=${value}` }, true, null);
      }),
      hostileRuns(30),
    );
    await expectLive();
  });

  it('refuses hostile Authorization headers with 401 JSON and survives any other hostile header', async () => {
    const cases = fc.record({
      route: fc.constantFrom(...routes()),
      header: fc.constantFrom(
        'authorization',
        'content-type',
        'accept',
        'x-request-id',
        'accept-encoding',
        'cookie',
        'x-forwarded-for',
      ),
      value: hostileHeaderValue,
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ route, header, value }) => {
        const body = validBody(route);
        const request = {
          method: route.method,
          path: `${route.path(validParams(route))}${route.query ? `?${search(validQuery(route))}` : ''}`,
          ...(body ? { body: json(body) } : {}),
          headers: { [header]: value },
        };
        if (header === 'authorization') {
          await check(request, false, null);
          return;
        }
        // A hostile content type on a body is refused (415 or 400) unless it still names JSON.
        const refusedType =
          header === 'content-type' && body !== undefined && !parsedJson({ raw: '{}', contentType: value });
        await check(request, !refusedType);
      }),
      hostileRuns(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OPEN),
        fc.constantFrom('authorization', 'accept', 'x-request-id', 'content-type'),
        hostileHeaderValue,
        async (path, header, value) => {
          await check({ method: 'GET', path, headers: { [header]: value } }, true, null);
        },
      ),
      hostileRuns(30),
    );
    await expectLive();
  });

  it('answers the operator routes on the public listener with 404 JSON, whatever the query, headers or method', async () => {
    const cases = fc.record({
      path: fc.constantFrom(...OPERATOR),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      key: hostileQueryValue,
      value: hostileQueryValue,
      header: fc.constantFrom('authorization', 'accept', 'x-request-id', 'x-forwarded-for', 'host'),
      headerValue: hostileHeaderValue,
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, method, key, value, header, headerValue }) => {
        const what = `${method} ${path}?${key}=${value} ${header}: ${headerValue}`;
        const response = await sendHostile(h.baseUrl, {
          method,
          path: `${path}?${key}=${value}`,
          headers: { authorization: `Bearer ${h.token()}`, [header]: headerValue },
        });
        expect([400, 404], what).toContain(response.status);
        await expectClientError(response, what);
      }),
      hostileRuns(30),
    );
    await expectLive();
  });

  it('answers a body over the limit with 413 JSON and writes nothing', async () => {
    const before = await snapshot();
    const huge = JSON.stringify({ runs: [makeRun({ summaryPolyline: 'x'.repeat(9 * 1024 * 1024) })] });
    const response = await send({
      method: 'PUT',
      path: `/users/${userId}/runs`,
      body: { raw: huge, contentType: JSON_TYPE },
    });
    expect(response.status).toBe(413);
    await expectClientError(response, 'over the body limit');
    expect(await snapshot()).toEqual(before);
    await expectLive();
  });

  it('refuses deeply nested JSON and prototype keys with a 400 JSON, writing nothing', async () => {
    const before = await snapshot();
    const depth = 200_000;
    const nested = [
      '['.repeat(depth) + ']'.repeat(depth),
      `{"runs":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    ];
    for (const raw of nested) {
      for (const path of ['/users', `/users/${userId}/runs`, `/users/${userId}/strava-token`]) {
        await expectClientError(
          await send({ method: 'PUT', path, body: { raw, contentType: JSON_TYPE } }),
          `nested ${raw.length} bytes to ${path}`,
        );
      }
    }
    const poisoned = [
      `{"__proto__":{"admin":true},${JSON.stringify(FULL_USER).slice(1)}`,
      `{"constructor":{"prototype":{"admin":true}},${JSON.stringify(FULL_USER).slice(1)}`,
      `{"runs":[{"__proto__":{"stravaId":1}}]}`,
    ];
    for (const raw of poisoned) {
      const path = raw.startsWith('{"runs"') ? `/users/${userId}/runs` : '/users';
      const response = await send({ method: 'PUT', path, body: { raw, contentType: JSON_TYPE } });
      expect(response.status, raw).toBe(400);
      await expectClientError(response, raw);
    }
    expect(await snapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    await expectLive();
  });

  it('answers paths the router refuses (a segment over its length limit, a broken escape) through the app filter', async () => {
    const tooLong = await send({ method: 'GET', path: `/users/${'a'.repeat(5_000)}` });
    expect(tooLong.status).toBe(414);
    expect(await tooLong.json()).toMatchObject({ error: 'uri_too_long' });
    const broken = await send({ method: 'GET', path: '/users/%E0%A4%A' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: 'bad_request', details: { code: 'FST_ERR_BAD_URL' } });
    await expectLive();
  });

  it('answers wrong methods and unknown routes with a 404/405 JSON', async () => {
    const wrong: Array<[string, string]> = [
      ['POST', '/users'],
      ['PATCH', `/users/${userId}`],
      ['POST', `/users/${userId}/runs`],
      ['PUT', `/users/${userId}/stats`],
      ['POST', `/users/${userId}/strava-token`],
      ['GET', `/users/${userId}/runs/1`],
      ['DELETE', '/users'],
      ['POST', '/health/live'],
      ['DELETE', '/metrics'],
      ['PUT', '/openapi.json'],
      ['GET', '/users/%2e%2e/%2e%2e/etc/passwd'],
      ['GET', `/users/${userId}/runs/1/2/3`],
    ];
    const before = await snapshot();
    for (const [method, path] of wrong) {
      const response = await send({ method, path, body: WRITES.has(method) ? json({}) : undefined });
      expect([404, 405], `${method} ${path}`).toContain(response.status);
      await expectClientError(response, `${method} ${path}`);
    }
    expect(await snapshot()).toEqual(before);
    await expectLive();
  });

  it('sees an accepted write in its snapshot (the no-write check can fail)', async () => {
    const before = await snapshot();
    const response = await send({ method: 'PUT', path: `/users/${userId}/runs`, body: json({ runs: [makeRun()] }) });
    expect(response.status).toBe(200);
    expect(await snapshot()).not.toEqual(before);
  });
});
