// The strava-worker end to end against the in-process Strava sandbox, the data-service (real
// PostgreSQL) and Redis: first syncs of many athletes, requests per sync against the minimum,
// and how fast a webhook event becomes a visible run.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createRedisConnection, SyncQueue, SyncReason, SyncStatus } from '@runnerly/jobs';
import { freePort } from '@runnerly/testing';
import { PushSubscriptionService } from '../src/webhook/push-subscription.service.js';
import { Stack, waitFor } from '../test/harness.js';
import { type BenchResult, compared } from '../../../bench/types.js';

// The sandbox seeds at most its five profiles.
const ATHLETES = 5;
const WEBHOOK_EVENTS = 20;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runStravaWorkerBench(): Promise<BenchResult[]> {
  const stack = await Stack.start({ athletes: ATHLETES });
  // The queue uses this connection but does not own it (the apps share theirs): closed here.
  const syncsConnection = createRedisConnection(stack.redis.url);
  const syncs = new SyncQueue(syncsConnection, {});
  try {
    // Room for every request: this measures the worker, not Strava's limits.
    const limits = { overall15min: 1_000_000, overallDaily: 1_000_000, read15min: 1_000_000, readDaily: 1_000_000 };
    await stack.sandboxCall('PUT', '/settings', { rateLimits: limits, shortPages: { every: 0 } });
    const athletes = await stack.athletes();
    const users: Array<{ userId: string; accessToken: string; athleteId: number; activities: number }> = [];
    for (const athlete of athletes)
      users.push({ ...(await stack.connect(athlete.id)), athleteId: athlete.id, activities: athlete.activity_count });
    const totalActivities = users.reduce((sum, user) => sum + user.activities, 0);

    // Baseline: the same history read straight from the sandbox, one athlete after another, stored nowhere.
    let started = performance.now();
    for (const user of users) await stack.stravaActivities(user.accessToken);
    const rawPerSecond = totalActivities / ((performance.now() - started) / 1000);

    const port = await freePort();
    const worker = await stack.startWorker(
      {
        STRAVA_WEBHOOK_CALLBACK_URL: `http://127.0.0.1:${port}/strava/webhook`,
        STRAVA_RATE_LIMIT_15MIN: '1000000',
        STRAVA_RATE_LIMIT_DAILY: '1000000',
        STRAVA_SYNC_CONCURRENCY: '4',
      },
      {},
      port,
    );
    await worker.app.get(PushSubscriptionService).ensure();

    const before = await stack.apiRequests();
    started = performance.now();
    await syncs.requestSyncs(
      users.map((user) => user.userId),
      { reason: SyncReason.Manual },
    );
    await waitFor(async () => {
      const states = await Promise.all(users.map((user) => stack.syncState(user.userId)));
      return states.every((state) => state?.status === SyncStatus.Done);
    }, 600_000);
    const seconds = (performance.now() - started) / 1000;
    const firstSyncRequests = (await stack.apiRequests()) - before;
    const minimum = users.reduce((sum, user) => sum + Math.ceil(user.activities / 200) + 1, 0);

    // Incremental: one new run each, all athletes again.
    for (const user of users)
      await stack.sandboxCall('POST', `/athletes/${user.athleteId}/activities`, { sport_type: 'Run' });
    // Let the webhook-triggered syncs settle before measuring a scheduled round.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const beforeIncremental = await stack.apiRequests();
    const finishedBefore = new Map(
      await Promise.all(
        users.map(async (user) => [user.userId, (await stack.syncState(user.userId))?.lastFinishedAt] as const),
      ),
    );
    await syncs.requestSyncs(
      users.map((user) => user.userId),
      { reason: SyncReason.Scheduled },
    );
    await waitFor(async () => {
      const states = await Promise.all(users.map((user) => stack.syncState(user.userId)));
      return states.every(
        (state, index) =>
          state?.status === SyncStatus.Done && state?.lastFinishedAt !== finishedBefore.get(users[index]!.userId),
      );
    }, 120_000);
    const incrementalRequests = (await stack.apiRequests()) - beforeIncremental;

    // Webhook: a run created on Strava until it is visible through the data-service.
    const latencies: number[] = [];
    const user = users[0]!;
    for (let index = 0; index < WEBHOOK_EVENTS; index += 1) {
      const t0 = performance.now();
      const { activity } = await stack.sandboxCall<{ activity: { id: number } }>(
        'POST',
        `/athletes/${user.athleteId}/activities`,
        {
          sport_type: 'Run',
          name: `bench ${index}`,
        },
      );
      await waitFor(
        async () =>
          (await stack.data.listRuns(user.userId, { limit: 5 })).items.some((run) => run.stravaId === activity.id),
        10_000,
      );
      latencies.push(performance.now() - t0);
    }

    return [
      compared(
        'first sync, activities per second end to end',
        'activities/s',
        totalActivities / seconds,
        { name: 'raw sandbox read, no storage', value: rawPerSecond },
        {
          notes: `${users.length} athletes, ${totalActivities} activities (3 years each), concurrency 4, one process, everything on one 2-core machine`,
        },
      ),
      compared(
        'Strava requests, first syncs',
        'requests',
        firstSyncRequests,
        { name: 'minimum Σ ceil(n/200)+1', value: minimum },
        { target: 'ratio 1.00' },
      ),
      compared(
        'Strava requests, incremental syncs (1 new run each)',
        'requests',
        incrementalRequests,
        { name: 'minimum Σ ceil(1/200)+1', value: 2 * users.length },
        {
          target: 'ratio 1.00',
        },
      ),
      compared(
        'webhook event → visible run, p95',
        'ms',
        percentile(latencies, 95),
        { name: 'target', value: 2000 },
        {
          target: '< 2000 ms at p95',
          notes: `${WEBHOOK_EVENTS} events, p50 ${percentile(latencies, 50).toFixed(0)} ms`,
        },
      ),
    ];
  } finally {
    await syncs.close();
    syncsConnection.disconnect();
    await stack.close();
  }
}
