import { randomUUID } from 'node:crypto';
import { DataScope } from '@runnerly/data-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, makeRun, startService, USER } from './harness.js';

let athlete = 19_000;

/** Best efforts per run and the bests they make, over HTTP against the real PostgreSQL. */
describe('data-service best efforts', () => {
  let h: Harness;
  let userId: string;
  const putRuns = (runs: unknown[]) => h.call('PUT', `/users/${userId}/runs`, { body: { runs } });
  const putEfforts = (stravaId: number, body: unknown, scopes?: string[]) =>
    h.call('PUT', `/users/${userId}/runs/${stravaId}/best-efforts`, { body, scopes });
  const effort = (distance: number, elapsedTime: number, startOffset = 0) => ({ distance, elapsedTime, startOffset });

  beforeAll(async () => {
    h = await startService();
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    athlete += 1;
    userId = (await h.call('PUT', '/users', { body: { ...USER, stravaAthleteId: athlete } })).body.id;
  });

  it('replaces a run’s efforts idempotently and reads them back; 404 for an unknown run or user', async () => {
    const run = makeRun();
    await putRuns([run]);
    const body = { source: 'streams', efforts: [effort(5000, 1234.56, 600.5), effort(1000, 230.1, 700)] };
    const first = await putEfforts(run.stravaId, body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ stravaId: run.stravaId, source: 'streams', efforts: 2 });
    expect((await putEfforts(run.stravaId, body)).status).toBe(200);
    const read = (await h.call('GET', `/users/${userId}/runs/${run.stravaId}/best-efforts`)).body;
    expect(read).toMatchObject({
      stravaId: run.stravaId,
      source: 'streams',
      efforts: [
        { distance: 1000, name: '1K', elapsedTime: 230.1, startOffset: 700 },
        { distance: 5000, name: '5K', elapsedTime: 1234.56, startOffset: 600.5 },
      ],
    });
    expect(read.computedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Replace: the 1K goes, the 5K changes, a 400m comes.
    await putEfforts(run.stravaId, { source: 'distance', efforts: [effort(5000, 1200), effort(400, 80)] });
    const rows = await h.sql<{ distance: number; elapsed_time: number; source: string }>(
      'SELECT distance, elapsed_time, source FROM data.best_efforts WHERE strava_id = $1 ORDER BY distance',
      [run.stravaId],
    );
    expect(rows).toEqual([
      { distance: 400, elapsed_time: 80, source: 'distance' },
      { distance: 5000, elapsed_time: 1200, source: 'distance' },
    ]);
    // A run without streams and too long for any whole-run figure: marked done, no efforts.
    await putEfforts(run.stravaId, { source: 'summary', efforts: [] });
    expect((await h.call('GET', `/users/${userId}/runs/${run.stravaId}/best-efforts`)).body).toMatchObject({
      source: 'summary',
      efforts: [],
    });

    const missingRun = await putEfforts(run.stravaId + 1, body);
    expect(missingRun.status).toBe(404);
    expect(missingRun.body.error).toBe('run_not_found');
    const missingUser = await h.call('PUT', `/users/${randomUUID()}/runs/${run.stravaId}/best-efforts`, { body });
    expect(missingUser.status).toBe(404);
    expect(missingUser.body.error).toBe('user_not_found');
    expect((await h.call('GET', `/users/${userId}/runs/${run.stravaId + 1}/best-efforts`)).status).toBe(404);
  });

  it('drops a run’s efforts when Strava’s copy of its track changes, and keeps them for a new name', async () => {
    const run = makeRun({ distance: 10_000, elapsedTime: 3000 });
    const other = makeRun({ startDate: '2026-01-02T07:00:00Z', startDateLocal: '2026-01-02T08:00:00' });
    await putRuns([run, other]);
    for (const stravaId of [run.stravaId, other.stravaId])
      await putEfforts(stravaId, { source: 'streams', efforts: [effort(5000, 1300), effort(1000, 240)] });
    const efforts = async (stravaId: number) =>
      (await h.call('GET', `/users/${userId}/runs/${stravaId}/best-efforts`)).body;
    const progress = async () => (await h.call('GET', `/users/${userId}/best-efforts/progress`)).body;

    await putRuns([{ ...run, name: 'Renamed' }, other]);
    expect(await efforts(run.stravaId)).toMatchObject({ source: 'streams', efforts: [{ name: '1K' }, { name: '5K' }] });

    // Cropped on Strava: shorter, and its 1K and 5K were measured on the old track.
    await putRuns([{ ...run, name: 'Renamed', distance: 4_000, elapsedTime: 1200 }, other]);
    expect(await efforts(run.stravaId)).toMatchObject({ source: null, efforts: [] });
    expect(await progress()).toEqual({ runs: 2, withEfforts: 1 });
    const missing = (await h.call('GET', `/users/${userId}/runs?efforts=missing`)).body.items;
    expect(missing.map((item: { stravaId: number }) => item.stravaId)).toEqual([run.stravaId]);
    // The other run's efforts are untouched, and the bests stand on it alone.
    expect((await efforts(other.stravaId)).efforts).toHaveLength(2);
    const rows = await h.sql<{ strava_id: string }>(
      'SELECT DISTINCT strava_id FROM data.best_efforts WHERE user_id = $1',
      [userId],
    );
    expect(rows.map((row) => Number(row.strava_id))).toEqual([other.stravaId]);
  });

  it('refuses efforts that are not standard distances, twice the same distance, or impossible numbers', async () => {
    const run = makeRun();
    await putRuns([run]);
    for (const body of [
      { source: 'streams', efforts: [effort(4999, 1000)] },
      { source: 'streams', efforts: [effort(5000, 1000), effort(5000, 999)] },
      { source: 'streams', efforts: [effort(5000, 0)] },
      { source: 'streams', efforts: [effort(5000, -1)] },
      { source: 'gps', efforts: [] },
      { source: 'streams', efforts: [{ ...effort(5000, 1000), extra: 1 }] },
      { source: 'streams' },
    ]) {
      const response = await putEfforts(run.stravaId, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error).toBe('validation_failed');
    }
    expect(await h.sql('SELECT * FROM data.best_efforts WHERE strava_id = $1', [run.stravaId])).toEqual([]);
  });

  it('answers bests per distance with the progression of records (window function), and bests of a year', async () => {
    const day = (date: string) => ({ startDate: `${date}T07:00:00Z`, startDateLocal: `${date}T08:00:00` });
    const runs = [
      makeRun({ ...day('2025-03-01'), name: 'First' }),
      makeRun({ ...day('2025-06-01'), name: 'Slower' }),
      makeRun({ ...day('2025-09-01'), name: 'Record' }),
      makeRun({ ...day('2026-02-01'), name: 'This year' }),
      makeRun({ ...day('2026-04-01'), name: 'Not computed' }),
    ];
    await putRuns(runs);
    await putEfforts(runs[0]!.stravaId, { source: 'streams', efforts: [effort(1000, 250), effort(5000, 1400)] });
    await putEfforts(runs[1]!.stravaId, { source: 'streams', efforts: [effort(1000, 260), effort(5000, 1450)] });
    await putEfforts(runs[2]!.stravaId, {
      source: 'streams',
      efforts: [effort(1000, 240), effort(5000, 1300), effort(10000, 2800)],
    });
    await putEfforts(runs[3]!.stravaId, { source: 'summary', efforts: [effort(5000, 1350)] });

    const bests = (await h.call('GET', `/users/${userId}/bests`)).body;
    expect(bests.items.map((item: { name: string }) => item.name)).toEqual(['1K', '5K', '10K']);
    const fiveK = bests.items[1];
    expect(fiveK).toEqual({
      distance: 5000,
      name: '5K',
      elapsedTime: 1300,
      run: {
        stravaId: runs[2]!.stravaId,
        name: 'Record',
        startDate: '2025-09-01T07:00:00Z',
        startDateLocal: '2025-09-01T08:00:00',
      },
      progression: [
        { elapsedTime: 1400, stravaId: runs[0]!.stravaId, date: '2025-03-01T08:00:00' },
        { elapsedTime: 1300, stravaId: runs[2]!.stravaId, date: '2025-09-01T08:00:00' },
      ],
    });
    expect(bests.items[0].progression.map((record: { elapsedTime: number }) => record.elapsedTime)).toEqual([250, 240]);

    // This year: only 2026's runs count, and their own progression.
    const thisYear = (await h.call('GET', `/users/${userId}/bests?year=2026`)).body;
    expect(thisYear.items).toEqual([
      expect.objectContaining({ distance: 5000, elapsedTime: 1350, progression: [expect.anything()] }),
    ]);
    expect((await h.call('GET', `/users/${userId}/bests?year=2024`)).body).toEqual({ items: [] });

    // A deleted run takes its efforts with it.
    await h.call('DELETE', `/users/${userId}/runs/${runs[2]!.stravaId}`);
    const after = (await h.call('GET', `/users/${userId}/bests`)).body;
    expect(after.items[1]).toMatchObject({ elapsedTime: 1350, run: { name: 'This year' } });
    expect(after.items.map((item: { name: string }) => item.name)).toEqual(['1K', '5K']);
  });

  it('reports progress in one count and lists the runs still missing efforts, page by page', async () => {
    const runs = Array.from({ length: 7 }, (_, index) =>
      makeRun({ startDate: `2026-01-0${index + 1}T07:00:00Z`, startDateLocal: `2026-01-0${index + 1}T08:00:00` }),
    );
    await putRuns(runs);
    expect((await h.call('GET', `/users/${userId}/best-efforts/progress`)).body).toEqual({ runs: 7, withEfforts: 0 });
    for (const run of runs.slice(0, 3)) await putEfforts(run.stravaId, { source: 'streams', efforts: [] });
    expect((await h.call('GET', `/users/${userId}/best-efforts/progress`)).body).toEqual({ runs: 7, withEfforts: 3 });

    const first = (await h.call('GET', `/users/${userId}/runs?efforts=missing&limit=3`)).body;
    const second = (await h.call('GET', `/users/${userId}/runs?efforts=missing&limit=3&cursor=${first.nextCursor}`))
      .body;
    const missing = [...first.items, ...second.items].map((run: { stravaId: number }) => run.stravaId);
    expect(missing).toEqual(
      runs
        .slice(3)
        .map((run) => run.stravaId)
        .reverse(),
    );
    expect(second.nextCursor).toBeNull();
    expect((await h.call('GET', `/users/${userId}/runs?efforts=all`)).status).toBe(400);

    const empty = (await h.call('PUT', '/users', { body: { ...USER, stravaAthleteId: athlete + 50_000 } })).body.id;
    expect((await h.call('GET', `/users/${empty}/best-efforts/progress`)).body).toEqual({ runs: 0, withEfforts: 0 });
    expect((await h.call('GET', `/users/${randomUUID()}/best-efforts/progress`)).status).toBe(404);
    expect((await h.call('GET', `/users/${randomUUID()}/bests`)).status).toBe(404);
  });

  it('needs runs:write to store efforts and runs:read to read them', async () => {
    const run = makeRun();
    await putRuns([run]);
    const body = { source: 'streams', efforts: [effort(5000, 1300)] };
    expect((await putEfforts(run.stravaId, body, [DataScope.RunsRead])).status).toBe(403);
    expect((await putEfforts(run.stravaId, body, [DataScope.RunsWrite])).status).toBe(200);
    for (const path of ['bests', 'best-efforts/progress', `runs/${run.stravaId}/best-efforts`]) {
      expect((await h.call('GET', `/users/${userId}/${path}`, { scopes: [DataScope.RunsWrite] })).status).toBe(403);
      expect((await h.call('GET', `/users/${userId}/${path}`, { scopes: [DataScope.RunsRead] })).status).toBe(200);
      expect((await h.call('GET', `/users/${userId}/${path}`, { token: null })).status).toBe(401);
    }
  });
});
