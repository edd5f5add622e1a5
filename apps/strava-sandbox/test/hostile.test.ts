import {
  type ErrorShape,
  expectAnswer,
  expectClientError,
  fc,
  formBody,
  type HostileBody,
  type HostileRequest,
  hostileBody,
  hostileForm,
  hostileHeaderValue,
  hostileObject,
  hostileQueryValue,
  hostileRuns,
  hostileSegment,
  hostileString,
  parsedForm,
  parsedJson,
  parsedQuery,
  safeDecode,
  sendHostile,
} from '@runnerly/testing';
import { STRAVA_OAUTH_SCOPES } from '@runnerly/strava';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ActivityPatchSchema,
  ClockSchema,
  ExpireTokensSchema,
  MintTokensSchema,
  NewActivitySchema,
  SettingsPatchSchema,
} from '../src/admin/admin.dto.js';
import { CLIENT_ID, CLIENT_SECRET, startSandbox } from './support.js';

/**
 * Hostile input at every public endpoint of the Strava sandbox (issue 9). The Strava-facing routes
 * refuse with Strava's fault (`{message, errors:[{resource, field, code}]}`), the admin API under
 * /_sandbox and the platform routes with Runnerly's `{error, message}`; always a 4xx JSON, never a
 * 500, never a crash; a refused request changes nothing in the sandbox's world. An input the
 * route accepts gets its 2xx (or the consent page's redirect).
 */

const JSON_TYPE = 'application/json';
type Fields = Record<string, unknown>;

