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
      timeoutMs: 60_000,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await Promise.all([issuer?.close(), database?.drop()]);
  });

  it('never logs a Strava token or the access token, on success or on error', async () => {
    const accessToken = issuer.sign({ scope: 'users:write strava-tokens:read strava-tokens:write' });
    const headers = {
      authorization: `Bearer ${accessToken}`,
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
    // Each of those requests had its line, and no line holds a credential or the query.
    expect(service.output().match(/"msg":"request completed"/g)?.length).toBeGreaterThanOrEqual(6);
    expect(service.output()).not.toContain('LEAK');
    expect(service.output()).not.toContain(accessToken.split('.')[2]);
    expect(service.output()).not.toMatch(/authorization/i);
  });
});

/**
 * Logs people can read: the real process, started while the token-dealer it needs is not up yet
 * (as under `pnpm start`, where the services start together).
 */
describe('data-service logs while starting', () => {
  let database: TestDatabase;
  /** A port nothing listens on: the token-dealer "not up yet". */
  let absentDealer: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    absentDealer = `http://127.0.0.1:${await freePort()}`;
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function start(env: Record<string, string>) {
    const port = await freePort();
    const operatorPort = await freePort();
    const service = await startService({
      cwd: join(import.meta.dirname, '..'),
      env: {
        LOG_LEVEL: 'info',
        DATA_SERVICE_PORT: String(port),
        DATA_SERVICE_OPERATOR_PORT: String(operatorPort),
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        TOKEN_DEALER_URL: absentDealer,
        STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${testKey()}`,
        REDIS_URL: '',
        ...env,
      },
      readyUrl: `http://127.0.0.1:${port}/health/live`,
      timeoutMs: 60_000,
    });
    return { service, url: `http://127.0.0.1:${port}`, operator: `http://127.0.0.1:${operatorPort}` };
  }

  it('logs JSON when not on a terminal: a readiness failure once, at warn, and 4xx answers, all without a stack', async () => {
    const { service, url, operator } = await start({});
    try {
      for (let probe = 0; probe < 3; probe += 1) expect((await fetch(`${url}/health/ready`)).status).toBe(503);
      expect((await fetch(`${operator}/health/ready`)).status).toBe(503);
      expect((await fetch(`${url}/users`)).status).toBe(401);
      expect((await fetch(`${url}/no-such-route`)).status).toBe(404);
      await expect.poll(() => service.output()).toMatch(/"statusCode":404/);

      const lines = service
        .output()
        .split('\n')
        .filter((line) => line.trim());
      // Every line is one JSON object (the contract), none with a stack.
      const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const event of events) expect(JSON.stringify(event)).not.toMatch(/stack/);
      expect(events.filter((event) => event.level === 'error')).toEqual([]);
      // The token-dealer not answering yet: said once, at warn, naming it and why; the probes themselves are not logged.
      const notReady = events.filter((event) => String(event.msg).startsWith('not ready yet'));
      expect(notReady).toHaveLength(1);
      expect(notReady[0]).toMatchObject({ level: 'warn', context: 'Health' });
      expect(notReady[0]!.msg).toMatch(/waiting for token-dealer \(.+\)/);
      const probeLines = events.filter(
        (event) => event.res !== undefined && (event.req as { url?: string }).url === '/health/ready',
      );
      expect(probeLines).toEqual([]);
      // 4xx answers: one info line each, carrying the request id, no error object.
      const unauthorized = events.find(
        (event) => (event.res as { statusCode?: number } | undefined)?.statusCode === 401,
      );
      expect(unauthorized).toMatchObject({ level: 'info', msg: 'request completed', requestId: expect.any(String) });
      expect(unauthorized).not.toHaveProperty('err');
      // Nest's start-up chatter (every route mapped) stays at debug.
      expect(lines.filter((line) => line.includes('Mapped {'))).toEqual([]);
    } finally {
      await service.stop();
    }
  }, 90_000);

  it('logs one readable line per event with LOG_FORMAT=pretty', async () => {
    const { service, url } = await start({ LOG_FORMAT: 'pretty' });
    try {
      expect((await fetch(`${url}/health/ready`)).status).toBe(503);
      expect((await fetch(`${url}/users`)).status).toBe(401);
      await expect.poll(() => service.output()).toMatch(/GET \/users 401 \d+ ms \(req [\w-]{8}\)/);
      const lines = service
        .output()
        .split('\n')
        .filter((line) => line.trim());
      expect(lines.filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
      expect(lines.some((line) => /WARN.*Health: not ready yet: waiting for token-dealer/.test(line))).toBe(true);
      expect(service.output()).not.toMatch(/stack/);
    } finally {
      await service.stop();
    }
  }, 90_000);

  it('stops at start with one line naming LOG_FORMAT when it is neither json nor pretty', async () => {
    const service = await startService({
      cwd: join(import.meta.dirname, '..'),
      env: { LOG_FORMAT: 'colourful', DATABASE_URL: database.url, STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${testKey()}` },
    });
    expect(await service.exited()).toBe(1);
    expect(service.output().trim().split('\n')).toEqual([expect.stringMatching(/^invalid configuration: LOG_FORMAT /)]);
  }, 90_000);
});
