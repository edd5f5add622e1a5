import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestIssuer, type TestIssuer } from '@runnerly/auth/testing';
import { createTestDatabase, freePort, type ServiceProcess, startService, type TestDatabase } from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKey, USER } from './harness.js';

/** The real process (main.ts) at LOG_LEVEL=trace: whatever it writes must not hold a Strava token. */
describe('data-service logs', () => {
  let issuer: TestIssuer;
  let database: TestDatabase;
  let service: ServiceProcess;
  let baseUrl: string;

  beforeAll(async () => {
    [issuer, database] = await Promise.all([createTestIssuer(), createTestDatabase()]);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    service = await startService({
      cwd: join(import.meta.dirname, '..'),
      env: {
        LOG_LEVEL: 'trace',
        DATA_SERVICE_PORT: String(port),
        DATA_SERVICE_OPERATOR_PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        TOKEN_DEALER_URL: issuer.issuer,
        STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${testKey()}`,
        REDIS_URL: '',
      },
      readyUrl: `${baseUrl}/health/live`,
      timeoutMs: 15_000,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await Promise.all([issuer?.close(), database?.drop()]);
  });

  it('never logs a Strava token, on success or on error', async () => {
    const headers = {
      authorization: `Bearer ${issuer.sign({ scope: 'users:write strava-tokens:read strava-tokens:write' })}`,
      'content-type': 'application/json',
    };
    const strava = {
      accessToken: 'LEAK-access-1',
      refreshToken: 'LEAK-refresh-1',
      expiresAt: 1_800_000_000,
      scope: 'read',
    };
    const user = (await (
      await fetch(`${baseUrl}/users`, { method: 'PUT', headers, body: JSON.stringify({ ...USER, strava }) })
    ).json()) as { id: string };
    const tokenPath = `${baseUrl}/users/${user.id}/strava-token`;
    expect(
      (
        await fetch(tokenPath, {
          method: 'PUT',
          headers,
          body: JSON.stringify({ ...strava, accessToken: 'LEAK-access-2' }),
        })
      ).status,
    ).toBe(204);
    expect((await fetch(tokenPath, { headers })).status).toBe(200);
    // Errors: a bad body carrying tokens, a token pair for an unknown user, bad JSON around a token.
    expect(
      (await fetch(tokenPath, { method: 'PUT', headers, body: JSON.stringify({ ...strava, expiresAt: 'LEAK-soon' }) }))
        .status,
    ).toBe(400);
    const unknown = `${baseUrl}/users/00000000-0000-4000-8000-000000000000/strava-token`;
    expect((await fetch(unknown, { method: 'PUT', headers, body: JSON.stringify(strava) })).status).toBe(404);
    expect((await fetch(tokenPath, { method: 'PUT', headers, body: '{"accessToken":"LEAK-json' })).status).toBe(400);

    await sleep(300);
    expect(service.output()).toContain('"service":"data-service"');
    expect(service.output()).not.toContain('LEAK');
  });
});
