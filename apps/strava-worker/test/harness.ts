import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestIssuer, type TestIssuer } from '@runnerly/auth/testing';
import { parseConfig } from '@runnerly/config';
import { DataServiceClient, type Run, STRAVA_WORKER_CALLER } from '@runnerly/data-client';
import {
  runRows,
  type SeedAthletes,
  seedAthletes,
  spawnDataService,
  startDataService,
  type TestDataService,
  testEncryptionKeys,
} from '@runnerly/data-service/testing';
import {
  createRedisConnection,
  JobName,
  type JobPolicy,
  QUEUE_PREFIX,
  QueueName,
  SyncQueue,
  SyncReason,
  type SyncState,
  SyncStateStore,
  SyncStatus,
} from '@runnerly/jobs';
import { operatorUrl, type RedisClient, startOperatorListener } from '@runnerly/platform';
import { ServiceClient } from '@runnerly/service-client';
import { StravaClient, type StravaSummaryActivity } from '@runnerly/strava';
import { startSandbox, type TestSandbox } from '@runnerly/strava-sandbox/testing';
import {
  createTestDatabase,
  freePort,
  leaseTestRedis,
  REDIS_SERVER_BINARY,
  type ServiceProcess,
  type TestDatabase,
  type TestRedis,
} from '@runnerly/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { createApp } from '../src/app.js';
import type { Clock } from '../src/common/clock.js';
import type { WorkerOptions } from '../src/common/worker-options.js';
import { StravaWorkerConfigSchema } from '../src/config.js';

export const STRAVA_CLIENT_ID = '424242';
// Secrets as they are generated (random): the worker refuses obviously weak ones at start.
export const STRAVA_CLIENT_SECRET = randomBytes(20).toString('hex');
export const VERIFY_TOKEN = randomBytes(18).toString('base64url');
/** Bull Board's operator password, and the header that carries it. */
export const BOARD_PASSWORD = randomBytes(18).toString('base64url');
export const OPERATOR_HEADERS = {
  authorization: `Basic ${Buffer.from(`operator:${BOARD_PASSWORD}`).toString('base64')}`,
};
const WORKER_CLIENT_SECRET = randomBytes(24).toString('base64url');
export const RUN_TYPES = new Set(['Run', 'TrailRun', 'VirtualRun']);

type App = Awaited<ReturnType<typeof createApp>>;

export interface Worker {
  app: App;
  url: string;
  /** The operator listener: metrics, docs, /queues and Bull Board. */
  operatorUrl: string;
  close(): Promise<void>;
}

/** A clock shared by the worker and the sandbox: real time plus an offset the test moves. */
export class TestClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/**
 * A token-dealer stand-in: client-credentials tokens signed by a real test issuer (real JWKS),
 * living `lifetimeSeconds()`; `onIssued` counts them.
 */
async function startTokenDealer(
  issuer: TestIssuer,
  lifetimeSeconds: () => number,
  onIssued: () => void,
  port = 0,
): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/oauth/token') {
        response.writeHead(404).end();
        return;
      }
      const form = new URLSearchParams(body);
      const scope = form.get('scope') ?? '';
      const expiresIn = lifetimeSeconds();
      const token = issuer.sign(
        { scope, aud: 'data-service', sub: 'strava-worker', client_id: 'strava-worker' },
        { expiresIn },
      );
      onIssued();
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** Closes a server at once, open (keep-alive) connections included: a service that went away. */
function closeHard(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

/**
 * A private `redis-server` on a free port, persisting every write (AOF, fsync always) into a
 * temporary directory, for tests that kill Redis and bring it back with its data. The machine's
 * Redis is never touched.
 */
export class RedisServer implements TestRedis {
  readonly db = 0;
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), await mkdtemp(join(tmpdir(), 'runnerly-redis-')));
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on its port and directory: what was written before the kill is back. */
  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', 'always');
    const child = spawn(REDIS_SERVER_BINARY, args, { stdio: 'ignore' });
    this.child = child;
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        try {
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          probe.disconnect();
          return false;
        }
      }, 10_000);
    } finally {
      probe.disconnect();
    }
  }

  /** SIGKILL: no shutdown, no final save; only the AOF survives. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async flush(): Promise<void> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 2 });
    await client.flushdb();
    client.disconnect();
  }

  async release(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Everything a worker needs, for real and in-process: Redis (a leased db, or a private server), the
 * Strava sandbox, the data-service on a fresh database (or as a child process, to be killed), a
 * token-dealer stand-in that can go away, and a token issuer.
 */
