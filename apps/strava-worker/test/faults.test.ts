import { QueueName, SyncReason, SyncStatus } from '@runnerly/jobs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Stack, waitFor, type Worker } from './harness.js';

/** A counter of the worker's own Prometheus metrics, summed over the labels that match. */
async function metric(worker: Worker, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${worker.operatorUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

describe('sync faults: rate limits, tokens, revocation, data-service outage', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start();
  });
  beforeEach(() => stack.reset());
  afterAll(() => stack.close());

  const state = (userId: string) => stack.syncState(userId);

  /** Moves both clocks a window ahead whenever the sync waits for one, until it is done. */
  const advanceUntilDone = (userId: string) =>
    waitFor(async () => {
      const current = await state(userId);
      if (current?.status === SyncStatus.Done) return true;
      if (current?.waitingUntil && new Date(current.waitingUntil) > stack.clock.now()) {
        await stack.advanceClock(
          Math.ceil((new Date(current.waitingUntil).getTime() - stack.clock.now().getTime()) / 1000),
        );
      }
      return false;
    }, 30_000);

  it('a 429 mid-sync parks the job (not failed) until the window resets, then resumes where it stopped', async () => {
    await stack.sandboxCall('PUT', '/settings', { rateLimits: { read15min: 3 }, shortPages: { every: 0 } });
    const [athlete] = await stack.athletes();
    const { userId } = await stack.connect(athlete!.id);
    const worker = await stack.startWorker();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    // The worker learns the limit from Strava's headers and stops at it by itself.
    await waitFor(async () => (await state(userId))?.progress.pages === 3 && (await state(userId))?.waitingUntil);
    expect(await metric(worker, 'strava_requests_total', { outcome: 'rate_limited' })).toBe(0);

    // Next window: another application sharing the limits spends it all before the worker wakes up.
    await stack.sandboxCall('POST', '/clock', { advance_seconds: 15 * 60 });
    await stack.sandboxCall('PUT', '/settings', { usage: { fifteenMinute: 3 } });
    stack.clock.offsetMs += 15 * 60 * 1000;
    await waitFor(async () => (await metric(worker, 'strava_requests_total', { outcome: 'rate_limited' })) === 1);
    const parked = await waitFor(async () => {
      const current = await state(userId);
      return !!current?.waitingUntil && new Date(current.waitingUntil) > stack.clock.now() && current;
    });
    expect(parked.status).toBe(SyncStatus.Queued);
    expect(parked.progress.pages).toBe(3);
    const queue = stack.queue(QueueName.StravaSync);
    expect(await queue.getFailedCount()).toBe(0);

    const pages = Math.ceil(athlete!.activity_count / 200);
    await advanceUntilDone(userId);
    const done = await state(userId);
    expect(done?.progress.pages).toBe(pages);
    expect(done?.runsAdded).toBe((await stack.storedRuns(userId)).length);
    expect(await queue.getFailedCount()).toBe(0);
    const [job] = await queue.getCompleted();
    // Completed by its first attempt: waiting for the windows used none.
    expect(job?.stacktrace).toEqual([]);
    expect(job?.attemptsMade).toBe(1);
    // Each page once, plus the empty page, plus the one request Strava refused.
    expect(await stack.apiRequests()).toBe(pages + 1 + 1);
    await queue.close();
  });

  it('at the limit it waits without ever drawing a 429, the daily limit included', async () => {
    await stack.sandboxCall('PUT', '/settings', {
      rateLimits: { read15min: 2, readDaily: 4 },
      shortPages: { every: 0 },
    });
    const [athlete] = await stack.athletes();
    const { userId } = await stack.connect(athlete!.id);
    const worker = await stack.startWorker();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    const parkedShort = await waitFor(async () => {
      const current = await state(userId);
      return !!current?.waitingUntil && current;
    });
    expect(parkedShort?.progress.pages).toBe(2);
    await stack.advanceClock(15 * 60);
    const parkedDaily = await waitFor(async () => {
      const current = await state(userId);
      return current?.progress.pages === 4 && !!current.waitingUntil && current;
    });
    // Parked until midnight UTC: the daily window.
    expect(new Date(parkedDaily.waitingUntil!).getUTCHours()).toBe(0);
    expect(new Date(parkedDaily.waitingUntil!).getUTCMinutes()).toBe(0);
    await stack.advanceClock(24 * 3600);
    await waitFor(async () => (await state(userId))?.status === SyncStatus.Done, 30_000);
    expect(await metric(worker, 'strava_requests_total', { outcome: 'rate_limited' })).toBe(0);
    expect(await metric(worker, 'strava_requests_total', { outcome: 'refused_locally' })).toBe(0);
  });

  it('an access token that dies mid-sync is refreshed once and the new pair stored back', async () => {
    await stack.sandboxCall('PUT', '/settings', { rotateRefreshTokens: true });
    const [athlete] = await stack.athletes();
    const { userId, accessToken } = await stack.connect(athlete!.id);
    const stored = await stack.data.getStravaToken(userId);
    // Strava kills the token early; the stored expiry still says hours left.
    await stack.sandboxCall('POST', '/tokens/expire', { access_token: accessToken, expires_in: 0 });
    await stack.startWorker();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    await waitFor(async () => (await state(userId))?.status === SyncStatus.Done);
    const fresh = await stack.data.getStravaToken(userId);
    expect(fresh.accessToken).not.toBe(stored.accessToken);
    expect(fresh.refreshToken).not.toBe(stored.refreshToken);
    expect(fresh.scope).toBe(stored.scope);
    expect((await stack.storedRuns(userId)).length).toBe((await stack.stravaRuns(fresh.accessToken)).length);
  });

  it('tokens that expire while the sync waits for the rate limit are refreshed before it goes on', async () => {
    await stack.sandboxCall('PUT', '/settings', { rateLimits: { read15min: 2 }, shortPages: { every: 0 } });
    const [athlete] = await stack.athletes();
    const { userId } = await stack.connect(athlete!.id);
    const stored = await stack.data.getStravaToken(userId);
    await stack.startWorker();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    await waitFor(async () => (await state(userId))?.waitingUntil);
    await stack.advanceClock(7 * 3600);
    await advanceUntilDone(userId);
    expect((await stack.data.getStravaToken(userId)).expiresAt).toBeGreaterThan(stored.expiresAt);
    expect((await state(userId))?.lastError).toBeUndefined();
  });

  it('a revoked athlete is marked disconnected and not retried', async () => {
    const [athlete] = await stack.athletes();
    const { userId } = await stack.connect(athlete!.id);
    await stack.sandboxCall('POST', `/athletes/${athlete!.id}/revoke`);
    await stack.startWorker();
    const { jobId } = await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    const failed = await waitFor(async () => {
      const current = await state(userId);
      return current?.status === SyncStatus.Failed && current;
    });
    expect(failed).toMatchObject({ disconnected: true, lastError: { code: 'strava_revoked' } });
    const job = await stack.syncs.queue.getJob(jobId);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe('failed');
    expect((await stack.data.getUser(userId)).connected).toBe(false);
    expect((await stack.data.listUsers({ connected: 'true' })).items.some((user) => user.id === userId)).toBe(false);
  });

  it('data-service down: the sync retries with backoff and completes once it is back, nothing lost or doubled', async () => {
    const [athlete] = await stack.athletes();
    const { userId, accessToken } = await stack.connect(athlete!.id);
    const port = Number(new URL(stack.dataServiceUrl).port);
    await stack.startWorker({ STRAVA_JOB_ATTEMPTS: '12', STRAVA_JOB_BACKOFF_MS: '100' });
    await stack.stopDataService();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    await waitFor(async () => (await state(userId))?.lastError?.code === 'data_service_unavailable');
    await stack.startDataService(port);
    const done = await waitFor(async () => {
      const current = await state(userId);
      return current?.status === SyncStatus.Done && current;
    }, 40_000);
    const runs = await stack.storedRuns(userId);
    expect(done.lastError).toBeUndefined();
    expect(new Set(runs.map((run) => run.stravaId)).size).toBe(runs.length);
    expect(runs.length).toBe((await stack.stravaRuns(accessToken)).length);
  });
});
