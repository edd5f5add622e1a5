import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, makeRun, startService, testKey, USER } from './harness.js';

const STRAVA = {
  accessToken: 'strava-access-SECRET-1',
  refreshToken: 'strava-refresh-SECRET-1',
  expiresAt: 1_800_000_000,
  scope: 'read,activity:read_all',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('data-service users and Strava tokens', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService();
  });
  afterAll(() => h?.close());

  describe('the open endpoints', () => {
    it('answers health without a token, metrics and OpenAPI on the operator listener', async () => {
      expect((await h.call('GET', '/health/live', { token: null })).body).toEqual({ status: 'ok' });
      expect((await h.call('GET', '/health/ready', { token: null })).status).toBe(200);
      const metrics = await h.call('GET', '/metrics', { token: null, operator: true });
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain('http_request_duration_seconds');
      const openapi = await h.call('GET', '/openapi.json', { token: null, operator: true });
      expect(openapi.body.info.title).toBe('Runnerly data-service');
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining([
          '/users',
          '/users/{id}',
          '/users/{id}/strava-token',
          '/users/{id}/runs',
          '/users/{id}/runs/{stravaId}',
          '/users/{id}/stats',
        ]),
      );
      // Schemas come from @runnerly/data-client's zod schemas.
      const runSchema = openapi.body.paths['/users/{id}/runs'].put.requestBody.content['application/json'].schema;
      expect(runSchema.properties.runs.items.properties.sportType.enum).toContain('TrailRun');
      expect((await h.call('GET', '/docs', { token: null, operator: true })).status).toBe(200);
    });

    it('answers an unknown route with a JSON 404 carrying the request id', async () => {
      const response = await h.call('GET', '/nope', { headers: { 'x-request-id': 'test-req-1' } });
      expect(response.status).toBe(404);
      expect(response.headers.get('x-request-id')).toBe('test-req-1');
      expect(response.body).toMatchObject({ error: 'not_found' });
    });
  });

  describe('PUT /users', () => {
    it('creates a user with a generated id, then updates the same athlete in place', async () => {
      const created = await h.call('PUT', '/users', {
        body: { ...USER, stravaAthleteId: 1001, email: 'ada@example.org' },
      });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        stravaAthleteId: 1001,
        firstname: 'Ada',
        lastname: 'Runner',
        email: 'ada@example.org',
        city: 'Paris',
        country: 'France',
        profileImageUrl: null,
        connected: false,
      });
      expect(created.body.id).toMatch(UUID);

      const updated = await h.call('PUT', '/users', {
        body: { stravaAthleteId: 1001, firstname: 'Ada', lastname: 'Lovelace', city: null },
      });
      expect(updated.body.id).toBe(created.body.id);
      // Left out: kept; null: cleared.
      expect(updated.body).toMatchObject({
        lastname: 'Lovelace',
        email: 'ada@example.org',
        city: null,
        country: 'France',
      });
    });

    it('stores the Strava tokens encrypted and never returns them', async () => {
      const created = await h.call('PUT', '/users', { body: { ...USER, stravaAthleteId: 1002, strava: STRAVA } });
      expect(created.status).toBe(200);
      expect(created.body.connected).toBe(true);
      expect(JSON.stringify(created.body)).not.toContain('SECRET');
      expect(JSON.stringify((await h.call('GET', `/users/${created.body.id}`)).body)).not.toContain('SECRET');
      expect(JSON.stringify((await h.call('GET', '/users?stravaAthleteId=1002')).body)).not.toContain('SECRET');

      const [row] = await h.sql<{ key_id: string; ciphertext: Buffer; scope: string }>(
        'SELECT key_id, ciphertext, scope FROM data.strava_tokens WHERE user_id = $1',
        [created.body.id],
      );
      expect(row!.key_id).toBe('k1');
      expect(row!.ciphertext.toString('latin1')).not.toContain('SECRET');
      expect(row!.scope).toBe(STRAVA.scope);
    });

    it.each([
      ['a missing field', { stravaAthleteId: 1, firstname: 'A' }, 'lastname'],
      ['a wrong type', { ...USER, stravaAthleteId: '12' }, 'stravaAthleteId'],
      ['a negative athlete id', { ...USER, stravaAthleteId: -3 }, 'stravaAthleteId'],
      ['a malformed email', { ...USER, email: 'nope' }, 'email'],
      ['a non-http image url', { ...USER, profileImageUrl: 'javascript:alert(1)' }, 'profileImageUrl'],
      ['an unknown field', { ...USER, password: 'x' }, ''],
      ['a NUL character', { ...USER, city: 'Par\u0000is' }, 'city'],
      [
        'a token expiring after the year 9999',
        { ...USER, strava: { accessToken: 'a', refreshToken: 'r', expiresAt: 1e15, scope: 'read' } },
        'strava.expiresAt',
      ],
      [
        'a token without its refresh token',
        { ...USER, strava: { accessToken: 'a', expiresAt: 1, scope: 'read' } },
        'strava.refreshToken',
      ],
    ])('refuses %s with a 400 naming the field', async (_case, body, field) => {
      const response = await h.call('PUT', '/users', { body });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('validation_failed');
      expect(response.body.details.issues.map((issue: { path: string }) => issue.path)).toContain(field);
    });

    it('does not echo a token that failed validation', async () => {
      const response = await h.call('PUT', '/users', {
        body: {
          ...USER,
          strava: { accessToken: `SECRET-${'x'.repeat(5000)}`, refreshToken: 'SECRET-r', expiresAt: 1, scope: 'read' },
        },
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).not.toContain('SECRET');
    });

    it('answers bad JSON, a wrong content type and a JSON array with a 4xx JSON error, never a 500', async () => {
      const badJson = await h.call('PUT', '/users', { raw: '{"stravaAthleteId": 1,' });
      expect(badJson.status).toBe(400);
      expect(badJson.body.error).toBe('bad_request');
      const text = await h.call('PUT', '/users', { raw: 'hello', headers: { 'content-type': 'text/plain' } });
      expect([400, 415]).toContain(text.status);
      expect(text.body.error).toMatch(/validation_failed|unsupported_media_type/);
      const array = await h.call('PUT', '/users', { body: [USER] });
      expect(array.status).toBe(400);
      const empty = await h.call('PUT', '/users', {});
      expect(empty.status).toBe(400);
      expect(empty.body.details.issues.map((issue: { path: string }) => issue.path)).toContain('stravaAthleteId');
    });
  });

  describe('GET /users and /users/{id}', () => {
    let ids: string[] = [];
    beforeAll(async () => {
      ids = [];
      for (let index = 0; index < 5; index += 1) {
        const response = await h.call('PUT', '/users', {
          body: { ...USER, stravaAthleteId: 2000 + index, ...(index % 2 === 0 ? { strava: STRAVA } : {}) },
        });
        ids.push(response.body.id);
      }
    });

    it('gets one user, 404 for an unknown id, 400 naming `id` for a malformed one', async () => {
      expect((await h.call('GET', `/users/${ids[0]}`)).body).toMatchObject({ id: ids[0], stravaAthleteId: 2000 });
      const missing = await h.call('GET', '/users/00000000-0000-4000-8000-000000000000');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toBe('user_not_found');
      const malformed = await h.call('GET', '/users/42');
      expect(malformed.status).toBe(400);
      expect(malformed.body.details.issues[0].path).toBe('id');
    });

    it('finds a user by stravaAthleteId', async () => {
      const page = (await h.call('GET', '/users?stravaAthleteId=2003')).body;
      expect(page.items.map((user: { id: string }) => user.id)).toEqual([ids[3]]);
      expect(page.nextCursor).toBeNull();
      expect((await h.call('GET', '/users?stravaAthleteId=999999')).body).toEqual({ items: [], nextCursor: null });
    });

    it('pages through every user with an opaque cursor, without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
        const page = (await h.call('GET', `/users?${query}`)).body;
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((user: { id: string }) => user.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(ids));
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it('filters connected (what the scheduler syncs) and not connected users', async () => {
      const connected = (await h.call('GET', '/users?connected=true&limit=500')).body.items as Array<{
        id: string;
        connected: boolean;
      }>;
      expect(connected.every((user) => user.connected)).toBe(true);
      expect(connected.map((user) => user.id)).toEqual(expect.arrayContaining([ids[0], ids[2], ids[4]]));
      const others = (await h.call('GET', '/users?connected=false&limit=500')).body.items as Array<{
        id: string;
        connected: boolean;
      }>;
      expect(others.every((user) => !user.connected)).toBe(true);
      expect(others.map((user) => user.id)).toEqual(expect.arrayContaining([ids[1], ids[3]]));
    });

    it.each([true, false])(
      'pages through connected=%s users one at a time: all of them, in id order, none of the others',
      async (connected) => {
        const all = (await h.call('GET', `/users?connected=${connected}&limit=500`)).body.items as Array<{
          id: string;
        }>;
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const query: string = `connected=${connected}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
          const page = (await h.call('GET', `/users?${query}`)).body;
          for (const user of page.items as Array<{ id: string; connected: boolean }>) {
            expect(user.connected).toBe(connected);
            seen.push(user.id);
          }
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(all.map((user) => user.id));
        expect(seen).toEqual([...seen].sort());
        expect(seen).toEqual(expect.arrayContaining(connected ? [ids[0], ids[2], ids[4]] : [ids[1], ids[3]]));
      },
    );

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['stravaAthleteId=abc', 'stravaAthleteId'],
      ['connected=maybe', 'connected'],
      ['cursor=***', 'cursor'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['colour=blue', ''],
    ])('refuses ?%s with a 400 naming the field', async (query, field) => {
      const response = await h.call('GET', `/users?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.details.issues.map((issue: { path: string }) => issue.path)).toContain(field);
    });
  });

  describe('strava-token endpoints', () => {
    let id: string;
    beforeAll(async () => {
      id = (await h.call('PUT', '/users', { body: { ...USER, stravaAthleteId: 3000 } })).body.id;
    });

    it('404s a user without tokens, then stores, returns, replaces and forgets a pair', async () => {
      const none = await h.call('GET', `/users/${id}/strava-token`);
      expect(none.status).toBe(404);
      expect(none.body.error).toBe('strava_token_not_found');

      expect((await h.call('PUT', `/users/${id}/strava-token`, { body: STRAVA })).status).toBe(204);
      expect((await h.call('GET', `/users/${id}/strava-token`)).body).toEqual(STRAVA);
      expect((await h.call('GET', `/users/${id}`)).body.connected).toBe(true);

      const refreshed = { ...STRAVA, accessToken: 'strava-access-SECRET-2', expiresAt: 1_800_021_600 };
      expect((await h.call('PUT', `/users/${id}/strava-token`, { body: refreshed })).status).toBe(204);
      expect((await h.call('GET', `/users/${id}/strava-token`)).body).toEqual(refreshed);

      expect((await h.call('DELETE', `/users/${id}/strava-token`)).status).toBe(204);
      expect((await h.call('GET', `/users/${id}`)).body.connected).toBe(false);
      expect((await h.call('GET', `/users/${id}/strava-token`)).status).toBe(404);
    });

    it('404s an unknown user and 400s a malformed pair', async () => {
      const unknown = '00000000-0000-4000-8000-000000000001';
      expect((await h.call('GET', `/users/${unknown}/strava-token`)).body.error).toBe('user_not_found');
      expect((await h.call('PUT', `/users/${unknown}/strava-token`, { body: STRAVA })).body.error).toBe(
        'user_not_found',
      );
      expect((await h.call('DELETE', `/users/${unknown}/strava-token`)).body.error).toBe('user_not_found');
      const bad = await h.call('PUT', `/users/${id}/strava-token`, { body: { ...STRAVA, expiresAt: 'soon' } });
      expect(bad.status).toBe(400);
      expect(bad.body.details.issues[0].path).toBe('expiresAt');
    });

    it('decrypts with an older key after rotation, and re-encrypts under the new one', async () => {
      const [{ key_id: before } = { key_id: '' }] = await h.sql<{ key_id: string }>(
        'SELECT key_id FROM data.strava_tokens LIMIT 1',
      );
      expect(before).toBe('k1');
      const rotated = await startService(
        { STRAVA_TOKEN_ENCRYPTION_KEYS: `k2:${testKey()},${h.config.STRAVA_TOKEN_ENCRYPTION_KEYS}` },
        { database: h.database, issuer: h.issuer },
      );
      try {
        const user = (await rotated.call('GET', '/users?stravaAthleteId=1002')).body.items[0];
        expect((await rotated.call('GET', `/users/${user.id}/strava-token`)).body).toEqual(STRAVA);
        const [row] = await h.sql<{ key_id: string }>('SELECT key_id FROM data.strava_tokens WHERE user_id = $1', [
          user.id,
        ]);
        expect(row!.key_id).toBe('k2');
        expect((await rotated.call('GET', `/users/${user.id}/strava-token`)).body).toEqual(STRAVA);
      } finally {
        await rotated.close();
      }
    });
  });

  describe('DELETE /users/{id}', () => {
    it('removes the user, its tokens and its runs; a second delete is a 404', async () => {
      const id = (await h.call('PUT', '/users', { body: { ...USER, stravaAthleteId: 4000, strava: STRAVA } })).body.id;
      expect((await h.call('PUT', `/users/${id}/runs`, { body: { runs: [makeRun(), makeRun()] } })).body.inserted).toBe(
        2,
      );
      expect((await h.call('DELETE', `/users/${id}`)).status).toBe(204);
      expect((await h.call('GET', `/users/${id}`)).status).toBe(404);
      const counts = await h.sql<{ tokens: number; runs: number }>(
        'SELECT (SELECT count(*) FROM data.strava_tokens WHERE user_id = $1)::int AS tokens, (SELECT count(*) FROM data.runs WHERE user_id = $1)::int AS runs',
        [id],
      );
      expect(counts[0]).toEqual({ tokens: 0, runs: 0 });
      expect((await h.call('DELETE', `/users/${id}`)).status).toBe(404);
    });
  });

  describe('the guard', () => {
    const someId = '00000000-0000-4000-8000-000000000002';
    const endpoints: Array<[string, string, string, unknown?]> = [
      ['PUT', '/users', 'users:write', USER],
      ['GET', '/users', 'users:read'],
      ['GET', `/users/${someId}`, 'users:read'],
      ['DELETE', `/users/${someId}`, 'users:delete'],
      ['GET', `/users/${someId}/strava-token`, 'strava-tokens:read'],
      ['PUT', `/users/${someId}/strava-token`, 'strava-tokens:write', STRAVA],
      ['DELETE', `/users/${someId}/strava-token`, 'strava-tokens:write'],
      ['PUT', `/users/${someId}/runs`, 'runs:write', { runs: [] }],
      ['GET', `/users/${someId}/runs`, 'runs:read'],
      ['DELETE', `/users/${someId}/runs/1`, 'runs:write'],
      ['GET', `/users/${someId}/stats?period=week`, 'runs:read'],
    ];
    const allOthers = (scope: string) =>
      [
        'users:read',
        'users:write',
        'users:delete',
        'strava-tokens:read',
        'strava-tokens:write',
        'runs:read',
        'runs:write',
      ].filter((s) => s !== scope);

    it.each(endpoints)(
      '%s %s: 401 without a valid token, 403 without %s, through with it',
      async (method, path, scope, body) => {
        const missing = await h.call(method, path, { body, token: null });
        expect(missing.status).toBe(401);
        expect(missing.body.error).toBeTruthy();
        const garbage = await h.call(method, path, { body, token: 'not.a.jwt' });
        expect(garbage.status).toBe(401);
        const expired = await h.call(method, path, { body, token: h.issuer.sign({ scope }, { expiresIn: -60 }) });
        expect(expired.status).toBe(401);
        const otherAudience = await h.call(method, path, { body, token: h.issuer.sign({ scope, aud: 'dashboard' }) });
        expect(otherAudience.status).toBe(401);

        const forbidden = await h.call(method, path, { body, scopes: allOthers(scope) });
        expect(forbidden.status).toBe(403);
        expect(JSON.stringify(forbidden.body)).toContain(scope);

        const allowed = await h.call(method, path, { body, scopes: [scope] });
        expect([200, 204, 404]).toContain(allowed.status);
      },
    );

    it('counts refused tokens by reason in /metrics', async () => {
      const metrics = await h.call('GET', '/metrics', { token: null, operator: true });
      const text = String(metrics.body ?? '');
      for (const reason of ['missing_token', 'malformed', 'expired', 'audience', 'insufficient_scope']) {
        expect(text).toMatch(new RegExp(`jwt_verification_failures_total\\{reason="${reason}"\\} [1-9]`));
      }
    });
  });
});
