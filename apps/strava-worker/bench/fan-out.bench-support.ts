// The scheduled fan-out over many athletes, and only the fan-out: connected athletes seeded
// straight into the data-service's tables, one fan-out job run by a real worker process
// (`src/main.ts` with a memory probe preloaded), the sync jobs it queues left waiting (the sync
// queue is paused). 1,000 athletes is the same-run baseline of 10,000 and 100,000 (one database,
// grown between the sizes). Each size runs twice in its
// process: as in production (peaks, time), then again with a full GC every 100 ms, whose leftovers
// (the live heap) show whether the worker holds more the more athletes it has queued.
import 'reflect-metadata';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRedisConnection, JobName, jobOptions, KEY_PREFIX, QUEUE_PREFIX, QueueName } from '@runnerly/jobs';
import { type RedisClient, redisPrimaries } from '@runnerly/platform';
import { freePort, type ServiceProcess, startService } from '@runnerly/testing';
import { type Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { Stack } from '../test/harness.js';
import { type BenchResult, compared } from '../../../bench/types.js';
import type { MemoryReport, ProbeRequest } from './memory-probe.js';

/** The first size is the baseline of the others. */
const SIZES = [1_000, 10_000, 100_000] as const;
/**
 * The live pass: forced full collections about this many times over the fan-out (its length taken
 * from the production-like pass), so that even the 1,000-athlete run, over in a fraction of a second,
 * is measured mid-run and not only at its end; but never more often than every 500 ms for long runs
 * (every 100 ms starved the worker at 100,000 athletes on the loaded 2-core machine: full
 * collections back to back, the job past 120 s), nor than every 20 ms.
 */
const COLLECTIONS_PER_RUN = 8;
const collectEveryMs = (seconds: number) =>
  Math.round(Math.min(500, Math.max(20, (seconds * 1000) / COLLECTIONS_PER_RUN)));
/** Longest wait for one fan-out job. */
const FAN_OUT_TIMEOUT_MS = 600_000;
const FIRST_ATHLETE_ID = 70_000_000;
const WORKER_DIR = join(import.meta.dirname, '..');
const MiB = 2 ** 20;

interface FanOut {
  athletes: number;
  /** From the worker taking the job to the job done (the worker's own timestamps). */
  seconds: number;
  jobs: number;
  /** The production-like pass. */
  memory: MemoryReport;
  /** The same fan-out again, with forced collections. */
  live: MemoryReport;
  /** MEMORY USAGE summed over the sync queue's keys, and over the athletes' sync-state hashes. */
  queueBytes: number;
  stateBytes: number;
}

/** The worker as it runs in production (`src/main.ts`), in a process of its own, with the memory probe. */
class WorkerProcess {
  private constructor(private readonly service: ServiceProcess) {}

  static async start(stack: Stack): Promise<WorkerProcess> {
    const port = await freePort();
    const service = await startService({
      cwd: WORKER_DIR,
      nodeOptions: ['--expose-gc'],
      args: ['--import', './bench/memory-probe.ts', 'src/main.ts'],
      env: stack.workerEnv({ STRAVA_WORKER_PORT: String(port), STRAVA_WORKER_OPERATOR_PORT: '0', HOST: '127.0.0.1' }),
      ipc: true,
      readyUrl: `http://127.0.0.1:${port}/health/ready`,
      timeoutMs: 30_000,
      killAfterMs: 10_000,
    });
    return new WorkerProcess(service);
  }

  /** Sends `request` to the probe and resolves with the field `key` of its answer. */
  ask<T>(request: ProbeRequest, key: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (answer: unknown) => {
        if (typeof answer !== 'object' || answer === null || !(key in answer)) return;
        this.service.child.off('message', onMessage);
        resolve((answer as Record<string, T>)[key]!);
      };
      this.service.child.on('message', onMessage);
      if (!this.service.child.send(request)) reject(new Error(`could not send ${request.type} to the worker`));
    });
  }

  stop(): Promise<void> {
    return this.service.stop();
  }
}

async function keyBytes(client: RedisClient, pattern: string): Promise<number> {
  let total = 0;
  for (const redis of redisPrimaries(client)) total += await serverKeyBytes(redis, pattern);
  return total;
}

async function serverKeyBytes(redis: Redis, pattern: string): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 2000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    for (const [error, bytes] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      total += Number(bytes ?? 0);
    }
  } while (cursor !== '0');
  return total;
}

interface Queues {
  housekeeping: Queue;
  sync: Queue;
  events: QueueEvents;
}