/** Strava's reading of a parameter: the first value, trimmed; undefined when absent, empty or not text. */
function stravaParam(fields: Fields, name: string): string | undefined {
  const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
  const first = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/** What a Strava-facing route reads from a body: form, JSON object, nothing (text), or undefined when refused. */
function bodyFields(body: HostileBody | undefined): Fields | undefined {
  // Fastify parses text/plain itself: a string, no parameters in it.
  if (body === undefined || /^text\/plain\s*(;|$)/i.test(body.contentType ?? '')) return {};
  const form = parsedForm(body);
  if (form !== undefined) return Object.hasOwn(form, '__proto__') ? undefined : form;
  const json = parsedJson(body);
  if (json === undefined) return undefined;
  return typeof json.value === 'object' && json.value !== null ? (json.value as Fields) : {};
}

const accepts = (schema: z.ZodType, body: HostileBody) => {
  const parsed = parsedJson(body);
  return parsed !== undefined && schema.safeParse(parsed.value ?? {}).success;
};

describe('strava-sandbox under hostile input', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let athleteId: number;
  let accessToken: string;
  let refreshToken: string;
  let activityIds: Set<number>;
  let streamIds: Set<number>;

  const send = (request: HostileRequest) => sendHostile(sandbox.baseUrl, request);
  const json = (value: unknown): HostileBody => ({ raw: JSON.stringify(value), contentType: JSON_TYPE });
  const auth = () => ({ authorization: `Bearer ${accessToken}` });

  /** The sandbox's world as its admin API shows it: athletes (activities, connection), settings, webhook deliveries, subscription. */
  async function snapshot(): Promise<Record<string, unknown>> {
    const [athletes, settings, deliveries] = await Promise.all([
      sandbox.admin('GET', '/athletes'),
      sandbox.admin<{ settings: unknown }>('GET', '/settings'),
      sandbox.admin('GET', '/webhooks/deliveries'),
    ]);
    const subscriptions = await (
      await fetch(`${sandbox.baseUrl}/api/v3/push_subscriptions?client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`)
    ).json();
    const tokenWorks = (await fetch(`${sandbox.baseUrl}/api/v3/athlete`, { headers: auth() })).status === 200;
    return { athletes, settings: settings.settings, deliveries, subscriptions, tokenWorks };
  }

  /** Sends `request` and checks the rule; `exact`: an accepted input must succeed (the oracle knows every refusal). */
  async function check(request: HostileRequest, accepted: boolean, shape: ErrorShape, exact = true): Promise<string> {
    const before = accepted ? undefined : await snapshot();
    const what = `${request.method} ${request.path.slice(0, 300)} ${request.body ? `(${request.body.contentType}) ${request.body.raw.slice(0, 300)}` : ''} ${JSON.stringify(request.headers ?? {}).slice(0, 300)}`;
    const answer = await expectAnswer(await send(request), accepted, what, shape);
    if (!accepted) expect(await snapshot(), `${what} changed the sandbox`).toEqual(before);
    else if (exact) expect(answer.status, `${what}: ${answer.body.slice(0, 300)}`).toBeLessThan(400);
    return answer.body;
  }

  async function expectLive(): Promise<void> {
    const response = await fetch(`${sandbox.baseUrl}/health/live`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
  }

  const clientOk = (fields: Fields) =>
    stravaParam(fields, 'client_id') === CLIENT_ID && (stravaParam(fields, 'client_secret') ?? '') === CLIENT_SECRET;

  /** `/oauth/authorize`'s validation (Strava's: comma-separated scopes, http(s) redirect, response_type=code). */
  function authorizeOk(fields: Fields, scopeName: string): boolean {
    if (stravaParam(fields, 'client_id') !== CLIENT_ID) return false;
    const redirect = stravaParam(fields, 'redirect_uri');
    if (redirect === undefined || !URL.canParse(redirect) || !['http:', 'https:'].includes(new URL(redirect).protocol))
      return false;
    if (stravaParam(fields, 'response_type') !== 'code') return false;
    if (!['auto', 'force'].includes(stravaParam(fields, 'approval_prompt') ?? 'auto')) return false;
    return (stravaParam(fields, scopeName) ?? 'read')
      .split(',')
      .every((scope) => (STRAVA_OAUTH_SCOPES as readonly string[]).includes(scope));
  }

  beforeAll(async () => {
    sandbox = await startSandbox({
      STRAVA_SANDBOX_ATHLETES: '2',
      STRAVA_SANDBOX_RATE_LIMIT_15MIN: '1000000',
      STRAVA_SANDBOX_RATE_LIMIT_DAILY: '1000000',
      STRAVA_SANDBOX_READ_RATE_LIMIT_15MIN: '1000000',
      STRAVA_SANDBOX_READ_RATE_LIMIT_DAILY: '1000000',
    });
    athleteId = (await sandbox.admin<Array<{ id: number }>>('GET', '/athletes'))[0]!.id;
    const tokens = await sandbox.admin<{ access_token: string; refresh_token: string }>(
      'POST',
      `/athletes/${athleteId}/tokens`,
      {
        scope: 'read,activity:read_all,profile:read_all',
      },
    );
    accessToken = tokens.access_token;
    refreshToken = tokens.refresh_token;
    const activities = (await (
      await fetch(`${sandbox.baseUrl}/api/v3/athlete/activities?per_page=200`, { headers: auth() })
    ).json()) as Array<{ id: number; manual: boolean }>;
    activityIds = new Set(activities.map((activity) => activity.id));
    streamIds = new Set(activities.filter((activity) => !activity.manual).map((activity) => activity.id));
    expect(activityIds.size).toBeGreaterThan(0);
  });
  afterAll(() => sandbox?.close());

  describe("Strava's API", () => {
    it('GET /api/v3/athlete/activities: hostile before, after, page and per_page', async () => {
      const integer = (fields: Fields, name: string, min: number) => {
        const raw = stravaParam(fields, name);
        return raw === undefined || (Number.isInteger(Number(raw)) && Number(raw) >= min);
      };
      const cases = fc.array(
        fc.tuple(fc.constantFrom('before', 'after', 'page', 'per_page', 'access_token', 'unknown'), hostileQueryValue),
        { minLength: 1, maxLength: 3 },
      );
      await fc.assert(
        fc.asyncProperty(cases, async (pairs) => {
          const query = pairs.map(([key, value]) => `${key}=${value}`).join('&');
          const fields = parsedQuery(query);
          const accepted =
            integer(fields, 'before', 0) &&
            integer(fields, 'after', 0) &&
            integer(fields, 'page', 1) &&
            integer(fields, 'per_page', 1);
          await check(
            { method: 'GET', path: `/api/v3/athlete/activities?${query}`, headers: auth() },
            accepted,
            'strava',
          );
        }),
        hostileRuns(),
      );
      await expectLive();
    });

    it('GET /api/v3/activities/{id}: hostile ids', async () => {
      const ids = fc.oneof(
        hostileSegment,
        fc.constantFrom(...[...activityIds].slice(0, 3).map(String)),
        fc.constantFrom('0x1', '1e3', '-1', ' 1'),
      );
      await fc.assert(
        fc.asyncProperty(ids, async (id) => {
          const decoded = safeDecode(id);
          await check(
            { method: 'GET', path: `/api/v3/activities/${id}`, headers: auth() },
            activityIds.has(Number(decoded)),
            'strava',
          );
        }),
        hostileRuns(),
      );
      await expectLive();
    });

    it('GET /api/v3/activities/{id}/streams: hostile ids, keys and key_by_type', async () => {
      const cases = fc.record({
        id: fc.oneof(
          hostileSegment,
          fc.constantFrom(...[...streamIds].slice(0, 3).map(String)),
          fc.constantFrom('0x1', '1e3', '-1', ' 1'),
        ),
        keys: fc.option(fc.oneof(hostileQueryValue, fc.constantFrom('time,distance', 'latlng,,altitude', 'watts')), {
          nil: undefined,
        }),
        byType: fc.option(fc.oneof(hostileQueryValue, fc.constantFrom('true', 'false')), { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(cases, async ({ id, keys, byType }) => {
          const query = [keys === undefined ? '' : `keys=${keys}`, byType === undefined ? '' : `key_by_type=${byType}`]
            .filter(Boolean)
            .join('&');
          // Unknown keys are left out and anything but key_by_type=true is the list form, as on Strava.
          await check(
            { method: 'GET', path: `/api/v3/activities/${id}/streams${query ? `?${query}` : ''}`, headers: auth() },
            streamIds.has(Number(safeDecode(id))),
            'strava',
          );
        }),
        hostileRuns(),
      );
      await expectLive();
    });

    it('every API route: hostile Authorization headers and access_token parameters', async () => {
      const routes = [
        '/api/v3/athlete',
        '/api/v3/athlete/activities',
        `/api/v3/activities/${[...activityIds][0]}`,
        `/api/v3/activities/${[...streamIds][0]}/streams`,
      ];
      const cases = fc.record({
        path: fc.constantFrom(...routes),
        authorization: fc.option(hostileHeaderValue, { nil: undefined }),
        token: fc.option(hostileQueryValue, { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(cases, async ({ path, authorization, token }) => {
          const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
          await check(
            { method: 'GET', path: `${path}${token === undefined ? '' : `?access_token=${token}`}`, headers },
            false,
            'strava',
          );
        }),
        hostileRuns(),
      );
      await expectLive();
    });

    it('push subscriptions: hostile client credentials, callback URLs, verify tokens and ids', async () => {
      const valid = {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        callback_url: 'not a url',
        verify_token: 'v',
      };
      const cases = fc.oneof(
        hostileForm(valid).map((body) => ({ method: 'POST', path: '/api/v3/push_subscriptions', body })),
        hostileQueryValue.map((value) => ({
          method: 'GET',
          path: `/api/v3/push_subscriptions?client_id=${CLIENT_ID}&client_secret=${value}`,
        })),
        hostileSegment.map((id) => ({
          method: 'DELETE',
          path: `/api/v3/push_subscriptions/${id}?client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
        })),
      );
      await fc.assert(
        fc.asyncProperty(cases, async (request) => {
          // No callback answers the handshake here: creating is always refused; listing needs the client's secret.
          const accepted = request.method === 'GET' && clientOk(parsedQuery(request.path.split('?')[1] ?? ''));
          await check(request, accepted, 'strava');
        }),
        hostileRuns(),
      );
      await expectLive();
    });
  });

  describe("Strava's OAuth", () => {
    it('POST /oauth/token (both paths): hostile forms and JSON around a valid refresh', async () => {
      const valid = () => ({
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      });
      const cases = fc.record({
        path: fc.constantFrom('/oauth/token', '/api/v3/oauth/token'),
        body: fc.oneof(hostileForm(valid()), hostileBody(valid())),
        query: fc.option(
          fc.tuple(fc.constantFrom('grant_type', 'client_id', 'code', 'refresh_token'), hostileQueryValue),
          { nil: undefined },
        ),
      });
      await fc.assert(
        fc.asyncProperty(cases, async ({ path, body, query }) => {
          const search = query === undefined ? '' : `${query[0]}=${query[1]}`;
          const fields = bodyFields(body);
          const merged = fields === undefined ? undefined : { ...parsedQuery(search), ...fields };
          const accepted =
            merged !== undefined &&
            clientOk(merged) &&
            stravaParam(merged, 'grant_type') === 'refresh_token' &&
            stravaParam(merged, 'refresh_token') === refreshToken;
          await check({ method: 'POST', path: `${path}${search ? `?${search}` : ''}`, body }, accepted, 'strava');
        }),
        hostileRuns(),
      );
      await expectLive();
    });

    it('GET and POST /oauth/authorize: hostile authorization requests', async () => {
      const valid = {
        client_id: CLIENT_ID,
        redirect_uri: 'http://localhost/cb',
        response_type: 'code',
        approval_prompt: 'auto',
        scope: 'read,activity:read',
        state: 's',
      };
      const cases = fc.oneof(
        hostileObject(valid).map((query) => ({ method: 'GET' as const, query })),
        hostileForm({ ...valid, requested_scope: 'read', decision: 'deny', athlete_id: String(athleteId) }).map(
          (body) => ({ method: 'POST' as const, body }),
        ),
      );
      await fc.assert(
        fc.asyncProperty(cases, async (request) => {
          if (request.method === 'GET') {
            const text = Object.fromEntries(
              Object.entries(request.query).map(([key, value]) => [
                key,
                typeof value === 'string' ? value : JSON.stringify(value),
              ]),
            );
            const search = formBody(text).raw;
            await check(
              { method: 'GET', path: `/oauth/authorize?${search}` },
              authorizeOk(parsedQuery(search), 'scope'),
              'strava',
            );
            return;
          }
          const fields = bodyFields(request.body);
          // A consent that is accepted but denied redirects with access_denied: no code, nothing changes.
          await check(
            { method: 'POST', path: '/oauth/authorize', body: request.body },
            fields !== undefined && authorizeOk(fields, 'requested_scope'),
            'strava',
          );
        }),
        hostileRuns(),
      );
      await expectLive();
    });

    it('POST /oauth/revoke and /oauth/deauthorize: hostile Basic headers, bearer tokens and bodies', async () => {
      const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
      const authorizations = fc.oneof(
        hostileHeaderValue,
        fc.tuple(hostileString, hostileString).map(([id, secret]) => basic(id, secret)),
        fc.constantFrom(
          basic(`${CLIENT_ID}%ZZ`, CLIENT_SECRET),
          basic(CLIENT_ID, `${CLIENT_SECRET}%`),
          `Basic ${Buffer.from(CLIENT_ID).toString('base64')}`,
          'Basic !!!',
          `Bearer ${'a'.repeat(40)}`,
        ),
      );
      const cases = fc.record({
        path: fc.constantFrom('/oauth/revoke', '/oauth/deauthorize'),
        authorization: authorizations,
        body: fc.oneof(
          hostileForm({ token: 'not-a-token', access_token: 'not-a-token' }),
          hostileBody({ token: 'not-a-token' }),
        ),
      });
      await fc.assert(
        fc.asyncProperty(cases, async ({ path, authorization, body }) => {
          // Hostile credentials authenticate no client and no athlete: always refused.
          await check({ method: 'POST', path, body, headers: { authorization } }, false, 'strava');
        }),
        hostileRuns(),
      );
      // With the client's own credentials, unknown tokens are ignored (RFC 7009) whatever the body.
      await fc.assert(
        fc.asyncProperty(hostileForm({ token: 'not-a-token' }), async (body) => {
          const fields = bodyFields(body);
          await check(
            {
              method: 'POST',
              path: '/oauth/revoke',
              body,
              headers: { authorization: basic(CLIENT_ID, CLIENT_SECRET) },
            },
            fields !== undefined,
            'strava',
          );
        }),
        hostileRuns(30),
      );
      await expectLive();
    });

    it('Strava-facing routes: a body over the limit, nested and prototype-poisoned bodies, multipart junk', async () => {
      const before = await snapshot();
      const cases: Array<[string, HostileBody]> = [
        [
          '/oauth/token',
          {
            raw: `client_id=${CLIENT_ID}&code=${'x'.repeat(1_100_000)}`,
            contentType: 'application/x-www-form-urlencoded',
          },
        ],
        ['/oauth/token', { raw: '['.repeat(100_000) + ']'.repeat(100_000), contentType: JSON_TYPE }],
        ['/oauth/token', { raw: `{"__proto__":{"client_id":"${CLIENT_ID}"}}`, contentType: JSON_TYPE }],
        [
          '/oauth/token',
          formBody([
            ['__proto__', 'x'],
            ['client_id', CLIENT_ID],
          ]),
        ],
        [
          '/oauth/token',
          {
            raw: '--x\r\nContent-Disposition: form-data; name="client_id"\r\n\r\n',
            contentType: 'multipart/form-data; boundary=x',
          },
        ],
        ['/oauth/token', { raw: 'garbage', contentType: 'multipart/form-data' }],
        ['/oauth/token', { raw: '{}', contentType: 'text/plain' }],
        ['/oauth/deauthorize', { raw: '{"access_token":', contentType: JSON_TYPE }],
        ['/api/v3/push_subscriptions', { raw: 'x', contentType: 'application/xml' }],
      ];
      for (const [path, body] of cases) {
        const response = await send({ method: 'POST', path, body });
        await expectClientError(response, `${path} ${body.raw.slice(0, 80)}`, 'strava');
      }
      expect(await snapshot()).toEqual(before);
      await expectLive();
    });
  });

  describe('the admin API and the platform routes', () => {
    it('hostile bodies and ids on every admin route', async () => {
      const routes: Array<{
        method: string;
        path: (id: string) => string;
        schema?: z.ZodType;
        valid?: Record<string, unknown>;
      }> = [
        {
          method: 'POST',
          path: (id) => `/_sandbox/athletes/${id}/activities`,
          schema: NewActivitySchema,
          valid: { name: 'Run', sport_type: 'Run', distance: 1000, moving_time: 300 },
        },
        {
          method: 'PUT',
          path: (id) => `/_sandbox/activities/${id}`,
          schema: ActivityPatchSchema,
          valid: { name: 'Renamed', private: false },
        },
        { method: 'DELETE', path: (id) => `/_sandbox/activities/${id}` },
        {
          method: 'POST',
          path: (id) => `/_sandbox/athletes/${id}/tokens`,
          schema: MintTokensSchema,
          valid: { scope: 'read' },
        },
        { method: 'POST', path: (id) => `/_sandbox/athletes/${id}/revoke` },
        { method: 'GET', path: (id) => `/_sandbox/athletes/${id}/planted` },
        {
          method: 'POST',
          path: () => '/_sandbox/tokens/expire',
          schema: ExpireTokensSchema,
          valid: { access_token: 'not-a-token', expires_in: 10 },
        },
        {
          method: 'PUT',
          path: () => '/_sandbox/settings',
          schema: SettingsPatchSchema,
          valid: { rotateRefreshTokens: false, webhookRetryDelayMs: 20 },
        },
      ];
      const cases = fc.constantFrom(...routes).chain((route) =>
        fc.record({
          route: fc.constant(route),
          id: fc.oneof(hostileSegment, fc.constant('999999999')),
          body: route.valid ? hostileBody(route.valid) : fc.constant(undefined),
        }),
      );
      await fc.assert(
        fc.asyncProperty(cases, async ({ route, id, body }) => {
          const decoded = safeDecode(id);
          // Nest's ParseIntPipe: an optional minus and digits.
          const idOk = !route.path('ID').includes('ID') || /^-?\d+$/.test(decoded);
          const accepted = idOk && (route.schema === undefined || (body !== undefined && accepts(route.schema, body)));
          // Accepted input may still name no athlete or activity (404).
          await check(
            { method: route.method, path: route.path(id), ...(body ? { body } : {}) },
            accepted,
            'runnerly',
            false,
          );
        }),
        hostileRuns(),
      );
      await expectLive();
    });

    it('POST /_sandbox/clock: hostile advances leave the clock working', async () => {
      const bodies = fc.oneof(
        hostileBody({ advance_seconds: 60 }),
        fc
          .oneof(fc.integer(), fc.constantFrom(1e21, -1e21, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 8.64e12))
          .map((advance) => json({ advance_seconds: advance })),
      );
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          await check({ method: 'POST', path: '/_sandbox/clock', body }, accepts(ClockSchema, body), 'runnerly');
          const settings = await send({ method: 'GET', path: '/_sandbox/settings' });
          expect(settings.status, await settings.text()).toBe(200);
          await sandbox.admin('POST', '/reset');
        }),
        hostileRuns(40),
      );
      await expectLive();
    });

    it('the read-only admin routes and the platform routes: hostile queries and headers', async () => {
      const paths = [
        '/_sandbox/athletes',
        '/_sandbox/settings',
        '/_sandbox/requests',
        '/_sandbox/webhooks/deliveries',
        '/health/live',
        '/health/ready',
        '/metrics',
        '/openapi.json',
        '/openapi.yaml',
        '/docs',
      ];
      const cases = fc.record({
        path: fc.constantFrom(...paths),
        key: hostileQueryValue,
        value: hostileQueryValue,
        header: fc.constantFrom('authorization', 'accept', 'x-request-id', 'content-type', 'accept-encoding'),
        headerValue: hostileHeaderValue,
      });
      await fc.assert(
        fc.asyncProperty(cases, async ({ path, key, value, header, headerValue }) => {
          await check(
            { method: 'GET', path: `${path}?${key}=${value}`, headers: { [header]: headerValue } },
            true,
            'runnerly',
          );
        }),
        hostileRuns(40),
      );
      await expectLive();
    });

    it('answers wrong methods and unknown routes with a 404/405 JSON', async () => {
      // Strava's paths answer in Strava's shape, the others in Runnerly's.
      const wrong: Array<[string, string, ErrorShape]> = [
        ['GET', '/oauth/token', 'strava'],
        ['PUT', '/oauth/authorize', 'strava'],
        ['GET', '/oauth/revoke', 'strava'],
        ['DELETE', '/api/v3/athlete', 'strava'],
        ['POST', '/api/v3/athlete/activities', 'strava'],
        ['PUT', '/api/v3/push_subscriptions', 'strava'],
        ['GET', '/_sandbox/clock', 'runnerly'],
        ['DELETE', '/_sandbox/settings', 'runnerly'],
        ['POST', '/health/live', 'runnerly'],
        // The URL is normalised to /etc/passwd on the way: no longer a Strava path.
        ['GET', '/api/v3/%2e%2e/%2e%2e/etc/passwd', 'runnerly'],
      ];
      for (const [method, path, shape] of wrong) {
        const response = await send({
          method,
          path,
          ...(method === 'GET' ? {} : { body: json({}) }),
          headers: { authorization: 'Bearer x' },
        });
        expect([404, 405], `${method} ${path}`).toContain(response.status);
        await expectClientError(response, `${method} ${path}`, shape);
      }
      await expectLive();
    });

    it('sees an accepted change in its snapshot (the no-change check can fail)', async () => {
      const before = await snapshot();
      const response = await send({
        method: 'POST',
        path: `/_sandbox/athletes/${athleteId}/activities`,
        body: json({ name: 'Run' }),
      });
      expect(response.status).toBe(201);
      expect(await snapshot()).not.toEqual(before);
    });
  });
});
