import { revokedClientKey, revokedJtiKey } from '@runnerly/auth';
import {
  expectAnswer,
  expectClientError,
  fc,
  formBody,
  type HostileBody,
  type HostileRequest,
  hostileForm,
  hostileHeaderValue,
  hostileQueryValue,
  hostileRuns,
  hostileString,
  parsedForm,
  sendHostile,
} from '@runnerly/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScopes } from '../src/clients/clients.service.js';
import { OAuthErrorCode } from '../src/oauth/oauth.exception.js';
import { startTokenDealer, type TestTokenDealer } from '../src/testing/index.js';

/**
 * Hostile input at every public endpoint of the token-dealer (issue 9): /oauth/* answers a refused
 * request with a 4xx RFC 6749 §5.2 error (`{error, error_description}`, a registered code), the
 * other routes with a 4xx `{error, message}`; never a 500, never a crash, and a refused request
 * writes nothing (clients, signing keys, revocations). An input the endpoint accepts gets its 200.
 */

const CLIENT = {
  id: 'hostile-client',
  scopes: ['users:read', 'runs:read', 'runs:write'],
  audiences: ['data-service', 'other-service'],
};
const OAUTH_ERRORS: readonly string[] = Object.values(OAuthErrorCode);
/** Failed authentications are counted on purpose (failure throttling, tested elsewhere): not a write to check. */
const TABLES = ['clients', 'signing_keys'] as const;

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

type Fields = Record<string, string | string[]>;