export class Stack {
  readonly clock = new TestClock();
  /** What the token-dealer stand-in gives its tokens to live, and how many it has issued. */
  tokenLifetimeSeconds = 600;
  tokensIssued = 0;
  redis!: TestRedis;
  connection!: RedisClient;
  state!: SyncStateStore;
  /** The producer side of the sync queue, as the dashboard and the webhooks use it. */
  syncs!: SyncQueue;
  private syncsConnection!: RedisClient;
  database!: TestDatabase;
  issuer!: TestIssuer;
  dealer!: Server;
  dealerUrl!: string;
  sandbox!: TestSandbox;
  sandboxUrl!: string;
  dataService: TestDataService | undefined;
  /** The data-service as a real process (`dataService: 'process'`), killable with SIGKILL. */
  dataServiceProcess: ServiceProcess | undefined;
  dataServiceUrl!: string;
  data!: DataServiceClient;
  strava!: StravaClient;
  private dataServiceEnv!: Record<string, string>;
  private readonly workers = new Set<Worker>();

  private constructor(private readonly dataServiceMode: 'in-process' | 'process') {}

  /**
   * `redis`: a Redis of the test's own (e.g. a private `RedisServer`; released with the stack)
   * instead of a leased db; `dataService: 'process'` runs the data-service as a child process;
   * `syncPolicy`: the retry policy of the sync jobs `syncs` produces (a job retries by the policy
   * of whoever queued it, not by the worker's configuration).
   */
  static async start({
    athletes = 5,
    redis,
    dataService = 'in-process',
    syncPolicy,
  }: {
    athletes?: number;
    redis?: TestRedis;
    dataService?: 'in-process' | 'process';
    syncPolicy?: JobPolicy;
  } = {}): Promise<Stack> {
    const stack = new Stack(dataService);
    [stack.redis, stack.database, stack.issuer] = await Promise.all([
      redis ?? leaseTestRedis(),
      createTestDatabase(),
      createTestIssuer(),
    ]);
    stack.connection = createRedisConnection(stack.redis.url);
    stack.state = new SyncStateStore(stack.connection);
    stack.syncsConnection = createRedisConnection(stack.redis.url);
    stack.syncs = new SyncQueue(stack.syncsConnection, syncPolicy ? { [JobName.SyncAthlete]: syncPolicy } : {});
    // The test's own clients wait through a Redis outage quietly (they reconnect by themselves).
    for (const emitter of [stack.connection, stack.syncsConnection, stack.syncs.queue] as EventEmitter[])
      emitter.on('error', () => undefined);
    await stack.startTokenDealer(0);
    stack.sandbox = await startSandbox({
      STRAVA_CLIENT_ID,
      STRAVA_CLIENT_SECRET,
      STRAVA_SANDBOX_ATHLETES: String(athletes),
      STRAVA_SANDBOX_WEBHOOK_RETRY_DELAY_MS: '100',
    });
    stack.sandboxUrl = stack.sandbox.url;
    stack.dataServiceEnv = {
      LOG_LEVEL: 'silent',
      DATABASE_URL: stack.database.url,
      DATABASE_POOL_SIZE: '4',
      TOKEN_DEALER_URL: stack.issuer.issuer,
      STRAVA_TOKEN_ENCRYPTION_KEYS: testEncryptionKeys(),
    };
    await stack.startDataService(dataService === 'process' ? await freePort() : 0);
    stack.data = new DataServiceClient(
      new ServiceClient({
        baseUrl: stack.dataServiceUrl,
        tokenDealerUrl: stack.dealerUrl,
        clientId: 'test',
        clientSecret: 'test',
        audience: STRAVA_WORKER_CALLER.audience,
        scope: STRAVA_WORKER_CALLER.scopes.join(' '),
      }),
    );
    stack.strava = new StravaClient({
      baseUrl: stack.sandboxUrl,
      clientId: STRAVA_CLIENT_ID,
      clientSecret: STRAVA_CLIENT_SECRET,
      now: () => stack.clock.now(),
    });
    return stack;
  }