/**
 * One fan-out job over an empty Redis (the sync queue paused), measured by the probe; checks that
 * it queued exactly one sync per athlete, nobody missed, nobody twice, nobody else.
 */
async function measureOnce(
  stack: Stack,
  queues: Queues,
  worker: WorkerProcess,
  athletes: readonly string[],
  collectEveryMs?: number,
): Promise<{ memory: MemoryReport; seconds: number; jobs: number }> {
  await stack.redis.flush();
  await queues.sync.pause();
  await worker.ask({ type: 'mark', ...(collectEveryMs ? { collectEveryMs } : {}) }, 'marked');
  const added = await queues.housekeeping.add(JobName.ScheduleSyncs, {}, jobOptions(JobName.ScheduleSyncs));
  const returned = (await added.waitUntilFinished(queues.events, FAN_OUT_TIMEOUT_MS)) as number;
  const memory = await worker.ask<MemoryReport>({ type: 'report' }, 'report');
  const job = await queues.housekeeping.getJob(added.id!);
  if (!job?.processedOn || !job.finishedOn) throw new Error('the fan-out job has no timestamps');

  const queued = (await queues.sync.getJobs(['waiting', 'prioritized', 'delayed', 'active'], 0, -1)).map(
    (sync) => (sync.data as { userId: string }).userId,
  );
  const expected = new Set(athletes);
  const distinct = new Set(queued);
  if (returned !== athletes.length || queued.length !== athletes.length || distinct.size !== athletes.length)
    throw new Error(
      `fan-out over ${athletes.length} athletes: returned ${returned}, ${queued.length} jobs, ${distinct.size} athletes`,
    );
  const stranger = queued.find((userId) => !expected.has(userId));
  if (stranger) throw new Error(`fan-out queued a sync for ${stranger}, not a seeded athlete`);
  return { memory, seconds: (job.finishedOn - job.processedOn) / 1000, jobs: queued.length };
}

/** Both passes over `athletes` in a fresh worker process. */
async function fanOut(stack: Stack, queues: Queues, athletes: readonly string[]): Promise<FanOut> {
  const worker = await WorkerProcess.start(stack);
  try {
    const production = await measureOnce(stack, queues, worker, athletes);
    console.log(`  fan-out over ${athletes.length} athletes, production-like pass: ${production.seconds.toFixed(2)} s`);
    const queueBytes = await keyBytes(stack.connection, `${QUEUE_PREFIX}:${QueueName.StravaSync}:*`);
    const stateBytes = await keyBytes(stack.connection, `${KEY_PREFIX}:sync-state:*`);
    const live = await measureOnce(stack, queues, worker, athletes, collectEveryMs(production.seconds));
    console.log(
      `  fan-out over ${athletes.length} athletes, pass with forced collections: ${live.seconds.toFixed(2)} s`,
    );
    return { athletes: athletes.length, ...production, live: live.memory, queueBytes, stateBytes };
  } finally {
    await worker.stop();
  }
}

const mib = (bytes: number) => bytes / MiB;
const heapGrowth = (run: FanOut) => mib(run.memory.peak.heapUsed - run.memory.baseline.heapUsed);
const rssGrowth = (run: FanOut) => mib(run.memory.peak.rss - run.memory.baseline.rss);
const settledGrowth = (run: FanOut) => mib(run.memory.settled.heapUsed - run.memory.baseline.heapUsed);
// The last collection (at the report) counts too: a short run may end before the first forced one.
const liveGrowth = (run: FanOut) =>
  mib(Math.max(run.live.peakLiveHeap ?? 0, run.live.settled.heapUsed) - run.live.baseline.heapUsed);

