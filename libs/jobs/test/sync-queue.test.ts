import { leaseTestRedis, type TestRedis } from '@runnerly/testing';
import { Worker } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SyncReason } from '../src/job-payloads.js';
import { JobName, QUEUE_PREFIX, QueueName } from '../src/queue-names.js';
import { createRedisConnection } from '../src/redis.js';
import { SyncCooldownError, SyncQueue } from '../src/sync-queue.js';
import { SyncStatus } from '../src/sync-contract.js';

describe('SyncQueue and SyncStateStore', () => {
  let redis: TestRedis;
  let connection: RedisClient;
  let syncs: SyncQueue;

  beforeAll(async () => {
    redis = await leaseTestRedis();
    connection = createRedisConnection(redis.url);
    syncs = new SyncQueue(connection);
  });
  beforeEach(() => redis.flush());
  afterAll(async () => {
    await syncs.close();
    connection.disconnect();
    await redis.release();
  });

  it('collapses repeated requests for one athlete into one waiting job', async () => {
    const a = await syncs.requestSync('u1', { reason: SyncReason.Manual, requestId: 'r1' });
    const b = await syncs.requestSync('u1', { reason: SyncReason.Webhook });
    const c = await syncs.requestSync('u2', { reason: SyncReason.Scheduled });
    expect(b.jobId).toBe(a.jobId);
    expect(c.jobId).not.toBe(a.jobId);
    expect(await syncs.queue.getWaitingCount()).toBe(2);
    const job = await syncs.queue.getJob(a.jobId);
    expect(job?.name).toBe(JobName.SyncAthlete);
    expect(job?.data).toMatchObject({ userId: 'u1', reason: SyncReason.Manual, requestId: 'r1' });
    expect(job?.opts.attempts).toBeGreaterThan(1);
    expect(await syncs.state.get('u1')).toMatchObject({
      status: SyncStatus.Queued,
      reason: SyncReason.Webhook,
      disconnected: false,
    });
  });

  it('keeps one request that arrives while the athlete is being synced, and runs it afterwards', async () => {
    const processed: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const workerConnection = createRedisConnection(redis.url);
    const worker = new Worker(
      QueueName.StravaSync,
      async (job) => {
        processed.push(job.data.reason as string);
        if (processed.length === 1) {
          started();
          await gate;
        }
      },
      { connection: workerConnection, prefix: QUEUE_PREFIX },
    );
    await syncs.requestSync('u1', { reason: SyncReason.Manual });
    await running;
    await syncs.state.markRunning('u1');
    await syncs.requestSync('u1', { reason: SyncReason.Webhook });
    await syncs.requestSync('u1', { reason: SyncReason.Scheduled });
    // a request during the sync does not hide the running state
    expect((await syncs.state.get('u1'))?.status).toBe(SyncStatus.Running);
    release();
    await expect.poll(() => processed, { timeout: 10_000 }).toEqual([SyncReason.Manual, SyncReason.Scheduled]);
    await worker.close();
    workerConnection.disconnect();
  });

  it('takes one "sync now" per athlete per cooldown, in every process sharing Redis', async () => {
    const other = new SyncQueue(connection);
    await syncs.requestManualSync('m1', { requestId: 'r1' });
    const refused = await other.requestManualSync('m1').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SyncCooldownError);
    expect((refused as SyncCooldownError).retryAfterSeconds).toBeGreaterThan(55);
    expect((refused as SyncCooldownError).retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another athlete is not held back; the scheduler and webhooks never are.
    await other.requestManualSync('m2');
    await syncs.requestSync('m1', { reason: SyncReason.Scheduled });
    expect(await syncs.queue.getWaitingCount()).toBe(2);

    const quick = new SyncQueue(connection, {}, { manualCooldownMs: 150 });
    await quick.requestManualSync('m3');
    await expect(quick.requestManualSync('m3')).rejects.toBeInstanceOf(SyncCooldownError);
    await expect
      .poll(
        () =>
          quick.requestManualSync('m3').then(
            () => true,
            () => false,
          ),
        { timeout: 5_000 },
      )
      .toBe(true);
    await Promise.all([other.close(), quick.close()]);
  });

  it('records the life of a sync', async () => {
    const { state } = syncs;
    await state.markQueued('u3', SyncReason.Manual, new Date('2026-01-01T00:00:00Z'));
    await state.markRunning('u3', new Date('2026-01-01T00:00:01Z'));
    await state.addProgress('u3', { pages: 1, activities: 200, runsAdded: 150 });
    await state.addProgress('u3', { pages: 1, activities: 0 });
    await state.recordError('u3', { code: 'strava_unavailable', message: 'Strava answered 503' });
    await state.markDone('u3', new Date('2026-01-01T00:00:05Z'));
    expect(await state.get('u3')).toEqual({
      userId: 'u3',
      status: SyncStatus.Done,
      reason: SyncReason.Manual,
      requestedAt: '2026-01-01T00:00:00.000Z',
      lastStartedAt: '2026-01-01T00:00:01.000Z',
      lastFinishedAt: '2026-01-01T00:00:05.000Z',
      runsAdded: 150,
      progress: { pages: 2, activities: 200 },
      disconnected: false,
    });
    await state.markFailed('u3', { code: 'strava_revoked', message: 'the athlete revoked access' });
    await state.setDisconnected('u3', true);
    expect(await state.get('u3')).toMatchObject({
      status: SyncStatus.Failed,
      disconnected: true,
      lastError: { code: 'strava_revoked' },
    });
    await syncs.requestSync('u3', { reason: SyncReason.Connected });
    expect(await state.get('u3')).toMatchObject({ status: SyncStatus.Queued, disconnected: false });
    await state.remove('u3');
    expect(await state.get('u3')).toBeUndefined();
  });
});
