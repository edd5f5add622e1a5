import { StravaClient, StravaServerError, StravaTimeoutError } from '@runnerly/strava';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, startSandbox } from './support.js';

interface FaultState {
  path: string;
  seen: number;
  injected: number;
}

describe('sandbox fault rules (Strava 5xx and slow answers)', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let accessToken: string;
  let strava: StravaClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ STRAVA_SANDBOX_ATHLETES: '1' });
    strava = new StravaClient({
      baseUrl: sandbox.baseUrl,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      timeoutMs: 300,
    });
  });
  beforeEach(async () => {
    await sandbox.admin('POST', '/reset');
    const [athlete] = await sandbox.admin<Array<{ id: number }>>('GET', '/athletes');
    ({ access_token: accessToken } = await sandbox.admin<{ access_token: string }>(
      'POST',
      `/athletes/${athlete!.id}/tokens`,
      { scope: 'read,activity:read_all' },
    ));
  });
  afterAll(() => sandbox?.close());

  const page = (number: number) =>
    fetch(`${sandbox.baseUrl}/api/v3/athlete/activities?page=${number}&per_page=10`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
  const faults = async () =>
    (await sandbox.admin<{ settings: { faults: FaultState[] } }>('GET', '/settings')).settings.faults;

  it('a 500 after n requests: Strava’s JSON body with the rate-limit headers, then normal answers again', async () => {
    await sandbox.admin('PUT', '/settings', {
      faults: [{ path: 'athlete/activities', status: 500, afterRequests: 2 }],
    });
    expect((await page(1)).status).toBe(200);
    expect((await page(2)).status).toBe(200);
    const failed = await page(3);
    expect(failed.status).toBe(500);
    expect(failed.headers.get('content-type')).toMatch(/application\/json/);
    expect(failed.headers.get('x-ratelimit-usage')).toBe('3,3');
    expect(await failed.json()).toEqual({ message: 'error' });
    expect((await page(3)).status).toBe(200);
    expect(await faults()).toMatchObject([{ seen: 3, injected: 1 }]);
    // Other paths are not affected.
    expect(
      (await fetch(`${sandbox.baseUrl}/api/v3/athlete`, { headers: { authorization: `Bearer ${accessToken}` } }))
        .status,
    ).toBe(200);
  });

  it('a 503 from the edge: an HTML page without rate-limit headers, `count` times; the client calls it a server error', async () => {
    await sandbox.admin('PUT', '/settings', { faults: [{ path: 'athlete/activities', status: 503, count: 2 }] });
    const failed = await page(1);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toMatch(/text\/html/);
    expect(failed.headers.get('x-ratelimit-usage')).toBeNull();
    expect(await failed.text()).toContain('503');
    const error = await strava.listActivitiesPage(accessToken, { page: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StravaServerError);
    expect((error as StravaServerError).status).toBe(503);
    expect(await strava.listActivitiesPage(accessToken, { page: 1 })).not.toHaveLength(0);
  });

  it('a hang longer than the client waits: the client times out, the next request is answered', async () => {
    await sandbox.admin('PUT', '/settings', { faults: [{ path: 'athlete/activities', hangMs: 2_000 }] });
    await expect(strava.listActivitiesPage(accessToken, { page: 1 })).rejects.toBeInstanceOf(StravaTimeoutError);
    expect(await strava.listActivitiesPage(accessToken, { page: 1 })).not.toHaveLength(0);
    expect(await faults()).toMatchObject([{ seen: 1, injected: 1 }]);
  });

  it('a slow answer within the client’s patience is still the real answer', async () => {
    const patient = new StravaClient({
      baseUrl: sandbox.baseUrl,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      timeoutMs: 5_000,
    });
    await sandbox.admin('PUT', '/settings', { faults: [{ path: 'athlete/activities', hangMs: 100 }] });
    expect(await patient.listActivitiesPage(accessToken, { page: 1, perPage: 5 })).toHaveLength(5);
  });

  it('a PUT replaces the rules, [] and reset clear them; malformed rules are refused', async () => {
    await sandbox.admin('PUT', '/settings', { faults: [{ path: 'athlete/activities', status: 502 }] });
    await sandbox.admin('PUT', '/settings', { faults: [{ path: 'athlete', status: 500 }] });
    expect(await faults()).toMatchObject([{ path: 'athlete', seen: 0, injected: 0 }]);
    await sandbox.admin('PUT', '/settings', { faults: [] });
    expect(await faults()).toEqual([]);
    await sandbox.admin('PUT', '/settings', { faults: [{ path: 'athlete', status: 500 }] });
    await sandbox.admin('POST', '/reset');
    expect(await faults()).toEqual([]);
    for (const rule of [
      { path: 'athlete/activities' },
      { path: 'athlete/activities', status: 500, hangMs: 100 },
      { path: 'athlete/activities', status: 404 },
      { path: '/api/v3/athlete', status: 500 },
      { path: 'athlete/activities', hangMs: 0 },
      { path: 'athlete/activities', status: 500, count: 0 },
    ]) {
      const response = await fetch(`${sandbox.baseUrl}/_sandbox/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ faults: [rule] }),
      });
      expect(response.status, JSON.stringify(rule)).toBe(400);
    }
  });
});