/** The rows of one size against the baseline size. */
function compare(large: FanOut, small: FanOut, seconds: { seeding: number; bench: number }): BenchResult[] {
  const sizes = `${large.athletes.toLocaleString('en-US')} athletes`;
  const baseline = `${small.athletes.toLocaleString('en-US')} athletes`;
  const ratio = large.athletes / small.athletes;
  const method = `real src/main.ts, a fresh process per size, full GC before the run, process.memoryUsage() every 20 ms (${large.memory.samples} samples); pages of 500 users`;
  return [
    compared(
      `scheduled fan-out, ${sizes}: worker live heap growth (forced full GCs)`,
      'MiB',
      liveGrowth(large),
      { name: baseline, value: liveGrowth(small) },
      {
        target: `flat: ratio ≈ 1 (loading every athlete would be ≈ ${ratio})`,
        notes: `largest heap left after a forced full GC during the fan-out or at its end (${large.live.collections} GCs, every ${collectEveryMs(large.seconds)} ms; ${small.live.collections} at the baseline, every ${collectEveryMs(small.seconds)} ms), over the heap before it; left after the production-like run: ${settledGrowth(large).toFixed(2)} vs ${settledGrowth(small).toFixed(2)} MiB`,
      },
    ),
    compared(
      `scheduled fan-out, ${sizes}: worker peak heap growth`,
      'MiB',
      heapGrowth(large),
      { name: baseline, value: heapGrowth(small) },
      {
        target: `not proportional: ≪ ${ratio}`,
        notes: `${method}. Garbage, not data: the 1k run is over before V8 needs a full GC; larger runs peak at the young generation plus what was promoted before the next full GC (the live heap above stays flat)`,
      },
    ),
    compared(
      `scheduled fan-out, ${sizes}: worker peak RSS growth`,
      'MiB',
      rssGrowth(large),
      { name: baseline, value: rssGrowth(small) },
      { target: `not proportional: ≪ ${ratio}`, notes: method },
    ),
    compared(
      `scheduled fan-out throughput, ${sizes}`,
      'athletes enqueued/s',
      large.athletes / large.seconds,
      { name: baseline, value: small.athletes / small.seconds },
      {
        target: 'ratio ≥ 1 (time linear in athletes)',
        notes: `fan-out job ${large.seconds.toFixed(2)} s vs ${small.seconds.toFixed(2)} s (worker's processedOn → finishedOn; the baseline also pays the cold start); seeding up to this size ${seconds.seeding.toFixed(1)} s; whole bench ${seconds.bench.toFixed(0)} s`,
      },
    ),
    compared(
      `scheduled fan-out, ${sizes}: sync jobs enqueued`,
      'jobs',
      large.jobs,
      { name: 'connected athletes', value: large.athletes },
      {
        target: 'ratio 1.00 exactly (asserted)',
        notes: `each seeded athlete once, nobody else (asserted in every run; ${small.jobs} of ${small.athletes} at the baseline)`,
      },
    ),
    compared(
      `scheduled fan-out, ${sizes}: Redis bytes per queued athlete (sync queue)`,
      'bytes',
      large.queueBytes / large.athletes,
      { name: baseline, value: small.queueBytes / small.athletes },
      {
        target: 'ratio ≈ 1 (Redis grows with the queue, linearly)',
        notes: `MEMORY USAGE over the sync queue's keys: ${mib(large.queueBytes).toFixed(1)} MiB vs ${mib(small.queueBytes).toFixed(1)} MiB; the athletes' sync-state hashes ${mib(large.stateBytes).toFixed(1)} MiB more (${(large.stateBytes / large.athletes).toFixed(0)} bytes per athlete)`,
      },
    ),
  ];
}

export async function runFanOutBench(): Promise<BenchResult[]> {
  const benchStarted = performance.now();
  const stack = await Stack.start({ athletes: 1 });
  const eventsConnection = createRedisConnection(stack.redis.url);
  const events = new QueueEvents(QueueName.Housekeeping, { connection: eventsConnection, prefix: QUEUE_PREFIX });
  const queues = { housekeeping: stack.queue(QueueName.Housekeeping), sync: stack.queue(QueueName.StravaSync), events };
  try {
    await events.waitUntilReady();
    // One database grown size by size: each fan-out runs over every athlete seeded so far.
    const athletes: string[] = [];
    const runs: Array<{ run: FanOut; seedSeconds: number }> = [];
    let seedSeconds = 0;
    for (const size of SIZES) {
      const seeding = performance.now();
      athletes.push(
        ...(await stack.seedAthletes({
          count: size - athletes.length,
          firstAthleteId: FIRST_ATHLETE_ID + athletes.length,
        })),
      );
      seedSeconds += (performance.now() - seeding) / 1000;
      const run = await fanOut(stack, queues, athletes);
      console.log(
        `  fan-out over ${size} athletes: ${run.seconds.toFixed(2)} s, live heap +${liveGrowth(run).toFixed(2)} MiB, ${run.jobs} jobs`,
      );
      runs.push({ run, seedSeconds });
    }
    const benchSeconds = (performance.now() - benchStarted) / 1000;
    const [small, ...larger] = runs;
    return larger.flatMap(({ run, seedSeconds: seeding }) =>
      compare(run, small!.run, { seeding, bench: benchSeconds }),
    );
  } finally {
    await Promise.all([events.close(), queues.housekeeping.close(), queues.sync.close()]);
    eventsConnection.disconnect();
    await stack.close();
  }
}
