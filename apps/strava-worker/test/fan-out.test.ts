import {
  createRedisConnection,
  JobName,
  jobOptions,
  QUEUE_PREFIX,
  QueueName,
  SyncReason,
  SyncStatus,
} from '@runnerly/jobs';
import { type Queue, QueueEvents } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Stack, type Worker } from './harness.js';

const CONNECTED = 2_000;
const DISCONNECTED = 150;

describe('scheduled fan-out over thousands of athletes', () => {
  let stack: Stack;
  let housekeeping: Queue;
  let syncQueue: Queue;
  let eventsConnection: RedisClient;
  let events: QueueEvents;
  let worker: Worker | undefined;
  let connected: string[];
  let disconnected: string[];

  beforeAll(async () => {
    stack = await Stack.start({ athletes: 1 });
    housekeeping = stack.queue(QueueName.Housekeeping);
    syncQueue = stack.queue(QueueName.StravaSync);
    connected = await stack.seedAthletes({ count: CONNECTED, firstAthleteId: 50_000_000 });
    disconnected = await stack.seedAthletes({
      count: DISCONNECTED,
      firstAthleteId: 60_000_000,
      connected: false,
    });
    eventsConnection = createRedisConnection(stack.redis.url);
    events = new QueueEvents(QueueName.Housekeeping, { connection: eventsConnection, prefix: QUEUE_PREFIX });
    await events.waitUntilReady();
  });
  // Not stack.reset(): it would delete the seeded athletes one by one.
  beforeEach(async () => {
    await stack.redis.flush();
    // The sync jobs stay queued: this tests what the fan-out enqueues, not the syncs themselves.
    await syncQueue.pause();
    worker = await stack.startWorker();
  });
  afterEach(() => worker?.close());
  afterAll(async () => {
    await Promise.all([events.close(), housekeeping.close(), syncQueue.close()]);
    eventsConnection.disconnect();
    await stack.close();
  });

  /** One fan-out job, as the job scheduler adds it, run by a real worker; what it returned. */
  async function fanOut(): Promise<number> {
    const job = await housekeeping.add(JobName.ScheduleSyncs, {}, jobOptions(JobName.ScheduleSyncs));
    return (await job.waitUntilFinished(events, 30_000)) as number;
  }

  async function queuedUserIds(): Promise<string[]> {
    const jobs = await syncQueue.getJobs(['waiting', 'prioritized', 'delayed', 'active'], 0, -1);
    return jobs.map((job) => (job.data as { userId: string }).userId);
  }

  it('queues exactly one sync per connected athlete: none missed, none twice, none for the disconnected', async () => {
    // An athlete already waiting (a manual sync) joins the scheduled round instead of doubling it.
    await stack.syncs.requestSync(connected[0]!, { reason: SyncReason.Manual });

    expect(await fanOut()).toBe(CONNECTED);
    const queued = await queuedUserIds();
    expect(queued).toHaveLength(CONNECTED);
    expect(new Set(queued).size).toBe(CONNECTED);
    expect([...queued].sort()).toEqual([...connected].sort());
    expect(queued.filter((id) => disconnected.includes(id))).toEqual([]);
    expect(await stack.syncState(connected.at(-1)!)).toMatchObject({
      status: SyncStatus.Queued,
      reason: SyncReason.Scheduled,
    });

    // The next round while these still wait adds nothing.
    expect(await fanOut()).toBe(CONNECTED);
    expect(await queuedUserIds()).toHaveLength(CONNECTED);
  });

  it('a retried fan-out resumes at its saved cursor and still queues every athlete once', async () => {
    const firstPage = await stack.data.listUsers({ connected: 'true', limit: 500 });
    const job = await housekeeping.add(
      JobName.ScheduleSyncs,
      { cursor: firstPage.nextCursor!, queued: 0 },
      jobOptions(JobName.ScheduleSyncs),
    );
    expect(await job.waitUntilFinished(events, 30_000)).toBe(CONNECTED - 500);
    const queued = await queuedUserIds();
    expect(new Set(queued).size).toBe(queued.length);
    expect(queued.filter((id) => firstPage.items.some((user) => user.id === id))).toEqual([]);

    expect(await fanOut()).toBe(CONNECTED);
    expect([...(await queuedUserIds())].sort()).toEqual([...connected].sort());
  });
});