  /** (Re)starts the token-dealer stand-in; port 0 the first time, the same port to bring it back. */
  async startTokenDealer(port: number): Promise<void> {
    this.dealer = await startTokenDealer(
      this.issuer,
      () => this.tokenLifetimeSeconds,
      () => (this.tokensIssued += 1),
      port,
    );
    this.dealerUrl = `http://127.0.0.1:${(this.dealer.address() as AddressInfo).port}`;
  }

  /** The token-dealer goes away (connection refused from now on). */
  async stopTokenDealer(): Promise<void> {
    if (this.dealer.listening) await closeHard(this.dealer);
  }

  /** (Re)starts the data-service; port 0 the first time (in-process), the same port to bring it back. */
  async startDataService(port: number): Promise<void> {
    if (this.dataServiceMode === 'process') return this.startDataServiceProcess(port);
    this.dataService = await startDataService(this.dataServiceEnv, port);
    this.dataServiceUrl = this.dataService.url;
  }

  async stopDataService(): Promise<void> {
    if (this.dataServiceMode === 'process') return this.killDataService();
    await this.dataService?.close();
    this.dataService = undefined;
  }

  /** SIGKILL to the data-service process: requests in flight and open transactions die with it. */
  async killDataService(): Promise<void> {
    await this.dataServiceProcess?.kill();
    this.dataServiceProcess = undefined;
  }

  private async startDataServiceProcess(port: number): Promise<void> {
    this.dataServiceProcess = await spawnDataService(this.dataServiceEnv, port, 30_000);
    this.dataServiceUrl = `http://127.0.0.1:${port}`;
  }

  workerEnv(env: Record<string, string> = {}): Record<string, string> {
    return {
      LOG_LEVEL: 'silent',
      REDIS_URL: this.redis.url,
      DATA_SERVICE_URL: this.dataServiceUrl,
      TOKEN_DEALER_URL: this.dealerUrl,
      STRAVA_WORKER_CLIENT_SECRET: WORKER_CLIENT_SECRET,
      STRAVA_BASE_URL: this.sandboxUrl,
      STRAVA_CLIENT_ID,
      STRAVA_CLIENT_SECRET,
      STRAVA_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN,
      STRAVA_WORKER_BOARD_PASSWORD: BOARD_PASSWORD,
      STRAVA_SYNC_SCHEDULER_ENABLED: 'false',
      STRAVA_JOB_BACKOFF_MS: '50',
      STRAVA_JOB_ATTEMPTS: '6',
      ...env,
    };
  }

  async startWorker(env: Record<string, string> = {}, options: WorkerOptions = {}, port = 0): Promise<Worker> {
    const app = await createApp(parseConfig(StravaWorkerConfigSchema, this.workerEnv(env)), {
      clock: this.clock,
      maxParkMs: 200,
      ...options,
    });
    await app.listen(port, '127.0.0.1');
    await startOperatorListener(app, { port: 0, host: '127.0.0.1' });
    const worker: Worker = {
      app,
      url: await app.getUrl(),
      operatorUrl: operatorUrl(app),
      close: async () => {
        this.workers.delete(worker);
        await app.close();
      },
    };
    this.workers.add(worker);
    return worker;
  }

