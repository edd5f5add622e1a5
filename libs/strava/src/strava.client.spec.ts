import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  StravaAccessDeniedError,
  StravaNetworkError,
  StravaRateLimitError,
  StravaServerError,
  StravaTimeoutError,
} from './errors.js';
import { StravaClient } from './strava.client.js';

const options = { baseUrl: 'https://www.strava.com/', clientId: '1234', clientSecret: 'secret' };

describe('StravaClient (no network)', () => {
  it('builds the authorize URL with comma-separated scopes', () => {
    const url = new StravaClient(options).authorizeUrl({
      redirectUri: 'http://localhost:3000/auth/strava/callback',
      scope: ['read', 'activity:read_all'],
      state: 'abc 123',
      approvalPrompt: 'force',
    });
    expect(url).toBe(
      'https://www.strava.com/oauth/authorize?client_id=1234&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fauth%2Fstrava%2Fcallback' +
        '&response_type=code&approval_prompt=force&scope=read,activity:read_all&state=abc%20123',
    );
    expect(new URL(url).searchParams.get('scope')).toBe('read,activity:read_all');
  });

  it('reads the redirect back', () => {
    const client = new StravaClient(options);
    expect(client.parseCallback(new URLSearchParams('state=s&code=c&scope=read,activity:read'))).toEqual({
      code: 'c',
      scope: ['read', 'activity:read'],
      state: 's',
    });
    expect(() => client.parseCallback({ state: 's', error: 'access_denied' })).toThrow(StravaAccessDeniedError);
  });

  it('refuses to send a request once usage is at the limit, until the window resets', async () => {
    let now = new Date('2026-11-23T10:01:00Z');
    const client = new StravaClient({ ...options, baseUrl: 'http://127.0.0.1:9', now: () => now });
    (client as unknown as { latestRateLimits: unknown }).latestRateLimits = {
      overall: { fifteenMinute: { limit: 200, usage: 200 }, daily: { limit: 2000, usage: 900 } },
      observedAt: now,
    };
    const error = await client.getAthlete('t').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StravaRateLimitError);
    expect((error as StravaRateLimitError).sent).toBe(false);
    expect((error as StravaRateLimitError).resetAt.toISOString()).toBe('2026-11-23T10:15:00.000Z');
    now = new Date('2026-11-23T10:15:01Z');
    // Next window: the request goes out (and fails on the closed port instead).
    await expect(client.getAthlete('t')).rejects.toBeInstanceOf(StravaNetworkError);
  });
});

describe('StravaClient against a misbehaving server', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      // /api/v3/athlete never answers; the activities list comes back as an HTML page
      if (request.url?.startsWith('/api/v3/athlete/activities'))
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up after timeoutMs with a typed error', async () => {
    const client = new StravaClient({ ...options, baseUrl, timeoutMs: 100 });
    await expect(client.getAthlete('t')).rejects.toBeInstanceOf(StravaTimeoutError);
  });

  it('does not mistake a non-JSON 200 for data', async () => {
    const client = new StravaClient({ ...options, baseUrl, timeoutMs: 1000 });
    const error = await client.listActivitiesPage('t').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StravaServerError);
    expect((error as StravaServerError).retryable).toBe(true);
  });
});
