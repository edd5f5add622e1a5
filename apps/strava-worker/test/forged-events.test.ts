import { QueueName, SyncReason, SyncStatus } from '@runnerly/jobs';
import { freePort } from '@runnerly/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PushSubscriptionService } from '../src/webhook/push-subscription.service.js';
import { Stack, waitFor, type Worker } from './harness.js';

/**
 * Strava's webhook events are not signed and athlete and activity ids are public: anyone can POST
 * an event. Forged events must delete nothing, change nothing, and cost a bounded number of Strava
 * requests however many arrive; genuine ones (the sandbox's, carrying the app's subscription id)
 * still do their work.
 */
describe('forged webhook events', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ athletes: 3 });
  });
  beforeEach(() => stack.reset());
  afterAll(() => stack.close());

  /** A worker whose push subscription the sandbox verified; returns it with the subscription's id. */
  async function subscribedWorker(
    env: Record<string, string> = {},
  ): Promise<{ worker: Worker; subscriptionId: number }> {
    const port = await freePort();
    const worker = await stack.startWorker(
      { STRAVA_WEBHOOK_CALLBACK_URL: `http://127.0.0.1:${port}/strava/webhook`, ...env },
      {},
      port,
    );
    await worker.app.get(PushSubscriptionService).ensure();
    const [subscription] = await stack.strava.listPushSubscriptions();
    return { worker, subscriptionId: subscription!.id };
  }

  async function syncedAthlete(index = 0) {
    const athlete = (await stack.athletes())[index]!;
    const { userId } = await stack.connect(athlete.id);
    await stack.syncs.requestSync(userId, { reason: SyncReason.Connected });
    await waitFor(async () => (await stack.syncState(userId))?.status === SyncStatus.Done);
    return { athleteId: athlete.id, userId };
  }

  function post(worker: Worker, event: Record<string, unknown>): Promise<Response> {
    return fetch(`${worker.url}/strava/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event_time: 1_700_000_000, updates: {}, ...event }),
    });
  }

  /** One sample of the worker's Prometheus text, 0 when absent. */
  async function metric(worker: Worker, sample: string): Promise<number> {
    const text = await (await fetch(`${worker.operatorUrl}/metrics`)).text();
    const line = text.split('\n').find((item) => item.startsWith(`${sample} `));
    return line ? Number(line.slice(sample.length + 1)) : 0;
  }

  async function routeCounts(): Promise<Record<string, number>> {
    return (await stack.sandboxCall<{ byRoute: Record<string, number> }>('GET', '/requests')).byRoute;
  }

  async function housekeepingIdle(): Promise<boolean> {
    const queue = stack.queue(QueueName.Housekeeping);
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
    await queue.close();
    return counts.waiting + counts.active + counts.prioritized === 0;
  }

  const deauthorization = (athleteId: number) => ({
    object_type: 'athlete',
    object_id: athleteId,
    aspect_type: 'update',
    owner_id: athleteId,
    updates: { authorized: 'false' },
  });

  it('a forged deauthorization (no subscription id, a wrong one, or the right one while Strava still authorizes the athlete) deletes nothing', async () => {
    const { worker, subscriptionId } = await subscribedWorker();
    const { athleteId, userId } = await syncedAthlete();
    const before = await stack.runRows(userId);
    expect(before.rows).toBeGreaterThan(0);

    const missing = await post(worker, deauthorization(athleteId));
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: 'unknown_subscription' });
    const wrong = await post(worker, { ...deauthorization(athleteId), subscription_id: subscriptionId + 41 });
    expect(wrong.status).toBe(403);
    const right = await post(worker, { ...deauthorization(athleteId), subscription_id: subscriptionId });
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ status: 'accepted', action: 'confirm_deauthorization' });

    // Strava was asked (with the athlete's token) and still authorizes the athlete: nothing deleted.
    await expect
      .poll(() => metric(worker, 'strava_webhook_refused_total{reason="still_authorized"}'), { timeout: 20_000 })
      .toBe(1);
    expect(await metric(worker, 'strava_webhook_refused_total{reason="missing_subscription"}')).toBe(1);
    expect(await metric(worker, 'strava_webhook_refused_total{reason="unknown_subscription"}')).toBe(1);
    expect(await stack.runRows(userId)).toEqual(before);
    expect((await stack.data.findUserByStravaAthleteId(athleteId))?.id).toBe(userId);
    expect(await stack.data.getStravaToken(userId)).toMatchObject({ accessToken: expect.any(String) });
  });

  it('a deauthorization event for an athlete whose tokens are gone deletes only when Strava refused them before (a sync met invalid_grant)', async () => {
    const { worker, subscriptionId } = await subscribedWorker();
    // Both without tokens: one never gave Runnerly activity access, the other's refresh Strava refused.
    const neverGranted = await syncedAthlete(0);
    const revoked = await syncedAthlete(1);
    const before = await stack.runRows(neverGranted.userId);
    for (const { userId } of [neverGranted, revoked]) await stack.data.deleteStravaToken(userId);
    await stack.state.setDisconnected(neverGranted.userId, true);
    await stack.state.setDisconnected(revoked.userId, true, true);

    for (const { athleteId } of [neverGranted, revoked]) {
      expect((await post(worker, { ...deauthorization(athleteId), subscription_id: subscriptionId })).status).toBe(200);
    }
    await expect
      .poll(() => metric(worker, 'strava_webhook_refused_total{reason="unconfirmed"}'), { timeout: 20_000 })
      .toBe(1);
    await expect
      .poll(() => stack.data.findUserByStravaAthleteId(revoked.athleteId), { timeout: 20_000 })
      .toBeUndefined();
    expect(await stack.runRows(revoked.userId)).toMatchObject({ rows: 0 });
    expect(await stack.runRows(neverGranted.userId)).toEqual(before);
    expect((await stack.data.findUserByStravaAthleteId(neverGranted.athleteId))?.id).toBe(neverGranted.userId);
  });

  it('shares the subscription id across worker processes, and lists it again at most once a minute however many unknown ids arrive', async () => {
    const { worker, subscriptionId } = await subscribedWorker({ STRAVA_WORKER_PROCESS_JOBS: 'false' });
    // Another process that never asked Strava: it knows the id from Redis.
    const other = await stack.startWorker({ STRAVA_WORKER_PROCESS_JOBS: 'false' });
    const listings = async () => (await routeCounts())['GET /api/v3/push_subscriptions'] ?? 0;
    const before = await listings();
    const event = { object_type: 'activity', object_id: 5, aspect_type: 'create', owner_id: 6 };
    expect((await post(other, { ...event, subscription_id: subscriptionId })).status).toBe(200);
    expect(await listings()).toBe(before);
    // Forged ids, on both processes: at most one listing for all of them.
    for (let i = 1; i <= 20; i += 1) {
      const target = i % 2 ? worker : other;
      expect((await post(target, { ...event, subscription_id: subscriptionId + i })).status).toBe(403);
    }
    expect(await listings()).toBeLessThanOrEqual(before + 1);
  });

  it('a forged delete or type change of an existing run (right subscription id, the activity still a run on Strava) deletes nothing; nor does naming another athlete’s activity', async () => {
    const { worker, subscriptionId } = await subscribedWorker();
    const { athleteId, userId } = await syncedAthlete();
    const { athleteId: otherAthleteId, userId: otherId } = await syncedAthlete(1);
    const [first, second] = await stack.storedRuns(userId);
    const [othersRun] = await stack.storedRuns(otherId);
    const before = await stack.runRows(userId);
    const othersBefore = await stack.runRows(otherId);
    const activity = { object_type: 'activity', owner_id: athleteId, subscription_id: subscriptionId };
    const events = [
      { ...activity, object_id: first!.stravaId, aspect_type: 'delete' },
      {
        ...activity,
        object_id: second!.stravaId,
        aspect_type: 'update',
        updates: { type: 'Ride', sport_type: 'Ride' },
      },
      // Another athlete's run, claimed for this one: read with this athlete's token, it is not theirs.
      { ...activity, object_id: othersRun!.stravaId, aspect_type: 'create' },
      { ...activity, owner_id: otherAthleteId, object_id: othersRun!.stravaId, aspect_type: 'delete' },
    ];
    for (const event of events) {
      const response = await post(worker, event);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'accepted', action: 'recheck_activity' });
    }
    // Every activity was read with its athlete's token before anything was decided.
    await expect
      .poll(() => metric(worker, 'strava_requests_total{endpoint="get_activity",outcome="ok"}'), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(3);
    await waitFor(
      async () => (await housekeepingIdle()) && (await stack.syncState(userId))?.status === SyncStatus.Done,
    );
    await waitFor(async () => (await stack.syncState(otherId))?.status === SyncStatus.Done);
    await expect
      .poll(() => metric(worker, 'strava_requests_total{endpoint="get_activity",outcome="StravaNotFoundError"}'))
      .toBe(1);

    expect(await stack.runRows(userId)).toEqual(before);
    expect(await stack.runRows(otherId)).toEqual(othersBefore);
    const runs = new Map((await stack.storedRuns(userId)).map((run) => [run.stravaId, run]));
    expect(runs.get(first!.stravaId)).toMatchObject({ sportType: first!.sportType });
    expect(runs.get(second!.stravaId)).toMatchObject({ sportType: second!.sportType });
    expect(runs.has(othersRun!.stravaId)).toBe(false);
  });

  it('a genuine deauthorization and a genuine deletion on Strava still take effect', async () => {
    await subscribedWorker();
    const { athleteId, userId } = await syncedAthlete();
    const { athleteId: otherAthleteId, userId: otherId } = await syncedAthlete(1);
    const [run] = await stack.storedRuns(otherId);
    await stack.sandboxCall('DELETE', `/activities/${run!.stravaId}`);
    await stack.sandboxCall('POST', `/athletes/${athleteId}/revoke`);
    await waitFor(async () => (await stack.data.findUserByStravaAthleteId(athleteId)) === undefined);
    expect(await stack.runRows(userId)).toEqual({ rows: 0, distinct: 0 });
    await waitFor(async () => !(await stack.storedRuns(otherId)).some((item) => item.stravaId === run!.stravaId));
    expect((await stack.data.findUserByStravaAthleteId(otherAthleteId))?.id).toBe(otherId);
  });

  it('a flood of 10,000 forged events costs at most the stated bound of Strava requests while another athlete’s sync completes', async () => {
    // The HTTP rate limit is lifted here so that every event reaches the caps behind it.
    const { worker, subscriptionId } = await subscribedWorker({
      STRAVA_WEBHOOK_RATE_LIMIT_PER_SOURCE: '1000000',
      STRAVA_WEBHOOK_RATE_LIMIT_TOTAL: '1000000',
    });
    const { athleteId, userId } = await syncedAthlete();
    const other = (await stack.athletes())[1]!;
    const { userId: otherId } = await stack.connect(other.id);
    const before = await stack.apiRequests();
    const routesBefore = await routeCounts();

    const activity = (owner: number, id: number, aspect: string) => ({
      object_type: 'activity',
      object_id: id,
      aspect_type: aspect,
      owner_id: owner,
      subscription_id: subscriptionId,
      ...(aspect === 'update' ? { updates: { type: 'Ride' } } : {}),
    });
    const aspects = ['create', 'update', 'delete'];
    const events: Array<Record<string, unknown>> = [];
    // Athletes who are not Runnerly users (ids are public; these are not ours).
    for (let i = 0; i < 4_000; i += 1) events.push(activity(900_000_000 + i, 7_000_000_000 + i, aspects[i % 3]!));
    // A real athlete, activities that do not exist (or are not theirs).
    for (let i = 0; i < 3_000; i += 1) events.push(activity(athleteId, 8_000_000_000 + i, aspects[i % 3]!));
    // The same event again and again; and forged deauthorizations of the real athlete.
    for (let i = 0; i < 2_000; i += 1) events.push(activity(athleteId, 9_000_000_000, 'delete'));
    for (let i = 0; i < 1_000; i += 1) events.push({ ...deauthorization(athleteId), subscription_id: subscriptionId });
    expect(events).toHaveLength(10_000);

    // Another athlete's first sync runs meanwhile.
    await stack.syncs.requestSync(otherId, { reason: SyncReason.Connected });
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < events.length) {
          const response = await post(worker, events[next++]!);
          await response.body?.cancel();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: 10_000 });

    const otherState = await waitFor(async () => {
      const state = await stack.syncState(otherId);
      return state?.status === SyncStatus.Done && state;
    }, 120_000);
    await waitFor(housekeepingIdle, 120_000);
    await waitFor(async () => (await stack.syncState(userId))?.status === SyncStatus.Done, 60_000);
    const syncs = stack.syncs.queue;
    await waitFor(async () => (await syncs.getActiveCount()) + (await syncs.getWaitingCount()) === 0, 60_000);

    // The other athlete's sync: each page of its history once, and the empty page that ends it.
    const otherRequests = otherState.progress.pages + 1;

    // The bound (README): R Runnerly athletes named cost at most R × (CAP + 2 + 1) requests per
    // window: CAP activities read one by one, one paged sync (2 requests: nothing new to page
    // through), one deauthorization check (GET /athlete). Here R = 1, CAP = 50.
    const bound = 1 * (50 + 2 + 1);
    const floodRequests = (await stack.apiRequests()) - before - otherRequests;
    expect(floodRequests).toBeLessThanOrEqual(bound);
    const routes = await routeCounts();
    const delta = (route: string) => (routes[route] ?? 0) - (routesBefore[route] ?? 0);
    expect(delta('GET /api/v3/activities/:id')).toBeLessThanOrEqual(50);
    expect(delta('GET /api/v3/athlete')).toBeLessThanOrEqual(1);
    expect(delta('GET /api/v3/athlete/activities')).toBeLessThanOrEqual(otherRequests + 2);
    // The other athlete's sync stored every run of theirs (read from the sandbox after counting).
    const otherToken = await stack.data.getStravaToken(otherId);
    expect((await stack.runRows(otherId)).rows).toBe((await stack.stravaRuns(otherToken.accessToken)).length);
    // Nothing of the real athlete was deleted.
    expect((await stack.data.findUserByStravaAthleteId(athleteId))?.id).toBe(userId);
    expect(await metric(worker, 'strava_webhook_refused_total{reason="recheck_cap"}')).toBeGreaterThan(0);
  }, 300_000);

  it('reads made on events’ word, whichever athletes they name, keep to their share of Strava’s window while another athlete’s sync completes', async () => {
    // 50 requests per 15 minutes: events' reads may take 20 % (10), each athlete 25 % while others wait.
    const { worker, subscriptionId } = await subscribedWorker({ STRAVA_RATE_LIMIT_15MIN: '50' });
    const named = [await syncedAthlete(0), await syncedAthlete(1)];
    const other = (await stack.athletes())[2]!;
    const { userId: otherId } = await stack.connect(other.id);
    const routesBefore = await routeCounts();
    // 30 activities that do not exist, for each of two real athletes: within the recheck cap, so
    // each is admitted to be read one by one.
    for (const { athleteId } of named) {
      for (let i = 0; i < 30; i += 1) {
        const event = {
          object_type: 'activity',
          object_id: 6_000_000_000 + i,
          aspect_type: 'create',
          owner_id: athleteId,
        };
        expect((await post(worker, { ...event, subscription_id: subscriptionId })).status).toBe(200);
      }
    }
    await stack.syncs.requestSync(otherId, { reason: SyncReason.Connected });
    await waitFor(async () => (await stack.syncState(otherId))?.status === SyncStatus.Done, 120_000);
    await expect
      .poll(() => metric(worker, 'strava_sync_jobs_total{outcome="event_share"}'), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const windowsSpanned =
      1 + Number(Math.floor(Date.now() / 900_000) !== Math.floor((Date.now() - 120_000) / 900_000));
    const reads =
      ((await routeCounts())['GET /api/v3/activities/:id'] ?? 0) - (routesBefore['GET /api/v3/activities/:id'] ?? 0);
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThanOrEqual(10 * windowsSpanned);
    // The other athlete's sync stored every run of theirs.
    const otherToken = await stack.data.getStravaToken(otherId);
    expect((await stack.runRows(otherId)).rows).toBe((await stack.stravaRuns(otherToken.accessToken)).length);
    // The rest waits for the next window: once it comes, the named athletes' rechecks go on.
    await stack.advanceClock(900);
    await expect
      .poll(
        async () =>
          ((await routeCounts())['GET /api/v3/activities/:id'] ?? 0) -
          (routesBefore['GET /api/v3/activities/:id'] ?? 0),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(reads);
  }, 300_000);

  it('rate-limits POST /strava/webhook per source address, across worker processes, with a 429 JSON and Retry-After', async () => {
    const env = { STRAVA_WEBHOOK_RATE_LIMIT_PER_SOURCE: '5', STRAVA_WORKER_PROCESS_JOBS: 'false' };
    const { worker, subscriptionId } = await subscribedWorker(env);
    const second = await stack.startWorker(env);
    // A fixed one-minute window: start well inside one, so that all of this lands in it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
    const event = {
      object_type: 'activity',
      object_id: 1,
      aspect_type: 'create',
      owner_id: 2,
      subscription_id: subscriptionId,
    };
    for (let i = 0; i < 3; i += 1) expect((await post(worker, event)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await post(second, event)).status).toBe(200);
    for (const target of [worker, second]) {
      const refused = await post(target, event);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ error: 'rate_limited' });
    }
    expect(await metric(worker, 'strava_webhook_refused_total{reason="rate_limited"}')).toBeGreaterThanOrEqual(1);
  });
});
