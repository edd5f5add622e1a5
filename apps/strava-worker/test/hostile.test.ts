import { QueueName } from '@runnerly/jobs';
import {
  expectAnswer,
  expectClientError,
  fc,
  formBody,
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
  sendHostile,
} from '@runnerly/testing';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookChallengeQuery, WebhookEvent } from '../src/webhook/webhook.dto.js';
import { OPERATOR_HEADERS, Stack, VERIFY_TOKEN, type Worker } from './harness.js';

/**
 * Hostile input at every public endpoint of the strava-worker (issue 9): the webhook Strava calls,
 * the operators' queue overview and Bull Board. Always a 4xx with a JSON error, never a 500, never
 * a crash, and a refused webhook event queues nothing. The worker does not process jobs here, so
 * the queues show exactly what each request added.
 */

const JSON_TYPE = 'application/json';
const EVENT = {
  object_type: 'activity',
  object_id: 11,
  aspect_type: 'create',
  owner_id: 7,
  updates: {},
  subscription_id: 1,
  event_time: 1_700_000_000,
};
const CHALLENGE = { 'hub.mode': 'subscribe', 'hub.challenge': 'abc123', 'hub.verify_token': VERIFY_TOKEN };

describe('strava-worker under hostile input', () => {
  let stack: Stack;
  let worker: Worker;
  let queues: Queue[];

  /** Operator routes (metrics, docs, queues, Bull Board) go to the operator listener; the public one answers them 404 (checked below). */
  const onOperator = (path: string) =>
    OPERATOR.some((route) => path === route || path.startsWith(`${route}?`) || path.startsWith(`${route}/`));
  const send = (request: HostileRequest) =>
    sendHostile(onOperator(request.path) ? worker.operatorUrl : worker.url, request);
  const json = (value: unknown): HostileBody => ({ raw: JSON.stringify(value), contentType: JSON_TYPE });

  /** Every job of every queue, by state: what a request queued shows. */
  async function snapshot(): Promise<Record<string, unknown>> {
    const counts = await Promise.all(queues.map(async (queue) => [queue.name, await queue.getJobCounts()] as const));
    return Object.fromEntries(counts);
  }

  async function check(request: HostileRequest, accepted: boolean): Promise<void> {
    const before = accepted ? undefined : await snapshot();
    const what = `${request.method} ${request.path.slice(0, 300)} ${request.body ? `(${request.body.contentType}) ${request.body.raw.slice(0, 300)}` : ''} ${JSON.stringify(request.headers ?? {}).slice(0, 300)}`;
    const answer = await expectAnswer(await send(request), accepted, what);
    if (accepted) expect(answer.status, `${what}: ${answer.body.slice(0, 300)}`).toBe(200);
    else expect(await snapshot(), `${what} queued`).toEqual(before);
  }

  async function expectLive(): Promise<void> {
    const response = await fetch(`${worker.url}/health/live`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
  }

  /** A well-formed event of the app's current subscription; any other is refused (403), queuing nothing. */
  const eventAccepted = (body: HostileBody) => {
    const parsed = parsedJson(body);
    if (parsed === undefined) return false;
    const event = WebhookEvent.safeParse(parsed.value);
    return event.success && event.data.subscription_id === EVENT.subscription_id;
  };
  /** The handshake answers 200 only to a well-formed query carrying the right verify token. */
  const challengeAccepted = (search: string) => {
    const query = WebhookChallengeQuery.safeParse(parsedQuery(search));
    return query.success && query.data['hub.verify_token'] === VERIFY_TOKEN;
  };

  const OPERATOR = ['/metrics', '/openapi.json', '/openapi.yaml', '/docs', '/queues'];
  const OPEN = ['/health/live', '/health/ready', ...OPERATOR];

  beforeAll(async () => {
    stack = await Stack.start({ athletes: 1 });
    worker = await stack.startWorker({ STRAVA_WORKER_PROCESS_JOBS: 'false' });
    // The app's one push subscription, pointing at this worker: events must name it.
    const { id } = await stack.strava.createPushSubscription(`${worker.url}/strava/webhook`, VERIFY_TOKEN);
    expect(id).toBe(EVENT.subscription_id);
    queues = Object.values(QueueName).map((name) => stack.queue(name));
  });
  afterAll(async () => {
    await Promise.all((queues ?? []).map((queue) => queue.close()));
    await stack?.close();
  });

  it('POST /strava/webhook: hostile events field by field, nothing queued when refused', async () => {
    const bodies = fc.oneof(
      hostileBody(EVENT),
      hostileObject({ authorized: 'false', sport_type: 'Ride' }).map((updates) => json({ ...EVENT, updates })),
      hostileObject(EVENT).map((event) => json({ ...event, object_type: 'athlete', updates: { authorized: 'false' } })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        await check({ method: 'POST', path: '/strava/webhook', body }, eventAccepted(body));
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('GET /strava/webhook: hostile handshake queries', async () => {
    const cases = fc.record({
      fields: hostileObject(CHALLENGE).map((query) =>
        Object.fromEntries(
          Object.entries(query).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
        ),
      ),
      extra: fc.array(
        fc.tuple(
          fc.oneof(hostileQueryValue, fc.constantFrom('hub.mode', 'hub.challenge', 'hub.verify_token')),
          hostileQueryValue,
        ),
        { maxLength: 2 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ fields, extra }) => {
        const query = [formBody(fields).raw, ...extra.map(([key, value]) => `${key}=${value}`)]
          .filter(Boolean)
          .join('&');
        await check({ method: 'GET', path: `/strava/webhook?${query}` }, challengeAccepted(query));
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('the webhook and the open routes: hostile headers and query strings', async () => {
    const cases = fc.record({
      path: fc.constantFrom('/strava/webhook', ...OPEN),
      header: fc.constantFrom(
        'authorization',
        'content-type',
        'accept',
        'x-request-id',
        'accept-encoding',
        'x-forwarded-for',
      ),
      value: hostileHeaderValue,
      key: hostileQueryValue,
      queryValue: hostileQueryValue,
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, header, value, key, queryValue }) => {
        if (path === '/strava/webhook') {
          // A valid event: only a content type that is no longer JSON turns it away.
          const body = json(EVENT);
          const accepted = header !== 'content-type' || parsedJson({ raw: body.raw, contentType: value }) !== undefined;
          await check({ method: 'POST', path, body, headers: { [header]: value } }, accepted);
          return;
        }
        await check({ method: 'GET', path: `${path}?${key}=${queryValue}`, headers: { [header]: value } }, true);
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('Bull Board: hostile queue names, job ids and statuses never reach a 500', async () => {
    const routes: Array<[string, (queue: string, id: string) => string]> = [
      ['GET', (queue, id) => `/api/queues/${queue}/${id}`],
      ['GET', (queue, id) => `/api/queues/${queue}/${id}/logs`],
      ['GET', (queue) => `/api/queues/${queue}/metrics`],
      ['PUT', (queue, id) => `/api/queues/${queue}/retry/${id}`],
      ['PUT', (queue, id) => `/api/queues/${queue}/clean/${id}`],
      ['PUT', (queue, id) => `/api/queues/${queue}/${id}/retry`],
      ['PUT', (queue, id) => `/api/queues/${queue}/${id}/promote`],
      ['PUT', (queue) => `/api/queues/${queue}/empty`],
      ['POST', (queue) => `/api/queues/${queue}/add`],
    ];
    const cases = fc.record({
      route: fc.constantFrom(...routes),
      queue: fc.oneof(hostileSegment, fc.constantFrom(...Object.values(QueueName))),
      id: fc.oneof(hostileSegment, fc.constantFrom('1', 'latest', 'failed', 'completed', 'waiting')),
      body: hostileBody({ name: 'x', data: {} }),
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ route: [method, path], queue, id, body }) => {
        const request = {
          method,
          path: `/queues/board${path(queue, id)}`,
          headers: OPERATOR_HEADERS,
          ...(method === 'GET' ? {} : { body }),
        };
        const response = await send(request);
        const answer = {
          status: response.status,
          contentType: response.headers.get('content-type'),
          body: await response.text(),
        };
        // Bull Board's own API: its errors are `{error: …}` of its making; an operator tool may accept (2xx), never 5xx.
        expect(answer.status, `${method} ${request.path}: ${answer.body.slice(0, 300)}`).toBeLessThan(500);
        if (answer.status >= 400) {
          expect(answer.contentType, `${method} ${request.path}`).toMatch(/json/);
          expect(JSON.parse(answer.body), `${method} ${request.path}`).toHaveProperty('error');
        }
      }),
      hostileRuns(40),
    );
    await expectLive();
  });

  it('answers a body over the limit with 413 JSON, refuses prototype-poisoned events, survives deep nesting', async () => {
    const before = await snapshot();
    const huge = JSON.stringify({ ...EVENT, updates: { title: 'x'.repeat(2 * 1024 * 1024) } });
    const tooLarge = await send({
      method: 'POST',
      path: '/strava/webhook',
      body: { raw: huge, contentType: JSON_TYPE },
    });
    expect(tooLarge.status).toBe(413);
    await expectClientError(tooLarge, 'over the body limit');
    const depth = 100_000;
    const bodies = [
      '['.repeat(depth) + ']'.repeat(depth),
      `${JSON.stringify(EVENT).slice(0, -1)},"updates":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      `{"__proto__":{"object_type":"athlete"},${JSON.stringify(EVENT).slice(1)}`,
      `{"constructor":{"prototype":{"x":1}},${JSON.stringify(EVENT).slice(1)}`,
      `${JSON.stringify(EVENT).slice(0, -1)},"updates":{"__proto__":{"authorized":"false"}}}`,
    ];
    expect(await snapshot()).toEqual(before);
    // Deep nesting inside `updates` is still an event (Strava's `updates` is free-form): accepted, not a crash.
    for (const raw of bodies) {
      const body = { raw, contentType: JSON_TYPE };
      await check({ method: 'POST', path: '/strava/webhook', body }, eventAccepted(body));
    }
    expect(({} as Record<string, unknown>).authorized).toBeUndefined();
    await expectLive();
  });

  it('answers the operator routes on the public listener with 404 JSON, Bull Board and its actions included', async () => {
    const cases = fc.record({
      path: fc.constantFrom(
        ...OPERATOR,
        '/queues/board',
        '/queues/board/api/queues',
        '/queues/board/api/queues/strava-sync/empty',
        '/queues/board/static/js/main.js',
      ),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      key: hostileQueryValue,
      value: hostileQueryValue,
      authorization: fc.constantFrom(OPERATOR_HEADERS.authorization, 'Basic ====', ''),
    });
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, method, key, value, authorization }) => {
        const what = `${method} ${path}?${key}=${value}`;
        const response = await sendHostile(worker.url, {
          method,
          path: `${path}?${key}=${value}`,
          headers: authorization ? { authorization } : {},
        });
        expect([400, 404], what).toContain(response.status);
        await expectClientError(response, what);
      }),
      hostileRuns(30),
    );
    expect(await snapshot()).toEqual(before);
    await expectLive();
  });

  it('answers wrong methods and unknown routes with a 404/405 JSON', async () => {
    const wrong: Array<[string, string]> = [
      ['PUT', '/strava/webhook'],
      ['DELETE', '/strava/webhook'],
      ['POST', '/queues'],
      ['DELETE', '/queues'],
      ['POST', '/health/live'],
      ['PUT', '/metrics'],
      ['GET', '/strava/webhook/extra'],
      ['GET', '/strava/%2e%2e/%2e%2e/etc/passwd'],
    ];
    const before = await snapshot();
    for (const [method, path] of wrong) {
      const response = await send({ method, path, ...(method === 'GET' ? {} : { body: json(EVENT) }) });
      expect([404, 405], `${method} ${path}`).toContain(response.status);
      await expectClientError(response, `${method} ${path}`);
    }
    expect(await snapshot()).toEqual(before);
    await expectLive();
  });

  it("Bull Board's UI and static files: traversal and hostile paths are refused, never served", async () => {
    const paths = fc.oneof(
      hostileSegment.map((segment) => `/queues/board/static/${segment}`),
      hostileSegment.map((segment) => `/queues/board/${segment}`),
      fc.constantFrom(
        '/queues/board/static/..%2f..%2f..%2f..%2fpackage.json',
        '/queues/board/static/%2e%2e/%2e%2e/%2e%2e/package.json',
        '/queues/board/static/..%5c..%5cpackage.json',
        '/queues/board/static/%00',
      ),
    );
    await fc.assert(
      fc.asyncProperty(paths, async (path) => {
        const response = await send({ method: 'GET', path, headers: OPERATOR_HEADERS });
        const body = await response.text();
        expect(response.status, `${path}: ${body.slice(0, 200)}`).toBeLessThan(500);
        expect(body, path).not.toMatch(/"name":\s*"@runnerly\/|"dependencies"/);
      }),
      hostileRuns(40),
    );
    await expectLive();
  });

  it("refuses the issue's forged events: a deauthorization or a deletion without the app's subscription id queues nothing", async () => {
    const forged = [
      { object_type: 'athlete', object_id: 7, owner_id: 7, aspect_type: 'update', updates: { authorized: 'false' } },
      { object_type: 'activity', object_id: 11, owner_id: 7, aspect_type: 'delete', updates: {} },
      { object_type: 'activity', object_id: 11, owner_id: 7, aspect_type: 'update', updates: { type: 'Ride' } },
    ];
    const before = await snapshot();
    for (const event of [...forged, ...forged.map((event) => ({ ...event, subscription_id: 999 }))]) {
      const response = await send({ method: 'POST', path: '/strava/webhook', body: json(event) });
      expect(response.status, JSON.stringify(event)).toBe(403);
      expect(await response.json()).toMatchObject({ error: 'unknown_subscription' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('queues an accepted event (the no-write check can fail)', async () => {
    const before = await snapshot();
    const response = await send({
      method: 'POST',
      path: '/strava/webhook',
      body: json({ ...EVENT, owner_id: 987_654 }),
    });
    expect(response.status).toBe(200);
    expect(await snapshot()).not.toEqual(before);
  });
});
