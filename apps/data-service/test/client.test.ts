import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataServiceClient } from '@runnerly/data-client';
import { ServiceClient, ServiceClientError } from '@runnerly/service-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, makeRun, startService } from './harness.js';

/** A stand-in token-dealer: client credentials in, a real signed token for `data-service` out. */
async function fakeTokenDealer(h: Harness, scope: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const token = h.issuer.sign({ scope, client_id: 'strava-worker' });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 300, scope }));
    request.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('DataServiceClient against the real data-service', () => {
  let h: Harness;
  let dealer: Server;
  let client: DataServiceClient;

  beforeAll(async () => {
    h = await startService();
    const fake = await fakeTokenDealer(
      h,
      'users:read users:write users:delete strava-tokens:read strava-tokens:write runs:read runs:write',
    );
    dealer = fake.server;
    client = new DataServiceClient(
      new ServiceClient({
        baseUrl: h.baseUrl,
        tokenDealerUrl: fake.url,
        clientId: 'strava-worker',
        clientSecret: 'x',
        audience: 'data-service',
        retries: 0,
      }),
    );
  });
  afterAll(async () => {
    dealer?.close();
    await h?.close();
  });

  it('covers the best-efforts endpoints', async () => {
    const user = await client.upsertUser({ stravaAthleteId: 88, firstname: 'Paula', lastname: 'R' });
    const run = makeRun({ startDateLocal: '2026-04-05T09:00:00' });
    await client.upsertRuns(user.id, [run, makeRun()]);
    expect((await client.listRuns(user.id, { efforts: 'missing' })).items).toHaveLength(2);
    expect(
      await client.putBestEfforts(user.id, run.stravaId, {
        source: 'streams',
        efforts: [{ distance: 5000, elapsedTime: 1000.25, startOffset: 3 }],
      }),
    ).toEqual({ stravaId: run.stravaId, source: 'streams', efforts: 1 });
    expect((await client.getRunBestEfforts(user.id, run.stravaId)).efforts).toEqual([
      { distance: 5000, name: '5K', elapsedTime: 1000.25, startOffset: 3 },
    ]);
    expect((await client.listRuns(user.id, { efforts: 'missing' })).items).toHaveLength(1);
    expect(await client.getBestEffortsProgress(user.id)).toEqual({ runs: 2, withEfforts: 1 });
    const bests = await client.getBests(user.id, { year: 2026 });
    expect(bests.items).toEqual([
      expect.objectContaining({ name: '5K', elapsedTime: 1000.25, progression: [expect.anything()] }),
    ]);
  });

  it('covers every endpoint with one typed method each', async () => {
    const token = { accessToken: 'a', refreshToken: 'r', expiresAt: 1_800_000_000, scope: 'read,activity:read_all' };
    const user = await client.upsertUser({ stravaAthleteId: 77, firstname: 'Eliud', lastname: 'K', strava: token });
    expect(user.connected).toBe(true);
    expect(await client.getUser(user.id)).toEqual(user);
    expect((await client.findUserByStravaAthleteId(77))?.id).toBe(user.id);
    expect(await client.findUserByStravaAthleteId(78)).toBeUndefined();
    await client.upsertUser({ stravaAthleteId: 79, firstname: 'Other', lastname: 'One' });
    const connected: string[] = [];
    for await (const each of client.allUsers({ connected: true, limit: 1 })) connected.push(each.id);
    expect(connected).toEqual([user.id]);

    expect(await client.getStravaToken(user.id)).toEqual(token);
    await client.putStravaToken(user.id, { ...token, accessToken: 'b' });
    expect((await client.getStravaToken(user.id)).accessToken).toBe('b');

    const runs = [
      makeRun({ startDateLocal: '2026-03-04T08:00:00' }),
      makeRun({ startDateLocal: '2026-03-05T08:00:00' }),
    ];
    expect(await client.upsertRuns(user.id, runs)).toEqual({ inserted: 2, updated: 0 });
    expect((await client.listRuns(user.id, { limit: 10 })).items).toHaveLength(2);
    expect((await client.getStats(user.id, { period: 'week' })).items).toEqual([
      expect.objectContaining({ periodStart: '2026-03-02', count: 2 }),
    ]);
    await client.deleteRun(user.id, runs[0]!.stravaId);
    expect((await client.listRuns(user.id)).items).toHaveLength(1);

    await client.deleteStravaToken(user.id);
    expect((await client.getUser(user.id)).connected).toBe(false);
    await client.deleteUser(user.id);
    const error = await client.getUser(user.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceClientError);
    expect((error as ServiceClientError).status).toBe(404);
  });
});