  async sandboxCall<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.sandboxUrl}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Moves the sandbox's clock and the worker's together. */
  async advanceClock(seconds: number): Promise<void> {
    await this.sandboxCall('POST', '/clock', { advance_seconds: seconds });
    this.clock.offsetMs += seconds * 1000;
  }

  async athletes(): Promise<Array<{ id: number; activity_count: number }>> {
    return this.sandboxCall('GET', '/athletes');
  }

  /** The athlete authorizes Runnerly: tokens minted by the sandbox, user stored by the data-service. */
  async connect(athleteId: number, scope = 'read,activity:read_all'): Promise<{ userId: string; accessToken: string }> {
    const tokens = await this.sandboxCall<{ access_token: string; refresh_token: string; expires_at: number }>(
      'POST',
      `/athletes/${athleteId}/tokens`,
      { scope },
    );
    const user = await this.data.upsertUser({
      stravaAthleteId: athleteId,
      firstname: 'Test',
      lastname: `Athlete ${athleteId}`,
      strava: {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        expiresAt: tokens.expires_at,
        scope,
      },
    });
    return { userId: user.id, accessToken: tokens.access_token };
  }

  /** Every activity the sandbox holds for the athlete, read straight from it (not counted against the worker). */
  async stravaActivities(accessToken: string): Promise<StravaSummaryActivity[]> {
    const all: StravaSummaryActivity[] = [];
    for await (const page of this.strava.listActivities(accessToken, { perPage: 200 })) all.push(...page.activities);
    return all;
  }

  async stravaRuns(accessToken: string): Promise<StravaSummaryActivity[]> {
    return (await this.stravaActivities(accessToken)).filter((activity) => RUN_TYPES.has(activity.sport_type));
  }

  async storedRuns(userId: string): Promise<Run[]> {
    const runs: Run[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.data.listRuns(userId, { limit: 200, ...(cursor ? { cursor } : {}) });
      runs.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return runs;
  }

  /**
   * Strava API requests the sandbox has served so far for syncs and events (the best-efforts
   * enrichment's streams requests, which follow every sync on their own budget share, are
   * `streamsRequests`).
   */
  async apiRequests(): Promise<number> {
    const counts = await this.sandboxCall<{ byRoute: Record<string, number> }>('GET', '/requests');
    return Object.entries(counts.byRoute)
      .filter(
        ([route]) => route.includes('/api/v3/') && !route.includes('push_subscriptions') && !route.endsWith('/streams'),
      )
      .reduce((sum, [, count]) => sum + count, 0);
  }

  /** Streams requests (`GET /activities/{id}/streams`, the enrichment's) the sandbox has served so far. */
  async streamsRequests(): Promise<number> {
    const counts = await this.sandboxCall<{ byRoute: Record<string, number> }>('GET', '/requests');
    return counts.byRoute['GET /api/v3/activities/:id/streams'] ?? 0;
  }

  syncState(userId: string): Promise<SyncState | undefined> {
    return this.state.get(userId);
  }

  queue(name: QueueName): Queue {
    return new Queue(name, { connection: this.connection, prefix: QUEUE_PREFIX });
  }

  /** Between tests: no worker, an empty Redis db, a fresh sandbox world, time back to now. */
  async reset(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.close()));
    await this.redis.flush();
    await this.sandboxCall('POST', '/reset');
    if (this.dataService)
      for await (const user of this.data.allUsers({ limit: 500 })) await this.data.deleteUser(user.id);
    this.clock.offsetMs = 0;
  }

  /** The athlete's rows in PostgreSQL itself: how many, and how many distinct Strava ids. */
  runRows(userId: string): Promise<{ rows: number; distinct: number }> {
    return runRows(this.database.url, userId);
  }

  /** Athletes written straight into the in-process data-service's tables (see `seedAthletes`). */
  seedAthletes(options: SeedAthletes): Promise<string[]> {
    if (!this.dataService) throw new Error('seedAthletes needs the in-process data-service');
    return seedAthletes(this.dataService, options);
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.close()));
    await this.dataService?.close();
    await this.killDataService();
    await this.sandbox.close();
    await this.stopTokenDealer();
    await this.syncs.close();
    // BullMQ leaves a connection it was given open.
    this.syncsConnection.disconnect();
    this.connection.disconnect();
    await Promise.all([this.issuer.close(), this.database.drop(), this.redis.release()]);
  }
}

