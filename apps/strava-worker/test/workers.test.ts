import { QueueName, SyncReason, SyncStatus } from '@runnerly/jobs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Stack, waitFor, type Worker } from './harness.js';

async function metric(worker: Worker, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${worker.operatorUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith(`${name}{`) &&
        Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)),
    )
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('many workers, the schedule and shutdown', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start();
  });
  beforeEach(() => stack.reset());
  afterAll(() => stack.close());

  it('two workers share the schedule and Strava’s limit: every connected athlete once, no 429, no duplicate request', async () => {
    await stack.sandboxCall('PUT', '/settings', { shortPages: { every: 0 } });
    const athletes = await stack.athletes();
    const connected: Array<{ userId: string; runs: number; activities: number }> = [];
    for (const athlete of athletes.slice(0, 4)) {
      const { userId, accessToken } = await stack.connect(athlete.id);
      connected.push({
        userId,
        runs: (await stack.stravaRuns(accessToken)).length,
        activities: athlete.activity_count,
      });
    }
    const { userId: disconnectedId } = await stack.connect(athletes[4]!.id);
    await stack.data.deleteStravaToken(disconnectedId);
    // A fresh window with room for fewer requests than the syncs need: they must take turns.
    await stack.sandboxCall('PUT', '/settings', {
      rateLimits: { read15min: 7 },
      usage: { fifteenMinute: 0, daily: 0 },
    });
    const before = await stack.apiRequests();

    const env = { STRAVA_SYNC_SCHEDULER_ENABLED: 'true', STRAVA_SYNC_CONCURRENCY: '2' };
    const workers = [await stack.startWorker(env), await stack.startWorker(env)];
    const states = () => Promise.all(connected.map(({ userId }) => stack.syncState(userId)));
    await waitFor(async () => {
      const current = await states();
      if (current.every((state) => state?.status === SyncStatus.Done)) return true;
      const waiting = current.filter(
        (state) => state?.waitingUntil && new Date(state.waitingUntil) > stack.clock.now(),
      );
      if (waiting.length && !current.some((state) => state?.status === SyncStatus.Running))
        await stack.advanceClock(15 * 60);
      return false;
    }, 40_000);

    for (const { userId, runs } of connected) expect((await stack.storedRuns(userId)).length).toBe(runs);
    expect(await stack.syncState(disconnectedId)).toBeUndefined();
    const minimum = connected.reduce((sum, { activities }) => sum + Math.ceil(activities / 200) + 1, 0);
    expect((await stack.apiRequests()) - before).toBe(minimum);
    let limited = 0;
    for (const worker of workers) limited += await metric(worker, 'strava_requests_total', { outcome: 'rate_limited' });
    expect(limited).toBe(0);
    expect(await stack.syncs.queue.getFailedCount()).toBe(0);
  });

  it('a stopping worker hands its sync back; another finishes it without fetching a page twice', async () => {
    await stack.sandboxCall('PUT', '/settings', { shortPages: { every: 0 } });
    const [athlete] = await stack.athletes();
    const { userId, accessToken } = await stack.connect(athlete!.id);
    const runs = (await stack.stravaRuns(accessToken)).length;
    const before = await stack.apiRequests();
    // One run per data-service call: a slow sync, so that it is surely running when the worker stops.
    const first = await stack.startWorker({ STRAVA_SYNC_BATCH_SIZE: '1' });
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    await waitFor(async () => ((await stack.syncState(userId))?.progress.pages ?? 0) >= 1, 20_000);
    await first.close();

    const handedBack = await stack.syncState(userId);
    expect(handedBack?.status).toBe(SyncStatus.Queued);
    const queue = stack.queue(QueueName.StravaSync);
    expect((await queue.getJobCounts('wait', 'delayed', 'failed', 'active')).failed).toBe(0);
    expect(handedBack!.progress.pages).toBeLessThan(Math.ceil(athlete!.activity_count / 200));

    await stack.startWorker();
    await waitFor(async () => (await stack.syncState(userId))?.status === SyncStatus.Done, 30_000);
    expect((await stack.storedRuns(userId)).length).toBe(runs);
    expect((await stack.apiRequests()) - before).toBe(Math.ceil(athlete!.activity_count / 200) + 1);
    await queue.close();
  });
});
