import { setTimeout as sleep } from 'node:timers/promises';
import { SyncReason, SyncStatus } from '@runnerly/jobs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  connectFirstAthlete,
  expectIntact,
  FAST_RETRIES,
  OUTAGE_WAIT_MS,
  RedisServer,
  SLOW_PAGES,
  Stack,
  syncPages,
  waitFor,
} from './harness.js';

/** Processes killed in the middle of a sync (SIGKILL: no goodbye) and started again. */
describe('data-service killed (SIGKILL) mid-sync and brought back', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ athletes: 1, dataService: 'process', syncPolicy: FAST_RETRIES });
  });
  afterAll(() => stack?.close());

  it('the sync retries with backoff until it is back, then finishes: every run once, no job lost', async () => {
    const athlete = await connectFirstAthlete(stack);
    await stack.sandboxCall('PUT', '/settings', { faults: [SLOW_PAGES] });
    const port = Number(new URL(stack.dataServiceUrl).port);
    await stack.startWorker();
    const { jobId } = await stack.syncs.requestSync(athlete.userId, { reason: SyncReason.Manual });
    await syncPages(stack, athlete.userId, 1);
    await stack.killDataService();
    await stack.sandboxCall('PUT', '/settings', { faults: [] });

    const down = await waitFor(async () => {
      const state = await stack.syncState(athlete.userId);
      return state?.lastError?.code === 'data_service_unavailable' && state;
    }, OUTAGE_WAIT_MS);
    expect(down.status).not.toBe(SyncStatus.Done);
    const retrying = await waitFor(async () => {
      const job = await stack.syncs.queue.getJob(jobId);
      return job && job.attemptsMade >= 1 && job;
    }, OUTAGE_WAIT_MS);
    expect(await retrying.getState()).not.toBe('failed');
    expect(retrying.stacktrace?.[0]).toMatch(/ServiceClientError/);

    await stack.startDataService(port);
    await expectIntact(stack, athlete, jobId);
  });
});

describe('Redis killed (SIGKILL) mid-sync and restarted on its port with its data (AOF)', () => {
  let stack: Stack;
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
    stack = await Stack.start({ athletes: 1, redis, syncPolicy: FAST_RETRIES });
  });
  beforeEach(() => stack.reset());
  // The stack releases its Redis; without a stack, the server must not outlive the test.
  afterAll(() => (stack ? stack.close() : redis?.release()));

  it.each([
    { lapse: 'its commands fail: the job is retried', lockDurationMs: undefined },
    { lapse: 'its lock lapses too: the stalled job is taken over', lockDurationMs: 1_000 },
  ])('the worker reconnects and finishes the job ($lapse), every run once', async ({ lockDurationMs }) => {
    const athlete = await connectFirstAthlete(stack);
    await stack.sandboxCall('PUT', '/settings', { faults: [SLOW_PAGES] });
    await stack.startWorker({}, lockDurationMs ? { lockDurationMs } : {});
    const { jobId } = await stack.syncs.requestSync(athlete.userId, { reason: SyncReason.Manual });
    await syncPages(stack, athlete.userId, 2);
    await redis.kill();
    await stack.sandboxCall('PUT', '/settings', { faults: [] });
    // Down long enough for the worker's commands to fail (ioredis gives up on a command after two
    // failed reconnections) and for a short lock to lapse, not only for commands to queue up.
    await sleep(2_500);
    await redis.start();

    const state = await expectIntact(stack, athlete, jobId);
    // Resumed from its checkpoint, which survived in Redis' append-only file.
    expect(state.progress.pages).toBeGreaterThan(2);
    const job = await stack.syncs.queue.getJob(jobId);
    // Run again after the outage, whether retried after an error or taken over after stalling.
    expect(job?.attemptsStarted).toBeGreaterThanOrEqual(2);
  });
});
