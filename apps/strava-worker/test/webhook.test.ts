import { JobName, QueueName, SyncReason, SyncStatus } from '@runnerly/jobs';
import { freePort } from '@runnerly/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PushSubscriptionService } from '../src/webhook/push-subscription.service.js';
import { Stack, VERIFY_TOKEN, waitFor, type Worker } from './harness.js';

describe('Strava webhooks', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start();
  });
  beforeEach(() => stack.reset());
  afterAll(() => stack.close());

  /** A worker whose push subscription the sandbox verified: the sandbox then delivers real events. */
  async function subscribedWorker(): Promise<Worker> {
    const port = await freePort();
    const worker = await stack.startWorker(
      { STRAVA_WEBHOOK_CALLBACK_URL: `http://127.0.0.1:${port}/strava/webhook` },
      {},
      port,
    );
    expect(await worker.app.get(PushSubscriptionService).ensure()).toBe('created');
    expect(await worker.app.get(PushSubscriptionService).ensure()).toBe('exists');
    return worker;
  }

  async function syncedAthlete(index = 0) {
    const athlete = (await stack.athletes())[index]!;
    const { userId } = await stack.connect(athlete.id);
    await stack.syncs.requestSync(userId, { reason: SyncReason.Connected });
    await waitFor(async () => (await stack.syncState(userId))?.status === SyncStatus.Done);
    return { athleteId: athlete.id, userId };
  }

  it('answers the handshake only with the right verify token', async () => {
    const worker = await stack.startWorker({ STRAVA_WORKER_PROCESS_JOBS: 'false' });
    const ok = await fetch(
      `${worker.url}/strava/webhook?hub.mode=subscribe&hub.challenge=abc123&hub.verify_token=${VERIFY_TOKEN}`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ 'hub.challenge': 'abc123' });
    const bad = await fetch(
      `${worker.url}/strava/webhook?hub.mode=subscribe&hub.challenge=abc123&hub.verify_token=wrong`,
    );
    expect(bad.status).toBe(403);
    expect(await bad.json()).toMatchObject({ error: 'invalid_verify_token' });
  });

  it("turns each event of the app's subscription into one hint job, absorbing redeliveries; refuses the others", async () => {
    const worker = await stack.startWorker({ STRAVA_WORKER_PROCESS_JOBS: 'false' });
    // Strava's one subscription for the app, pointing at this worker (it answers the handshake).
    const { id: subscriptionId } = await stack.strava.createPushSubscription(
      `${worker.url}/strava/webhook`,
      VERIFY_TOKEN,
    );
    const post = (event: Record<string, unknown>) =>
      fetch(`${worker.url}/strava/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subscription_id: subscriptionId, event_time: 1_700_000_000, updates: {}, ...event }),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { action?: string; error?: string },
      }));
    const create = { object_type: 'activity', object_id: 11, aspect_type: 'create', owner_id: 7 };
    expect(await post(create)).toEqual({ status: 200, body: { status: 'accepted', action: 'recheck_activity' } });
    expect((await post(create)).body.action).toBe('recheck_activity');
    expect((await post({ ...create, aspect_type: 'update', updates: { title: 'Messy' } })).body.action).toBe(
      'recheck_activity',
    );
    // A type change and a delete are rechecks too: Strava's answer decides, not the event.
    expect((await post({ ...create, aspect_type: 'update', updates: { type: 'Ride' } })).body.action).toBe(
      'recheck_activity',
    );
    expect((await post({ ...create, object_id: 12, aspect_type: 'delete' })).body.action).toBe('recheck_activity');
    const deauthorization = {
      object_type: 'athlete',
      object_id: 7,
      aspect_type: 'update',
      owner_id: 7,
      updates: { authorized: 'false' },
    };
    expect((await post(deauthorization)).body.action).toBe('confirm_deauthorization');
    expect((await post({ ...deauthorization, updates: { firstname: 'X' } })).body.action).toBe('ignored');
    expect((await post({ object_type: 'gear' })).status).toBe(400);
    const queue = stack.queue(QueueName.Housekeeping);
    const expected = [
      `${JobName.DeleteAthlete}:delete-athlete-7`,
      `${JobName.SyncStravaAthlete}:sync-strava-7-11`,
      `${JobName.SyncStravaAthlete}:sync-strava-7-12`,
    ].sort();
    expect((await queue.getWaiting()).map((job) => `${job.name}:${job.id}`).sort()).toEqual(expected);

    // Without a subscription id, or with another one: a 403 JSON, nothing queued.
    const { subscription_id: _, ...unsubscribed } = {
      ...deauthorization,
      owner_id: 8,
      object_id: 8,
      subscription_id: 0,
    };
    for (const event of [unsubscribed, { ...unsubscribed, subscription_id: subscriptionId + 1 }]) {
      const refused = await fetch(`${worker.url}/strava/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: 'unknown_subscription' });
    }
    expect((await queue.getWaiting()).map((job) => `${job.name}:${job.id}`).sort()).toEqual(expected);
    const metrics = await (await fetch(`${worker.operatorUrl}/metrics`)).text();
    expect(metrics).toMatch(/strava_webhook_refused_total\{reason="missing_subscription"\} 1\b/);
    expect(metrics).toMatch(/strava_webhook_refused_total\{reason="unknown_subscription"\} 1\b/);
    await queue.close();
  });

  it('a new run on Strava becomes visible through the webhook', async () => {
    await subscribedWorker();
    const { athleteId, userId } = await syncedAthlete();
    const { activity } = await stack.sandboxCall<{ activity: { id: number } }>(
      'POST',
      `/athletes/${athleteId}/activities`,
      {
        sport_type: 'TrailRun',
        name: 'Webhook trail',
      },
    );
    const run = await waitFor(async () =>
      (await stack.storedRuns(userId)).find((item) => item.stravaId === activity.id),
    );
    expect(run).toMatchObject({ name: 'Webhook trail', sportType: 'TrailRun' });
    expect((await stack.syncState(userId))?.reason).toBe(SyncReason.Webhook);
  });

  it('an old activity changed or uploaded on Strava is read, though incremental syncs do not reach back to it', async () => {
    await subscribedWorker();
    const { athleteId, userId } = await syncedAthlete();
    const stored = await stack.storedRuns(userId);
    const oldest = stored.at(-1)!;
    const longAgo = new Date(Date.parse(oldest.startDate) + 3_600_000).toISOString();
    expect(Date.parse(stored[0]!.startDate) - Date.parse(longAgo)).toBeGreaterThan(30 * 86_400_000);

    // Renamed years later; a race from long ago uploaded today; an old ride corrected to a run.
    await stack.sandboxCall('PUT', `/activities/${oldest.stravaId}`, { name: 'Renamed years later' });
    const { activity: uploaded } = await stack.sandboxCall<{ activity: { id: number } }>(
      'POST',
      `/athletes/${athleteId}/activities`,
      {
        sport_type: 'Run',
        name: 'Old race, uploaded today',
        start_date: longAgo,
      },
    );
    const { activity: ride } = await stack.sandboxCall<{ activity: { id: number } }>(
      'POST',
      `/athletes/${athleteId}/activities`,
      {
        sport_type: 'Ride',
        name: 'Was a run all along',
        start_date: longAgo,
      },
    );
    await waitFor(
      async () =>
        (await stack.syncState(userId))?.status === SyncStatus.Done &&
        !(await stack.storedRuns(userId)).some((run) => run.stravaId === ride.id),
    );
    await stack.sandboxCall('PUT', `/activities/${ride.id}`, { sport_type: 'Run' });

    const byId = await waitFor(async () => {
      const runs = new Map((await stack.storedRuns(userId)).map((run) => [run.stravaId, run]));
      return runs.get(oldest.stravaId)?.name === 'Renamed years later' && runs.has(uploaded.id) && runs.has(ride.id)
        ? runs
        : undefined;
    });
    expect(byId.get(uploaded.id)).toMatchObject({
      name: 'Old race, uploaded today',
      startDate: longAgo.replace(/\.\d+Z$/, 'Z'),
    });
    expect(byId.get(ride.id)).toMatchObject({ name: 'Was a run all along', sportType: 'Run' });
    expect(byId.size).toBe(stored.length + 2);
  });

  it('an activity deleted on Strava, or no longer a run, leaves Runnerly', async () => {
    await subscribedWorker();
    const { userId } = await syncedAthlete();
    const [first, second] = await stack.storedRuns(userId);
    await stack.sandboxCall('DELETE', `/activities/${first!.stravaId}`);
    await stack.sandboxCall('PUT', `/activities/${second!.stravaId}`, { sport_type: 'Ride' });
    await waitFor(async () => {
      const ids = new Set((await stack.storedRuns(userId)).map((run) => run.stravaId));
      return !ids.has(first!.stravaId) && !ids.has(second!.stravaId);
    });
  });

  it('an athlete who deauthorizes Runnerly is deleted with all their runs', async () => {
    await subscribedWorker();
    const { athleteId, userId } = await syncedAthlete();
    const { userId: otherId } = await syncedAthlete(1);
    await stack.sandboxCall('POST', `/athletes/${athleteId}/revoke`);
    await waitFor(async () => (await stack.data.findUserByStravaAthleteId(athleteId)) === undefined);
    expect(await stack.syncState(userId)).toBeUndefined();
    expect((await stack.storedRuns(otherId)).length).toBeGreaterThan(0);
  });
});
