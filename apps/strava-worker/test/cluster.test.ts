import { KEY_PREFIX, QUEUE_PREFIX, SyncReason, SyncStatus } from '@runnerly/jobs';
import { freePort, redisClusterUnavailable, startRedisCluster, type TestRedisCluster } from '@runnerly/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PushSubscriptionService } from '../src/webhook/push-subscription.service.js';
import { connectFirstAthlete, expectIntact, FAST_RETRIES, SLOW_PAGES, Stack, syncPages, waitFor } from './harness.js';

/**
 * The worker on a real Redis Cluster (3 primaries, 3 replicas, from the machine's redis-server):
 * BullMQ's queues and schedulers, the sync state, checkpoints and rechecks, the rate limiter's and
 * the webhook guard's scripts. Any command over keys of two slots would fail here (CROSSSLOT).
 */
describe.skipIf(redisClusterUnavailable())('strava-worker on a Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let stack: Stack;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    stack = await Stack.start({ athletes: 2, redis: cluster, syncPolicy: FAST_RETRIES });
  });
  beforeEach(async () => {
    await cluster.heal();
    await stack.reset();
  });
  // The stack releases its Redis; without a stack, the cluster must not outlive the test.
  afterAll(() => (stack ? stack.close() : cluster?.release()));

  it.for<{ holding: string; key: (userId: string) => string }>([
    { holding: "the queues' slot ({runnerly})", key: () => `${QUEUE_PREFIX}:strava-sync:wait` },
    { holding: "the athlete's sync state", key: (userId: string) => `${KEY_PREFIX}:sync-state:${userId}` },
  ])(
    'a primary holding $holding fails over mid-sync: the job completes, every run stored once',
    { timeout: 120_000 },
    async ({ key }, { annotate }) => {
      const athlete = await connectFirstAthlete(stack);
      await stack.sandboxCall('PUT', '/settings', { faults: [SLOW_PAGES] });
      await stack.startWorker();
      const { jobId } = await stack.syncs.requestSync(athlete.userId, { reason: SyncReason.Manual });
      await syncPages(stack, athlete.userId, 2);

      const failover = await cluster.failover(key(athlete.userId));
      expect(failover.promoted).not.toBe(failover.killed);
      expect((await stack.syncState(athlete.userId))?.status).not.toBe(SyncStatus.Done);
      await stack.sandboxCall('PUT', '/settings', { faults: [] });

      // Done without an error, each Strava run once in PostgreSQL, the job completed, nothing
      // failed, active or waiting, and a later sync adds exactly the one new run.
      const state = await expectIntact(stack, athlete, jobId);
      expect(state.progress.pages).toBeGreaterThan(2);
      const runs = (await stack.runRows(athlete.userId)).rows;
      await annotate(
        `primary ${failover.killed} → ${failover.promoted} in ${failover.ms} ms; ${runs} runs stored once`,
      );
    },
  );

  it("webhook events: the guard's and the rechecks' scripts, then a deauthorization forgets the athlete", async () => {
    const port = await freePort();
    const worker = await stack.startWorker(
      { STRAVA_WEBHOOK_CALLBACK_URL: `http://127.0.0.1:${port}/strava/webhook` },
      {},
      port,
    );
    // The subscription's id is kept in Redis; the sandbox then delivers real events.
    expect(await worker.app.get(PushSubscriptionService).ensure()).toBe('created');
    const [first, second] = await stack.athletes();
    const users = [];
    for (const athlete of [first!, second!]) {
      const { userId } = await stack.connect(athlete.id);
      await stack.syncs.requestSync(userId, { reason: SyncReason.Connected });
      users.push(userId);
    }
    for (const userId of users) await waitFor(async () => (await stack.syncState(userId))?.status === SyncStatus.Done);
    const [userId, otherId] = users as [string, string];
    const stored = await stack.storedRuns(userId);

    // An old run renamed: only a webhook event's recheck reaches back to it.
    const oldest = stored.at(-1)!;
    await stack.sandboxCall('PUT', `/activities/${oldest.stravaId}`, { name: 'Renamed on a cluster' });
    await waitFor(async () =>
      (await stack.storedRuns(userId)).some(
        (run) => run.stravaId === oldest.stravaId && run.name === 'Renamed on a cluster',
      ),
    );

    await stack.sandboxCall('POST', `/athletes/${first!.id}/revoke`);
    await waitFor(async () => (await stack.data.findUserByStravaAthleteId(first!.id)) === undefined);
    expect(await stack.syncState(userId)).toBeUndefined();
    expect((await stack.storedRuns(otherId)).length).toBeGreaterThan(0);
  });
});
