import { SyncReason, SyncStatus } from '@runnerly/jobs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Stack, waitFor } from './harness.js';

describe('sync of one athlete (sandbox, data-service, Redis)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start();
  });
  beforeEach(() => stack.reset());
  afterAll(() => stack.close());

  const done = (userId: string, after?: string) =>
    waitFor(async () => {
      const state = await stack.syncState(userId);
      return state?.status === SyncStatus.Done && (!after || (state.lastFinishedAt ?? '') > after) && state;
    });

  it('first sync: the whole history, page by page, runs only, at the minimum number of requests', async () => {
    const [athlete] = await stack.athletes();
    const { userId, accessToken } = await stack.connect(athlete!.id);
    const expected = await stack.stravaRuns(accessToken);
    expect(expected.length).toBeGreaterThan(200);
    await stack.sandboxCall('PUT', '/settings', { shortPages: { every: 0 } });
    await stack.startWorker();
    const before = await stack.apiRequests();

    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual, requestId: 'first-sync' });
    const state = await done(userId);

    const stored = await stack.storedRuns(userId);
    expect(stored.map((run) => run.stravaId).sort()).toEqual(expected.map((run) => run.id).sort());
    expect(state.runsAdded).toBe(expected.length);
    expect(state.progress.activities).toBe(athlete!.activity_count);
    // The minimum: every page of 200 once, then the empty page that says it is over.
    expect((await stack.apiRequests()) - before).toBe(Math.ceil(athlete!.activity_count / 200) + 1);
    const sample = expected[0]!;
    const run = stored.find((item) => item.stravaId === sample.id)!;
    expect(run).toMatchObject({
      name: sample.name,
      sportType: sample.sport_type,
      startDateLocal: sample.start_date_local.replace(/Z$/, ''),
      distance: sample.distance,
      movingTime: sample.moving_time,
    });
    expect(new Date(run.startDate).getTime()).toBe(new Date(sample.start_date).getTime());
  });

  it("gear: each run's gear_id, and with profile:read_all the athlete's shoes in one more request per sync", async () => {
    const [athlete] = await stack.athletes();
    const scope = 'read,activity:read_all,profile:read_all';
    const { userId, accessToken } = await stack.connect(athlete!.id, scope);
    await stack.sandboxCall('PUT', '/settings', { shortPages: { every: 0 } });
    const expected = await stack.stravaRuns(accessToken);
    const strava = (await stack.strava.getAthlete(accessToken)).shoes!;
    await stack.startWorker();
    const before = await stack.apiRequests();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    await done(userId);
    // The pages, the empty page, and one GET /athlete.
    expect((await stack.apiRequests()) - before).toBe(Math.ceil(athlete!.activity_count / 200) + 2);

    const stored = await stack.storedRuns(userId);
    const byId = new Map(stored.map((run) => [run.stravaId, run]));
    for (const run of expected) expect(byId.get(run.id)?.gearId, String(run.id)).toBe(run.gear_id);
    expect(stored.some((run) => run.gearId === null)).toBe(true); // treadmill runs
    const distanceIn = (gearId: string) =>
      stored.filter((run) => run.gearId === gearId).reduce((sum, run) => sum + run.distance, 0);

    const { items } = await stack.data.listShoes(userId);
    expect(items.map((shoe) => [shoe.id, shoe.name, shoe.primary, shoe.retired, shoe.retireAt])).toEqual(
      [...strava]
        .sort((a, b) => distanceIn(b.id) - distanceIn(a.id))
        .map((shoe) => [shoe.id, shoe.name, shoe.primary, false, 800_000]),
    );
    for (const shoe of items) {
      expect(shoe.distance).toBeCloseTo(distanceIn(shoe.id), 3);
      // Strava counts every activity with the shoe (private ones included); Runnerly the runs it stores.
      expect(shoe.stravaDistance).toBe(strava.find((item) => item.id === shoe.id)!.distance);
    }
  });

  it('gear: without profile:read_all, no GET /athlete and no shoes, but runs still carry their gear', async () => {
    const [, athlete] = await stack.athletes();
    const { userId } = await stack.connect(athlete!.id);
    await stack.sandboxCall('PUT', '/settings', { shortPages: { every: 0 } });
    await stack.startWorker();
    const before = await stack.apiRequests();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    await done(userId);
    expect((await stack.apiRequests()) - before).toBe(Math.ceil(athlete!.activity_count / 200) + 1);
    const { items } = await stack.data.listShoes(userId);
    expect(items.length).toBeGreaterThan(0);
    // Known only by the runs' gear ids: unnamed (named by id), no Strava distance.
    for (const shoe of items) expect(shoe).toMatchObject({ name: shoe.id, stravaDistance: null });
  });

  it('incremental sync: only what is new, in two requests', async () => {
    const [athlete] = await stack.athletes();
    const { userId, accessToken } = await stack.connect(athlete!.id);
    await stack.startWorker();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    const first = await done(userId);
    const countBefore = (await stack.storedRuns(userId)).length;

    await stack.sandboxCall('POST', `/athletes/${athlete!.id}/activities`, { sport_type: 'Run', name: 'Fresh run' });
    await stack.sandboxCall('POST', `/athletes/${athlete!.id}/activities`, { sport_type: 'Ride', name: 'Fresh ride' });
    const before = await stack.apiRequests();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    const second = await done(userId, first.lastFinishedAt);

    expect((await stack.apiRequests()) - before).toBe(2);
    expect(second.runsAdded).toBe(1);
    const stored = await stack.storedRuns(userId);
    expect(stored).toHaveLength(countBefore + 1);
    expect(stored.some((run) => run.name === 'Fresh run')).toBe(true);
    expect(stored.some((run) => run.name === 'Fresh ride')).toBe(false);
    expect((await stack.stravaRuns(accessToken)).length).toBe(stored.length);
  });

  it('short pages before the end: keeps going until an empty page, misses nothing', async () => {
    await stack.sandboxCall('PUT', '/settings', { shortPages: { every: 2, fraction: 0.5 } });
    const [, athlete] = await stack.athletes();
    const { userId, accessToken } = await stack.connect(athlete!.id);
    const expected = await stack.stravaRuns(accessToken);
    await stack.startWorker();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    const state = await done(userId);
    expect(state.progress.pages).toBeGreaterThan(Math.ceil(athlete!.activity_count / 200));
    expect((await stack.storedRuns(userId)).map((run) => run.stravaId).sort()).toEqual(
      expected.map((run) => run.id).sort(),
    );
  });
});