export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

/** Outages and faults: what a sync must come through, and how to check it did. */

/** Strava answering each page of activities this late: a sync long enough to break in the middle of. */
export const SLOW_PAGES = { path: 'athlete/activities', hangMs: 250, count: 1000 };
/** Bound on every wait through an outage. */
export const OUTAGE_WAIT_MS = 30_000;
/** Sync retries soon enough for a test, and enough of them to outlast each outage. */
export const FAST_RETRIES: JobPolicy = { attempts: 12, backoffMs: 100 };

export interface ConnectedAthlete {
  id: number;
  userId: string;
  accessToken: string;
}

export async function connectFirstAthlete(stack: Stack): Promise<ConnectedAthlete> {
  const [athlete] = await stack.athletes();
  return { id: athlete!.id, ...(await stack.connect(athlete!.id)) };
}

/** Waits for the athlete's sync to be done (and finished after `after`, when given). */
export function syncDone(stack: Stack, userId: string, after?: string): Promise<SyncState> {
  return waitFor(async () => {
    const state = await stack.syncState(userId);
    return state?.status === SyncStatus.Done && (after === undefined || (state.lastFinishedAt ?? '') > after) && state;
  }, OUTAGE_WAIT_MS);
}

/** Waits until the athlete's sync has stored at least `pages` pages. */
export function syncPages(stack: Stack, userId: string, pages: number): Promise<boolean> {
  return waitFor(async () => ((await stack.syncState(userId))?.progress.pages ?? 0) >= pages, OUTAGE_WAIT_MS);
}

/**
 * What every outage must leave behind: the athlete's sync done without an error, each of their
 * Strava runs stored exactly once (counted in PostgreSQL), the job completed and no job failed,
 * active or waiting; and a later sync still works (a new run arrives, nothing doubles). Returns the
 * state the outage left.
 */
export async function expectIntact(stack: Stack, athlete: ConnectedAthlete, jobId: string): Promise<SyncState> {
  const state = await syncDone(stack, athlete.userId);
  expect(state.lastError).toBeUndefined();
  expect(state.disconnected).toBe(false);
  const stravaRuns = (await stack.stravaRuns(athlete.accessToken)).length;
  expect(await stack.runRows(athlete.userId)).toEqual({ rows: stravaRuns, distinct: stravaRuns });
  const queue = stack.syncs.queue;
  expect(await queue.getJob(jobId).then((job) => job?.getState())).toBe('completed');
  const idle = { failed: 0, active: 0, waiting: 0, delayed: 0 };
  expect(await queue.getJobCounts('failed', 'active', 'waiting', 'delayed')).toEqual(idle);

  await stack.sandboxCall('POST', `/athletes/${athlete.id}/activities`, { sport_type: 'Run', name: 'After' });
  await stack.syncs.requestSync(athlete.userId, { reason: SyncReason.Manual });
  const later = await syncDone(stack, athlete.userId, state.lastFinishedAt);
  expect(later.lastError).toBeUndefined();
  expect(later.runsAdded).toBe(1);
  expect(await stack.runRows(athlete.userId)).toEqual({ rows: stravaRuns + 1, distinct: stravaRuns + 1 });
  expect(await queue.getJobCounts('failed', 'active', 'waiting', 'delayed')).toEqual(idle);
  return state;
}