describe('token-dealer under hostile input', () => {
  let dealer: TestTokenDealer;
  let db: pg.Client;
  let redis: Redis;
  let secret: string;
  /** A token of the client, for introspection and revocation. */
  let token: string;

  /** Operator routes go to the operator listener (the public one answers them 404, checked below). */
  const isOperatorPath = (path: string) =>
    OPERATOR.some((route) => path === route || path.startsWith(`${route}?`) || path.startsWith(`${route}/`));
  const send = (request: HostileRequest) =>
    sendHostile(isOperatorPath(request.path) ? dealer.operatorUrl : dealer.url, request);

  async function snapshot(): Promise<Record<string, unknown>> {
    const tables = await Promise.all(
      TABLES.map(async (table) => {
        const { rows } = await db.query<{ n: number; hash: string }>(
          `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM token_dealer.${table} t`,
        );
        return [table, rows[0]] as const;
      }),
    );
    const revocations = (
      await Promise.all([revokedJtiKey('*'), revokedClientKey('*')].map((pattern) => redis.keys(pattern)))
    )
      .flat()
      .sort();
    return { ...Object.fromEntries(tables), revocations };
  }

  /** Sends `request` and checks the rule: 200 when accepted, else a 4xx error of the route's shape that writes nothing. */
  async function check(request: HostileRequest, accepted: boolean): Promise<void> {
    const oauth = request.path.startsWith('/oauth/');
    const before = accepted ? undefined : await snapshot();
    const what = `${request.method} ${request.path.slice(0, 200)} ${request.body ? `(${request.body.contentType}) ${request.body.raw.slice(0, 300)}` : ''} ${JSON.stringify(request.headers ?? {}).slice(0, 300)}`;
    const answer = await expectAnswer(await send(request), accepted, what, oauth ? 'oauth' : 'runnerly');
    if (accepted) {
      expect(answer.status, `${what}: ${answer.body.slice(0, 300)}`).toBe(200);
      return;
    }
    if (oauth)
      expect(OAUTH_ERRORS, `${what}: ${answer.body.slice(0, 300)}`).toContain(
        (JSON.parse(answer.body) as { error: string }).error,
      );
    expect(await snapshot(), `${what} wrote`).toEqual(before);
  }

  async function expectLive(): Promise<void> {
    const response = await fetch(`${dealer.url}/health/live`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
  }

  /** The client's credentials as the request carries them, or undefined when they do not authenticate it. */
  function authenticated(fields: Fields, authorization: string | undefined): boolean {
    const { client_id: id, client_secret: key } = fields;
    if (authorization !== undefined && authorization.trim() !== '') {
      return authorization === basic(CLIENT.id, secret) && key === undefined && (id === undefined || id === CLIENT.id);
    }
    return id === CLIENT.id && key === secret;
  }

  /** What the endpoint reads: single-valued form fields, or undefined when the body is refused as a whole. */
  function fieldsOf(body: HostileBody): Record<string, string> | undefined {
    const fields = parsedForm(body);
    if (fields === undefined || Object.hasOwn(fields, '__proto__')) return undefined;
    if (Object.values(fields).some((value) => Array.isArray(value))) return undefined;
    return fields as Record<string, string>;
  }

  /** Whether /oauth/token issues a token for this request (RFC 6749 §4.4 with RFC 8707 audiences). */
  function tokenAccepted(body: HostileBody, authorization?: string): boolean {
    const fields = fieldsOf(body);
    if (fields === undefined || !authenticated(fields, authorization) || fields.grant_type !== 'client_credentials')
      return false;
    const { scope, audience } = fields;
    const scopeOk = scope === undefined || parseScopes(scope).every((item) => CLIENT.scopes.includes(item));
    const audienceOk =
      audience === undefined || audience === '' ? CLIENT.audiences.length === 1 : CLIENT.audiences.includes(audience);
    return scopeOk && audienceOk;
  }

  /** Whether /oauth/introspect or /oauth/revoke answers 200 for this request. */
  function operationAccepted(path: string, body: HostileBody, authorization?: string): boolean {
    const fields = fieldsOf(body);
    if (fields === undefined || !authenticated(fields, authorization) || !fields.token) return false;
    return (
      path === '/oauth/introspect' || fields.token_type_hint === undefined || fields.token_type_hint === 'access_token'
    );
  }

  const accepted = (path: string, body: HostileBody, authorization?: string) =>
    path === '/oauth/token' ? tokenAccepted(body, authorization) : operationAccepted(path, body, authorization);

  const OPERATOR = ['/metrics', '/openapi.json', '/openapi.yaml', '/docs'];
  const OPEN = [
    '/.well-known/jwks.json',
    '/.well-known/oauth-authorization-server',
    '/health/live',
    '/health/ready',
    ...OPERATOR,
  ];

  beforeAll(async () => {
    dealer = await startTokenDealer({
      TOKEN_DEALER_MAX_FAILURES_PER_CLIENT_ADDRESS: '1000000',
      TOKEN_DEALER_MAX_FAILURES_PER_ADDRESS: '1000000',
    });
    secret = (await dealer.clients.create(CLIENT.id, CLIENT.scopes, CLIENT.audiences)).client_secret;
    db = new pg.Client({ connectionString: dealer.config.DATABASE_URL });
    await db.connect();
    redis = new Redis(dealer.redisUrl, { lazyConnect: true });
    const issued = await send({
      method: 'POST',
      path: '/oauth/token',
      body: formBody({ grant_type: 'client_credentials', audience: 'data-service' }),
      headers: { authorization: basic(CLIENT.id, secret) },
    });
    expect(issued.status).toBe(200);
    token = ((await issued.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    redis?.disconnect();
    await db?.end();
    await dealer?.close();
  });

  it('POST /oauth/token: hostile forms with client_secret_post, field by field', async () => {
    const valid = {
      grant_type: 'client_credentials',
      scope: 'runs:read users:read',
      audience: 'data-service',
      client_id: CLIENT.id,
      client_secret: secret,
    };
    await fc.assert(
      fc.asyncProperty(hostileForm(valid), async (body) => {
        await check({ method: 'POST', path: '/oauth/token', body }, tokenAccepted(body));
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('POST /oauth/token: hostile grant_type, scope and audience with client_secret_basic', async () => {
    const field = fc.oneof(
      hostileString,
      fc.constantFrom(
        'client_credentials',
        'runs:read',
        'runs:read  users:read',
        'data-service',
        'other-service',
        'admin',
        ' ',
      ),
    );
    const forms = fc.record(
      {
        grant_type: fc.oneof(fc.constant('client_credentials'), field),
        scope: field,
        audience: field,
        client_id: fc.constantFrom(CLIENT.id, 'other', ''),
      },
      { requiredKeys: ['grant_type'] },
    );
    await fc.assert(
      fc.asyncProperty(forms, async (fields) => {
        const body = formBody(fields);
        const authorization = basic(CLIENT.id, secret);
        await check(
          { method: 'POST', path: '/oauth/token', body, headers: { authorization } },
          tokenAccepted(body, authorization),
        );
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('POST /oauth/introspect and /oauth/revoke: hostile forms, never a revocation from a refused request', async () => {
    const cases = fc.constantFrom('/oauth/introspect', '/oauth/revoke').chain((path) =>
      hostileForm({
        token: 'not-a-token',
        token_type_hint: 'access_token',
        client_id: CLIENT.id,
        client_secret: secret,
      }).map((body) => ({ path, body })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, body }) => {
        await check({ method: 'POST', path, body }, accepted(path, body));
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('every /oauth route: hostile Authorization headers (Basic that is not base64, no colon, other schemes, bad escapes)', async () => {
    const authorizations = fc.oneof(
      hostileHeaderValue,
      fc
        .tuple(hostileString, hostileString)
        .map(([id, key]) => `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}`),
      hostileString.map((value) => `Basic ${Buffer.from(value).toString('base64')}`),
      fc.constantFrom(
        `Basic ${Buffer.from(`${CLIENT.id}%ZZ:x`).toString('base64')}`,
        `Basic ${Buffer.from(`${CLIENT.id}`).toString('base64')}`,
        `Basic ${Buffer.from(`${CLIENT.id}:wrong`).toString('base64')}`,
        `Basic ${Buffer.from(`${CLIENT.id}:${'x'.repeat(10_000)}`).toString('base64')}`,
        `Bearer ${'a'.repeat(100)}`,
        'Basic ====',
        'Basic ' + '/'.repeat(500),
      ),
    );
    const cases = fc.record({
      path: fc.constantFrom('/oauth/token', '/oauth/introspect', '/oauth/revoke'),
      authorization: authorizations,
      post: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, authorization, post }) => {
        const fields: Record<string, string> = { grant_type: 'client_credentials', audience: 'data-service', token };
        if (post) Object.assign(fields, { client_id: CLIENT.id, client_secret: secret });
        const body = formBody(fields);
        // An introspection is no write; a revocation that is accepted writes on purpose: leave the token alone.
        const request = {
          method: 'POST',
          path,
          body: path === '/oauth/revoke' ? formBody({ ...fields, token: 'not-a-token' }) : body,
          headers: { authorization },
        };
        await check(request, accepted(path, request.body, authorization));
      }),
      hostileRuns(),
    );
    await expectLive();
  });

  it('the open routes: any query string and header leaves them answering', async () => {
    const cases = fc.record({
      path: fc.constantFrom(...OPEN),
      key: hostileQueryValue,
      value: hostileQueryValue,
      header: fc.constantFrom(
        'authorization',
        'accept',
        'x-request-id',
        'content-type',
        'x-forwarded-for',
        'if-none-match',
      ),
      headerValue: hostileHeaderValue,
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, key, value, header, headerValue }) => {
        await check({ method: 'GET', path: `${path}?${key}=${value}`, headers: { [header]: headerValue } }, true);
      }),
      hostileRuns(40),
    );
    await expectLive();
  });

  it('the operator routes on the public listener: 404 in the service shape, whatever the query, headers and method', async () => {
    const cases = fc.record({
      path: fc.constantFrom(...OPERATOR),
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
      key: hostileQueryValue,
      value: hostileQueryValue,
      header: fc.constantFrom('authorization', 'accept', 'x-request-id', 'x-forwarded-for', 'host'),
      headerValue: hostileHeaderValue,
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, method, key, value, header, headerValue }) => {
        const what = `${method} ${path}?${key}=${value} ${header}: ${headerValue}`;
        const response = await sendHostile(dealer.url, {
          method,
          path: `${path}?${key}=${value}`,
          headers: { [header]: headerValue },
        });
        if (method === 'HEAD') {
          expect(response.status, what).toBe(404);
          return;
        }
        expect([400, 404], what).toContain(response.status);
        await expectClientError(response, what);
      }),
      hostileRuns(40),
    );
    await expectLive();
  });

  it('answers a body over the limit (16 KiB) with a 413 RFC 6749 error and writes nothing', async () => {
    const before = await snapshot();
    for (const path of ['/oauth/token', '/oauth/introspect', '/oauth/revoke']) {
      const response = await send({
        method: 'POST',
        path,
        body: formBody({
          grant_type: 'client_credentials',
          client_id: CLIENT.id,
          client_secret: secret,
          token,
          scope: 'x'.repeat(20_000),
        }),
      });
      expect(response.status, path).toBe(413);
      await expectClientError(response, path, 'oauth');
    }
    expect(await snapshot()).toEqual(before);
    await expectLive();
  });

  it('refuses repeated parameters, prototype keys and nested or JSON bodies with an RFC 6749 error', async () => {
    const before = await snapshot();
    const auth = { client_id: CLIENT.id, client_secret: secret };
    const bodies: HostileBody[] = [
      formBody([
        ['grant_type', 'client_credentials'],
        ['grant_type', 'client_credentials'],
        ['client_id', CLIENT.id],
        ['client_secret', secret],
      ]),
      formBody([
        ...Object.entries(auth),
        ['grant_type', 'client_credentials'],
        ['scope', 'runs:read'],
        ['scope', 'users:read'],
      ]),
      formBody([...Object.entries(auth), ['grant_type', 'client_credentials'], ['__proto__', 'x']]),
      formBody([
        ...Object.entries(auth),
        ['grant_type', 'client_credentials'],
        ['audience[]', 'data-service'],
        ['audience', 'data-service'],
        ['audience', 'other-service'],
      ]),
      { raw: JSON.stringify({ ...auth, grant_type: ['client_credentials'] }), contentType: 'application/json' },
      { raw: JSON.stringify({ ...auth, grant_type: { $ne: '' } }), contentType: 'application/json' },
      { raw: `{"__proto__":{"admin":true},"grant_type":"client_credentials"}`, contentType: 'application/json' },
      { raw: '['.repeat(5_000) + ']'.repeat(5_000), contentType: 'application/json' },
      { raw: '"client_credentials"', contentType: 'application/json' },
      { raw: '42', contentType: 'application/json' },
      { raw: '{"grant_type":', contentType: 'application/json' },
    ];
    for (const path of ['/oauth/token', '/oauth/introspect', '/oauth/revoke']) {
      for (const body of bodies) {
        await check({ method: 'POST', path, body }, false);
      }
    }
    expect(await snapshot()).toEqual(before);
    await expectLive();
  });

  it('answers wrong methods, unknown routes and paths the router refuses with a 4xx JSON', async () => {
    const wrong: Array<[string, string]> = [
      ['GET', '/oauth/token'],
      ['PUT', '/oauth/token'],
      ['DELETE', '/oauth/revoke'],
      ['GET', '/oauth/introspect'],
      ['POST', '/.well-known/jwks.json'],
      ['DELETE', '/.well-known/oauth-authorization-server'],
      ['POST', '/health/live'],
      ['PUT', '/metrics'],
      ['GET', '/oauth/authorize'],
      ['GET', '/.well-known/%2e%2e/%2e%2e/etc/passwd'],
      ['GET', '/oauth/%E0%A4%A'],
      ['POST', '/oauth/token%ZZ'],
      ['GET', `/.well-known/${'a'.repeat(5_000)}`],
    ];
    for (const [method, path] of wrong) {
      const response = await send({
        method,
        path,
        ...(method === 'GET' ? {} : { body: formBody({ grant_type: 'client_credentials' }) }),
      });
      expect([400, 404, 405, 414], `${method} ${path}`).toContain(response.status);
      await expectClientError(response, `${method} ${path}`);
    }
    await expectLive();
  });

  it('sees an accepted revocation in its snapshot (the no-write check can fail)', async () => {
    const before = await snapshot();
    const response = await send({
      method: 'POST',
      path: '/oauth/revoke',
      body: formBody({ token, client_id: CLIENT.id, client_secret: secret }),
    });
    expect(response.status).toBe(200);
    expect(await snapshot()).not.toEqual(before);
  });
});
