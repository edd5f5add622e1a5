import { SyncReason, SyncStatus } from '@runnerly/jobs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STRAVA_RATE_LIMITER } from '../src/common/tokens.js';
import type { StravaRateLimiter } from '../src/rate-limit/strava-rate-limiter.js';
import { Stack, waitFor } from './harness.js';

/**
 * Strava's budget is the application's, shared by every athlete: one athlete's long sync may not
 * take more than its share of a 15-minute window while another athlete's sync waits.
 */
describe('fair share of the Strava budget', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ athletes: 2 });
  });
  beforeEach(() => stack.reset());
  afterAll(() => stack.close());

  it('parks an athlete at their share of the window while another athlete waits, and finishes them afterwards', async () => {
    const [big, small] = await stack.athletes();
    const a = await stack.connect(big!.id);
    const b = await stack.connect(small!.id);
    const env = {
      STRAVA_RATE_LIMIT_15MIN: '20',
      STRAVA_RATE_LIMIT_ATHLETE_SHARE_PERCENT: '25',
      STRAVA_SYNC_CONCURRENCY: '1',
    };
    // B has synced before: its next sync is short. A has never synced: its history is many pages.
    const first = await stack.startWorker(env);
    await stack.syncs.requestSync(b.userId, { reason: SyncReason.Connected });
    await waitFor(async () => (await stack.syncState(b.userId))?.status === SyncStatus.Done);
    await first.close();
    // A fresh 15-minute window, just begun.
    const intoWindow = stack.clock.now().getTime() % 900_000;
    await stack.advanceClock(Math.ceil((900_000 - intoWindow) / 1000) + 1);
    await stack.sandboxCall('POST', `/athletes/${small!.id}/activities`, { sport_type: 'Run', name: 'While A syncs' });

    // A first, B behind it; one sync at a time. A parked: it waits a long while unless promoted.
    const { jobId } = await stack.syncs.requestSync(a.userId, { reason: SyncReason.Manual });
    await stack.syncs.requestSync(b.userId, { reason: SyncReason.Manual });
    const worker = await stack.startWorker(env, { maxParkMs: 120_000 });
    const limiter = worker.app.get<StravaRateLimiter>(STRAVA_RATE_LIMITER);

    const bDone = await waitFor(async () => {
      const state = await stack.syncState(b.userId);
      return state?.status === SyncStatus.Done && (state.runsAdded ?? 0) === 1 && state;
    }, 60_000);
    expect(bDone.runsAdded).toBe(1);
    // A used its share (25 % of 20) and stepped aside, parked with its checkpoint, not failed.
    const aState = await stack.syncState(a.userId);
    expect(aState?.status).toBe(SyncStatus.Queued);
    expect(aState?.waitingUntil).toEqual(expect.any(String));
    expect(aState?.progress.pages).toBeGreaterThan(0);
    expect(await limiter.athleteUsage(a.userId)).toBe(5);
    expect(await stack.syncs.queue.getJob(jobId).then((job) => job?.getState())).toBe('delayed');
    const metrics = await (await fetch(`${worker.operatorUrl}/metrics`)).text();
    expect(metrics).toMatch(/strava_sync_jobs_total\{outcome="fair_share"\} [1-9]/);

    // Nobody waits now: A goes on from its checkpoint and stores its whole history once.
    await (await stack.syncs.queue.getJob(jobId))!.promote();
    const aDone = await waitFor(async () => {
      const state = await stack.syncState(a.userId);
      return state?.status === SyncStatus.Done && state;
    }, 60_000);
    expect(aDone.lastError).toBeUndefined();
    const stravaRuns = (await stack.stravaRuns(a.accessToken)).length;
    expect(await stack.runRows(a.userId)).toEqual({ rows: stravaRuns, distinct: stravaRuns });
  });
});
