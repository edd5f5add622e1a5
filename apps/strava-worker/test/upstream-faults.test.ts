import { setTimeout as sleep } from 'node:timers/promises';
import { SyncReason, SyncStatus } from '@runnerly/jobs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ConnectedAthlete,
  connectFirstAthlete,
  expectIntact,
  FAST_RETRIES,
  OUTAGE_WAIT_MS,
  SLOW_PAGES,
  Stack,
  syncDone,
  syncPages,
  waitFor,
} from './harness.js';

/** What the worker depends on failing under it: the token-dealer gone, Strava's 5xx and timeouts. */
describe('upstream faults', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ athletes: 1, syncPolicy: FAST_RETRIES });
  });
  beforeEach(async () => {
    stack.tokenLifetimeSeconds = 600;
    if (!stack.dealer.listening) await stack.startTokenDealer(Number(new URL(stack.dealerUrl).port));
    await stack.reset();
  });
  afterAll(() => stack?.close());

  describe('token-dealer down', () => {
    it('syncs keep working on the cached token, mid-sync and for the next sync', async () => {
      const athlete = await connectFirstAthlete(stack);
      await stack.sandboxCall('PUT', '/settings', { faults: [SLOW_PAGES] });
      await stack.startWorker();
      const { jobId } = await stack.syncs.requestSync(athlete.userId, { reason: SyncReason.Manual });
      await syncPages(stack, athlete.userId, 1);
      await stack.stopTokenDealer();
      await stack.sandboxCall('PUT', '/settings', { faults: [] });
      const issued = stack.tokensIssued;

      await expectIntact(stack, athlete, jobId);
      expect((await stack.syncs.queue.getJob(jobId))?.attemptsMade).toBe(1);
      expect(stack.tokensIssued).toBe(issued);
    });

    it('once the cached token expired: a surfaced error, retried with backoff, and the sync completes when it is back', async () => {
      stack.tokenLifetimeSeconds = 2;
      const athlete = await connectFirstAthlete(stack);
      await stack.startWorker();
      // A first sync fills the worker's token cache.
      const first = await stack.syncs.requestSync(athlete.userId, { reason: SyncReason.Manual });
      const synced = await syncDone(stack, athlete.userId);
      expect(await stack.syncs.queue.getJob(first.jobId).then((job) => job?.getState())).toBe('completed');
      await stack.sandboxCall('POST', `/athletes/${athlete.id}/activities`, { sport_type: 'Run' });
      await stack.stopTokenDealer();
      // Past the token's lifetime: the worker has to ask the token-dealer again.
      await sleep(stack.tokenLifetimeSeconds * 1000);

      const { jobId } = await stack.syncs.requestSync(athlete.userId, { reason: SyncReason.Manual });
      const retrying = await waitFor(async () => {
        const job = await stack.syncs.queue.getJob(jobId);
        return job && job.attemptsMade >= 2 && job;
      }, OUTAGE_WAIT_MS);
      expect(await retrying.getState()).not.toBe('failed');
      expect(retrying.stacktrace?.[0]).toMatch(/token-dealer unreachable/);
      const state = await stack.syncState(athlete.userId);
      expect(state?.status).not.toBe(SyncStatus.Done);
      expect(state?.lastError?.code).toBe('token_dealer_unavailable');
      expect(state?.lastError?.message).toMatch(/token-dealer unreachable/);

      await stack.startTokenDealer(Number(new URL(stack.dealerUrl).port));
      const done = await syncDone(stack, athlete.userId, synced.lastFinishedAt);
      expect(done.runsAdded).toBe(1);
      stack.tokenLifetimeSeconds = 600;
      await expectIntact(stack, athlete, jobId);
    });
  });

  describe('Strava failing mid-pagination (sandbox faults)', () => {
    /** Activity-list requests the sandbox served. */
    async function listRequests(): Promise<number> {
      const counts = await stack.sandboxCall<{ byRoute: Record<string, number> }>('GET', '/requests');
      return counts.byRoute['GET /api/v3/athlete/activities'] ?? 0;
    }

    /**
     * One faulty answer: the job's first attempt failed with it (surfaced, not swallowed), the
     * second finished from the checkpoint: each page fetched once, plus the faulty one, plus the
     * empty page at the end.
     */
    async function expectResumedOnce(athlete: ConnectedAthlete, jobId: string, error: RegExp): Promise<void> {
      const state = await syncDone(stack, athlete.userId);
      expect(state.progress.pages).toBeGreaterThan(3);
      expect(await listRequests()).toBe(state.progress.pages + 1 + 1);
      const { settings } = await stack.sandboxCall<{ settings: { faults: Array<{ injected: number }> } }>(
        'GET',
        '/settings',
      );
      expect(settings.faults[0]?.injected).toBe(1);
      const job = await stack.syncs.queue.getJob(jobId);
      expect(job?.attemptsMade).toBe(2);
      expect(job?.stacktrace).toHaveLength(1);
      expect(job?.stacktrace?.[0]).toMatch(error);
      await expectIntact(stack, athlete, jobId);
      expect(state.runsAdded).toBe((await stack.runRows(athlete.userId)).rows - 1);
    }

    it.each([500, 503] as const)(
      'a %i on page 3: retried with backoff, resumed at page 3, every run once',
      async (status) => {
        const athlete = await connectFirstAthlete(stack);
        await stack.sandboxCall('PUT', '/settings', {
          faults: [{ path: 'athlete/activities', status, afterRequests: 2 }],
        });
        await stack.startWorker();
        const { jobId } = await stack.syncs.requestSync(athlete.userId, { reason: SyncReason.Manual });
        await expectResumedOnce(athlete, jobId, new RegExp(`StravaServerError: Strava server error ${status}`));
      },
    );

    it('page 2 hanging past the client timeout: retried, resumed at page 2, every run once', async () => {
      const athlete = await connectFirstAthlete(stack);
      await stack.sandboxCall('PUT', '/settings', {
        faults: [{ path: 'athlete/activities', hangMs: 5_000, afterRequests: 1 }],
      });
      await stack.startWorker({ STRAVA_TIMEOUT_MS: '1000' });
      const { jobId } = await stack.syncs.requestSync(athlete.userId, { reason: SyncReason.Manual });
      await expectResumedOnce(athlete, jobId, /StravaTimeoutError: Strava did not answer within 1000 ms/);
    });
  });
});
