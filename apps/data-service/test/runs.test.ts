import type { RunInput } from '@runnerly/data-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, makeRun, startService, USER } from './harness.js';

const MAX_RUNS = 50;
const BODY_LIMIT = 256 * 1024;
let athlete = 9000;

describe('data-service runs and stats', () => {
  let h: Harness;
  let userId: string;
  const runsPath = () => `/users/${userId}/runs`;
  const put = (runs: unknown[]) => h.call('PUT', runsPath(), { body: { runs } });
  const ids = (page: { items: Array<{ stravaId: number }> }) => page.items.map((run) => run.stravaId);

  beforeAll(async () => {
    h = await startService({
      DATA_SERVICE_MAX_RUNS_PER_REQUEST: String(MAX_RUNS),
      DATA_SERVICE_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    });
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    athlete += 1;
    userId = (await h.call('PUT', '/users', { body: { ...USER, stravaAthleteId: athlete } })).body.id;
  });

  describe('PUT /users/{id}/runs', () => {
    it('inserts, then is idempotent, then updates only what changed', async () => {
      const runs = [makeRun(), makeRun(), makeRun()];
      expect((await put(runs)).body).toEqual({ inserted: 3, updated: 0 });
      expect((await put(runs)).body).toEqual({ inserted: 0, updated: 0 });
      const [{ updated_at: before } = { updated_at: '' }] = await h.sql<{ updated_at: string }>(
        'SELECT updated_at::text FROM data.runs WHERE strava_id = $1',
        [runs[1]!.stravaId],
      );

      const edited = { ...runs[0]!, name: 'Renamed on Strava', distance: 10_500 };
      expect((await put([edited, runs[1], makeRun()])).body).toEqual({ inserted: 1, updated: 1 });
      const page = (await h.call('GET', runsPath())).body;
      expect(page.items).toHaveLength(4);
      expect(page.items.find((run: { stravaId: number }) => run.stravaId === edited.stravaId)).toMatchObject({
        name: 'Renamed on Strava',
        distance: 10_500,
      });
      // The unchanged run was not rewritten.
      const [{ updated_at: after } = { updated_at: '' }] = await h.sql<{ updated_at: string }>(
        'SELECT updated_at::text FROM data.runs WHERE strava_id = $1',
        [runs[1]!.stravaId],
      );
      expect(after).toBe(before);
      const metrics = (await h.call('GET', '/metrics', { token: null, operator: true })).body as string;
      expect(metrics).toMatch(/data_service_runs_upserted_total\{outcome="unchanged"\} [1-9]/);
    });

    it('with keepExisting inserts only new runs and leaves stored ones as they are (archive imports)', async () => {
      const synced = makeRun({ name: 'From the API' });
      await put([synced]);
      const archived = { ...synced, name: 'From the archive', distance: 1 };
      const fresh = makeRun({ name: 'Only in the archive' });
      const body = { runs: [archived, fresh], keepExisting: true };
      expect((await h.call('PUT', runsPath(), { body })).body).toEqual({ inserted: 1, updated: 0 });
      expect((await h.call('PUT', runsPath(), { body })).body).toEqual({ inserted: 0, updated: 0 });
      const names = (await h.call('GET', runsPath())).body.items.map((run: { name: string }) => run.name).sort();
      expect(names).toEqual(['From the API', 'Only in the archive']);
      expect((await h.call('PUT', runsPath(), { body: { runs: [], keepExisting: 'yes' } })).status).toBe(400);
    });

    it('returns runs in the contract shape, dates normalised', async () => {
      const run = makeRun({
        startDate: '2026-03-02T07:15:09.000+01:00',
        startDateLocal: '2026-03-02T07:15:09',
        averageHeartrate: undefined,
        summaryPolyline: null,
      });
      await put([run]);
      const [stored] = (await h.call('GET', runsPath())).body.items;
      expect(stored).toEqual({
        ...run,
        startDate: '2026-03-02T06:15:09Z',
        startDateLocal: '2026-03-02T07:15:09',
        averageHeartrate: null,
        summaryPolyline: null,
        gearId: null,
      });
    });

    it('counts a stravaId given twice in one batch once (the last wins)', async () => {
      const run = makeRun();
      expect((await put([run, { ...run, name: 'second' }])).body).toEqual({ inserted: 1, updated: 0 });
      expect((await h.call('GET', runsPath())).body.items[0].name).toBe('second');
    });

    it('takes concurrent overlapping batches without deadlock or duplicates', async () => {
      const runs = Array.from({ length: 40 }, () => makeRun({ summaryPolyline: null }));
      const batches = [runs, [...runs].reverse(), runs.slice(10), [...runs.slice(0, 30)].reverse()];
      const results = await Promise.all(batches.map((batch) => put(batch)));
      expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200]);
      expect(results.reduce((sum, result) => sum + result.body.inserted, 0)).toBe(40);
      const [{ n } = { n: 0 }] = await h.sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM data.runs WHERE user_id = $1',
        [userId],
      );
      expect(n).toBe(40);
    });

    it('keeps each athlete’s runs apart (same stravaId, two users)', async () => {
      const run = makeRun();
      await put([run]);
      const other = (await h.call('PUT', '/users', { body: { ...USER, stravaAthleteId: 99_999 } })).body.id;
      expect((await h.call('PUT', `/users/${other}/runs`, { body: { runs: [run] } })).body).toEqual({
        inserted: 1,
        updated: 0,
      });
    });

    it('404s an unknown user, with or without runs', async () => {
      const unknown = '00000000-0000-4000-8000-00000000000a';
      for (const runs of [[makeRun()], []]) {
        const response = await h.call('PUT', `/users/${unknown}/runs`, { body: { runs } });
        expect(response.status).toBe(404);
        expect(response.body.error).toBe('user_not_found');
      }
    });

    it(`accepts ${MAX_RUNS} runs and refuses ${MAX_RUNS + 1} with a 413 naming runs`, async () => {
      const runs = Array.from({ length: MAX_RUNS }, () => makeRun({ summaryPolyline: null }));
      expect((await put(runs)).body).toEqual({ inserted: MAX_RUNS, updated: 0 });
      const response = await put([...runs, makeRun({ summaryPolyline: null })]);
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ error: 'too_many_runs', details: { issues: [{ path: 'runs' }] } });
    });

    it('answers an oversized body with a 413 JSON error', async () => {
      const response = await put([makeRun({ name: 'x'.repeat(BODY_LIMIT) })]);
      expect(response.status).toBe(413);
      expect(response.body.error).toBe('payload_too_large');
    });

    it('answers bad JSON with a 400 JSON error', async () => {
      const response = await h.call('PUT', runsPath(), { raw: '{"runs": [' });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('bad_request');
    });

    const invalid: Array<[string, Record<string, unknown>, string]> = [
      ['a wrong type', { distance: '10 km' }, 'runs.0.distance'],
      ['a negative distance', { distance: -1 }, 'runs.0.distance'],
      ['an unknown sport', { sportType: 'Quidditch' }, 'runs.0.sportType'],
      ['a missing field', { name: undefined }, 'runs.0.name'],
      ['a fractional stravaId', { stravaId: 1.5 }, 'runs.0.stravaId'],
      ['a stravaId above 2^53', { stravaId: 2 ** 60 }, 'runs.0.stravaId'],
      ['a malformed start date', { startDate: '02/03/2026' }, 'runs.0.startDate'],
      ['a start date without offset', { startDate: '2026-03-02T06:15:09' }, 'runs.0.startDate'],
      ['a negative moving time', { movingTime: -5 }, 'runs.0.movingTime'],
      ['a moving time beyond int4', { movingTime: 2 ** 31 }, 'runs.0.movingTime'],
      ['a NUL character in the name', { name: 'Run\u0000' }, 'runs.0.name'],
      ['a start date in year 0', { startDate: '0000-01-01T00:00:00Z' }, 'runs.0.startDate'],
      ['a local start in year 0', { startDateLocal: '0000-01-01T00:00:00' }, 'runs.0.startDateLocal'],
      ['an unknown field', { kudos: 3 }, 'runs.0'],
    ];
    it.each(invalid)('refuses %s with a 400 naming the field', async (_case, change, field) => {
      const response = await put([makeRun(change as Partial<RunInput>)]);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('validation_failed');
      expect(response.body.details.issues.map((issue: { path: string }) => issue.path)).toContain(field);
      expect(response.body.message).toContain(field);
    });

    it('refuses a body without runs, or with runs that is not an array', async () => {
      expect((await h.call('PUT', runsPath(), { body: {} })).body.details.issues[0].path).toBe('runs');
      expect((await h.call('PUT', runsPath(), { body: { runs: 'many' } })).body.details.issues[0].path).toBe('runs');
    });

    it('accepts every Strava sport type it knows', async () => {
      const runs = (['TrailRun', 'VirtualRun', 'Ride', 'Walk', 'Hike', 'Swim'] as const).map((sportType) =>
        makeRun({ sportType }),
      );
      expect((await put(runs)).body.inserted).toBe(runs.length);
    });
  });

  describe('GET /users/{id}/runs', () => {
    it('lists newest first and pages with an opaque cursor, ties broken by stravaId', async () => {
      const runs = Array.from({ length: 7 }, (_, index) =>
        makeRun({ startDate: `2026-01-${String(10 + Math.floor(index / 2)).padStart(2, '0')}T07:00:00Z` }),
      );
      await put(runs);
      const expected = [...runs]
        .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.stravaId - a.stravaId)
        .map((run) => run.stravaId);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
        const page = (await h.call('GET', `${runsPath()}${query}`)).body;
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...ids(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
    });

    it('filters by after (inclusive) and before (exclusive), as ISO 8601 or epoch seconds', async () => {
      const [jan, feb, mar] = [
        makeRun({ startDate: '2026-01-15T10:00:00Z' }),
        makeRun({ startDate: '2026-02-15T10:00:00Z' }),
        makeRun({ startDate: '2026-03-15T10:00:00Z' }),
      ];
      await put([jan, feb, mar]);
      const list = async (query: string) => ids((await h.call('GET', `${runsPath()}?${query}`)).body);
      expect(await list('after=2026-02-15T10:00:00Z')).toEqual([mar!.stravaId, feb!.stravaId]);
      expect(await list('before=2026-02-15T10:00:00Z')).toEqual([jan!.stravaId]);
      expect(
        await list(
          `after=${Date.parse('2026-02-01T00:00:00Z') / 1000}&before=${Date.parse('2026-03-01T00:00:00Z') / 1000}`,
        ),
      ).toEqual([feb!.stravaId]);
      expect(await list('after=2026-02-01T01:00:00%2B01:00&limit=1')).toEqual([mar!.stravaId]);
    });

    it('answers an empty page for a user without runs and 404 for an unknown user', async () => {
      expect((await h.call('GET', runsPath())).body).toEqual({ items: [], nextCursor: null });
      const unknown = await h.call('GET', '/users/00000000-0000-4000-8000-00000000000b/runs');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('user_not_found');
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['after=yesterday', 'after'],
      ['before=2026-13-01T00:00:00Z', 'before'],
      ['cursor=abc', 'cursor'],
      ['after=0000-01-01T00:00:00Z', 'after'],
      ['before=999999999999', 'before'],
      [`cursor=${Buffer.from('["2026-01-01T00:00:00Z","x"]').toString('base64url')}`, 'cursor'],
      ['sort=asc', ''],
    ])('refuses ?%s with a 400 naming the field', async (query, field) => {
      const response = await h.call('GET', `${runsPath()}?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.details.issues.map((issue: { path: string }) => issue.path)).toContain(field);
    });
  });

  describe('DELETE /users/{id}/runs/{stravaId}', () => {
    it('removes one run; deleting it again is still a 204; an unknown user is a 404', async () => {
      const [kept, gone] = [makeRun(), makeRun()];
      await put([kept, gone]);
      expect((await h.call('DELETE', `${runsPath()}/${gone!.stravaId}`)).status).toBe(204);
      expect(ids((await h.call('GET', runsPath())).body)).toEqual([kept!.stravaId]);
      expect((await h.call('DELETE', `${runsPath()}/${gone!.stravaId}`)).status).toBe(204);
      expect((await h.call('DELETE', `/users/00000000-0000-4000-8000-00000000000c/runs/1`)).status).toBe(404);
      const bad = await h.call('DELETE', `${runsPath()}/abc`);
      expect(bad.status).toBe(400);
      expect(bad.body.details.issues[0].path).toBe('stravaId');
    });
  });

  describe('GET /users/{id}/stats', () => {
    const stats = async (query: string) => (await h.call('GET', `/users/${userId}/stats?${query}`)).body;

    it('groups by the local calendar: weeks from Monday, months, years', async () => {
      await put([
        // Sunday evening in Los Angeles, already Monday in UTC: counts in the week of Monday 23 Feb.
        makeRun({
          startDate: '2026-03-02T05:30:00Z',
          startDateLocal: '2026-03-01T21:30:00',
          distance: 1000,
          movingTime: 100,
          totalElevationGain: 1,
        }),
        // Monday morning in Auckland, still Sunday in UTC: counts in the week of Monday 2 March.
        makeRun({
          startDate: '2026-03-01T19:10:00Z',
          startDateLocal: '2026-03-02T08:10:00',
          distance: 2000,
          movingTime: 200,
          totalElevationGain: 2,
        }),
        makeRun({
          startDate: '2026-03-08T09:00:00Z',
          startDateLocal: '2026-03-08T10:00:00',
          distance: 4000,
          movingTime: 400,
          totalElevationGain: 4,
        }),
        // New Year's Eve locally, New Year's Day in UTC: counts in 2025.
        makeRun({
          startDate: '2026-01-01T04:30:00Z',
          startDateLocal: '2025-12-31T23:30:00',
          distance: 8000,
          movingTime: 800,
          totalElevationGain: 8,
        }),
      ]);
      expect(await stats('period=week')).toEqual({
        period: 'week',
        items: [
          { periodStart: '2025-12-29', count: 1, distance: 8000, movingTime: 800, elevationGain: 8 },
          { periodStart: '2026-02-23', count: 1, distance: 1000, movingTime: 100, elevationGain: 1 },
          { periodStart: '2026-03-02', count: 2, distance: 6000, movingTime: 600, elevationGain: 6 },
        ],
      });
      expect((await stats('period=month')).items).toEqual([
        { periodStart: '2025-12-01', count: 1, distance: 8000, movingTime: 800, elevationGain: 8 },
        { periodStart: '2026-03-01', count: 3, distance: 7000, movingTime: 700, elevationGain: 7 },
      ]);
      expect(
        (await stats('period=year')).items.map((item: { periodStart: string; count: number }) => [
          item.periodStart,
          item.count,
        ]),
      ).toEqual([
        ['2025-01-01', 1],
        ['2026-01-01', 3],
      ]);
      // from (inclusive) / to (exclusive) are local days.
      expect((await stats('period=year&from=2026-03-02&to=2026-03-08')).items).toEqual([
        { periodStart: '2026-01-01', count: 1, distance: 2000, movingTime: 200, elevationGain: 2 },
      ]);
    });

    it('sums metres exactly, so totals never depend on the order a plan reads the runs in', async () => {
      // In float8, 0.1 + 0.1 + 0.1 is 0.30000000000000004, and sums of other values differ in their
      // last bits from one order to another: totals that changed with the plan (seen across a
      // PostgreSQL restart) would look like changed data.
      await put(
        [0.1, 0.1, 0.1].map((metres, day) =>
          makeRun({
            startDate: `2026-03-0${day + 2}T09:00:00Z`,
            startDateLocal: `2026-03-0${day + 2}T10:00:00`,
            distance: metres,
            movingTime: 1,
            totalElevationGain: metres,
          }),
        ),
      );
      expect((await stats('period=month')).items).toEqual([
        { periodStart: '2026-03-01', count: 3, distance: 0.3, movingTime: 3, elevationGain: 0.3 },
      ]);
    });

    it('answers no periods for a user without runs, 404 for an unknown user, 400 for a bad period', async () => {
      expect(await stats('period=month')).toEqual({ period: 'month', items: [] });
      expect((await h.call('GET', '/users/00000000-0000-4000-8000-00000000000d/stats?period=week')).status).toBe(404);
      for (const [query, field] of [
        ['period=day', 'period'],
        ['', 'period'],
        ['period=week&from=2026-02-30', 'from'],
        ['period=week&to=0000-01-01', 'to'],
      ]) {
        const response = await h.call('GET', `/users/${userId}/stats?${query}`);
        expect(response.status).toBe(400);
        expect(response.body.details.issues[0].path).toBe(field);
      }
    });
  });

  describe('the database pool', () => {
    it('sends queries, transactions and readiness through one pool of DATABASE_POOL_SIZE connections', async () => {
      const size = Number(h.config.DATABASE_POOL_SIZE);
      const strava = { accessToken: 'a', refreshToken: 'r', expiresAt: 2_000_000_000, scope: 'read' };
      const requests = Array.from({ length: 6 * size }, (_, index) => {
        if (index % 3 === 0) return put([makeRun()]);
        // PUT /users with tokens: a transaction.
        if (index % 3 === 1)
          return h.call('PUT', '/users', { body: { ...USER, stravaAthleteId: (athlete += 1), strava } });
        return h.call('GET', '/health/ready', { token: null, operator: true });
      });
      for (const response of await Promise.all(requests)) expect(response.status).toBe(200);
      const connections = await h.sql<{ application_name: string }>(
        'SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      expect(connections.length).toBeGreaterThan(0);
      expect(connections.length).toBeLessThanOrEqual(size);
      expect(new Set(connections.map((connection) => connection.application_name))).toEqual(new Set(['data']));
    });
  });
});
