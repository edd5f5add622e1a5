import { DASHBOARD_CALLER, DataScope, SERVICE_CLIENTS, STRAVA_WORKER_CALLER } from '@runnerly/data-client';
import { startTokenDealer, type TestTokenDealer } from '@runnerly/token-dealer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startService } from './harness.js';

/**
 * Least privilege at the data-service, over HTTP with tokens a real token-dealer issued to clients
 * holding the product's scopes (SERVICE_CLIENTS, what `pnpm start` and compose provision): storing
 * Strava tokens needs `strava-tokens:write` on every endpoint that carries them, and deleting a user
 * needs `users:delete`, which only the strava-worker holds.
 */

const STRAVA = {
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  expiresAt: 1_900_000_000,
  scope: 'read,activity:read_all',
};
const [DASHBOARD, WORKER] = [DASHBOARD_CALLER, STRAVA_WORKER_CALLER];
/** What an install provisioned before `users:delete` existed gave the worker. */
const OLD_WORKER_SCOPE = 'users:read users:write strava-tokens:read strava-tokens:write runs:read runs:write';

describe('data-service scopes, with tokens from a real token-dealer', () => {
  let dealer: TestTokenDealer;
  let service: Harness;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    dealer = await startTokenDealer();
    service = await startService({
      TOKEN_DEALER_URL: dealer.url,
      TOKEN_DEALER_ISSUER: dealer.config.TOKEN_DEALER_ISSUER,
    });
    for (const client of SERVICE_CLIENTS) {
      secrets[client.defaultId] = (
        await dealer.clients.create(client.defaultId, [...client.scopes], client.audience)
      ).client_secret;
    }
    secrets.writer = (await dealer.clients.create('writer', 'users:read users:write', 'data-service')).client_secret;
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await dealer?.close();
  });

  /** A token from the token-dealer (client credentials), with the client's whole grant unless `scope` narrows it. */
  async function issue(client: string, scope?: string): Promise<{ token: string; scope: string }> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', audience: 'data-service' });
    if (scope) form.set('scope', scope);
    const response = await fetch(`${dealer.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client}:${secrets[client]}`).toString('base64')}` },
      body: form,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; scope: string };
    return { token: body.access_token, scope: body.scope };
  }

  async function usersWithAthlete(stravaAthleteId: number, token: string): Promise<unknown[]> {
    const page = await service.call('GET', `/users?stravaAthleteId=${stravaAthleteId}`, { token });
    expect(page.status).toBe(200);
    return page.body.items as unknown[];
  }

  async function expectInsufficientScope(answer: Awaited<ReturnType<Harness['call']>>, scope: string): Promise<void> {
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'insufficient_scope', details: { required: [scope] } });
    expect(answer.body.message).toContain(scope);
    expect(answer.headers.get('www-authenticate')).toContain(`scope="${scope}"`);
  }

  it('PUT /users with `strava` and only users:write: 403 naming strava-tokens:write, nothing stored', async () => {
    const writer = await issue('writer');
    expect(writer.scope.split(' ')).not.toContain('strava-tokens:write');
    const user = { stravaAthleteId: 7001, firstname: 'Ada', lastname: 'Runner', strava: STRAVA };
    await expectInsufficientScope(
      await service.call('PUT', '/users', { token: writer.token, body: user }),
      'strava-tokens:write',
    );
    expect(await usersWithAthlete(7001, writer.token)).toEqual([]);

    // users:write alone still upserts a user without tokens ...
    const { strava: _strava, ...withoutTokens } = user;
    const plain = await service.call('PUT', '/users', { token: writer.token, body: withoutTokens });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ stravaAthleteId: 7001, connected: false });
    // ... and cannot attach tokens to an existing one either
    await expectInsufficientScope(
      await service.call('PUT', '/users', { token: writer.token, body: user }),
      'strava-tokens:write',
    );
    expect(await usersWithAthlete(7001, writer.token)).toMatchObject([{ connected: false }]);
  });

  it('PUT /users with `strava` goes through for the dashboard’s client (users:write + strava-tokens:write), not for a narrowed token', async () => {
    const dashboard = await issue(DASHBOARD.defaultId);
    const user = { stravaAthleteId: 7002, firstname: 'Bo', lastname: 'Runner', strava: STRAVA };
    const narrowed = await issue(DASHBOARD.defaultId, 'users:write users:read');
    await expectInsufficientScope(
      await service.call('PUT', '/users', { token: narrowed.token, body: user }),
      'strava-tokens:write',
    );
    const stored = await service.call('PUT', '/users', { token: dashboard.token, body: user });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ stravaAthleteId: 7002, connected: true });
  });

  it('DELETE /users/{id} needs users:delete: the dashboard (users:write) gets a 403 and the user stays; the worker deletes it (204)', async () => {
    expect(DASHBOARD.scopes).toContain('users:write');
    expect(DASHBOARD.scopes).not.toContain('users:delete');
    expect(WORKER.scopes).toContain('users:delete');
    const dashboard = await issue(DASHBOARD.defaultId);
    const id = (
      await service.call('PUT', '/users', {
        token: dashboard.token,
        body: { stravaAthleteId: 7003, firstname: 'Cy', lastname: 'Runner', strava: STRAVA },
      })
    ).body.id as string;

    for (const token of [dashboard.token, (await issue('writer')).token]) {
      await expectInsufficientScope(await service.call('DELETE', `/users/${id}`, { token }), 'users:delete');
      expect((await service.call('GET', `/users/${id}`, { token })).status).toBe(200);
    }
    const worker = await issue(WORKER.defaultId);
    expect(worker.scope.split(' ')).toContain('users:delete');
    expect((await service.call('DELETE', `/users/${id}`, { token: worker.token })).status).toBe(204);
    expect((await service.call('GET', `/users/${id}`, { token: dashboard.token })).status).toBe(404);
  });

  it('gives an existing install’s worker client users:delete when its clients are made sure of again (pnpm start, compose provision)', async () => {
    const secret = (await dealer.clients.create('old-worker', OLD_WORKER_SCOPE, 'data-service')).client_secret;
    secrets['old-worker'] = secret;
    const id = (
      await service.call('PUT', '/users', {
        token: (await issue(DASHBOARD.defaultId)).token,
        body: { stravaAthleteId: 7004, firstname: 'Di', lastname: 'Runner' },
      })
    ).body.id as string;
    const before = await issue('old-worker');
    await expectInsufficientScope(
      await service.call('DELETE', `/users/${id}`, { token: before.token }),
      'users:delete',
    );

    // what `clients ensure` (scripts/start.ts) and `clients provision` (compose) do with the product's list
    const ensured = await dealer.clients.ensure('old-worker', [...WORKER.scopes], WORKER.audience, secret);
    expect(ensured).toMatchObject({ updated: true, rotated: false });
    const after = await issue('old-worker');
    expect(after.scope.split(' ')).toContain('users:delete');
    expect((await service.call('DELETE', `/users/${id}`, { token: after.token })).status).toBe(204);
  });

  it('provisions (compose and pnpm start: `clients provision`) both callers, each with the data-service scopes it asks for', () => {
    expect(SERVICE_CLIENTS).toEqual([DASHBOARD_CALLER, STRAVA_WORKER_CALLER]);
    expect(new Set(SERVICE_CLIENTS.map((client) => client.secretVariable)).size).toBe(SERVICE_CLIENTS.length);
    for (const client of SERVICE_CLIENTS) {
      expect(client.audience).toBe('data-service');
      expect(new Set(client.scopes).size).toBe(client.scopes.length);
      for (const scope of client.scopes) expect(Object.values(DataScope)).toContain(scope);
    }
  });

  it('documents the scopes in the OpenAPI document', async () => {
    const document = (await service.call('GET', '/openapi.json', { token: null, operator: true })).body as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    expect(document.paths['/users/{id}']?.delete?.description).toContain('users:delete');
    expect(document.paths['/users']?.put?.description).toContain('strava-tokens:write');
  });
});
