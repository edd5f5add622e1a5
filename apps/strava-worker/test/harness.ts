import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestIssuer, type TestIssuer } from '@runnerly/auth/testing';
import { parseConfig } from '@runnerly/config';
import { DataServiceClient, type Run } from '@runnerly/data-client';
import { createApp as createDataService } from '@runnerly/data-service/src/app.js';
import { DataServiceConfigSchema } from '@runnerly/data-service/src/config.js';
import {
  createRedisConnection,
  QUEUE_PREFIX,
  QueueName,
  SyncQueue,
  type SyncState,
  SyncStateStore,
} from '@runnerly/jobs';
import { ServiceClient } from '@runnerly/service-client';
import { StravaClient, type StravaSummaryActivity } from '@runnerly/strava';
import { createApp as createSandbox } from '@runnerly/strava-sandbox/src/app.js';
import { StravaSandboxConfigSchema } from '@runnerly/strava-sandbox/src/config.js';
import { createTestDatabase, leaseTestRedis, type TestDatabase, type TestRedis } from '@runnerly/testing';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createApp } from '../src/app.js';
import type { Clock } from '../src/common/clock.js';
import type { WorkerOptions } from '../src/common/worker-options.js';
import { StravaWorkerConfigSchema } from '../src/config.js';

export const STRAVA_CLIENT_ID = '424242';
export const STRAVA_CLIENT_SECRET = 'worker-test-strava-secret';
export const VERIFY_TOKEN = 'test-verify-token-0123456789';
export const RUN_TYPES = new Set(['Run', 'TrailRun', 'VirtualRun']);

type App = Awaited<ReturnType<typeof createApp>>;

export interface Worker {
  app: App;
  url: string;
  close(): Promise<void>;
}

/** A clock shared by the worker and the sandbox: real time plus an offset the test moves. */
export class TestClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** A token-dealer stand-in: client-credentials tokens signed by a real test issuer (real JWKS). */
async function startTokenDealer(issuer: TestIssuer): Promise<Server> {
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
      const token = issuer.sign(
        { scope, aud: 'data-service', sub: 'strava-worker', client_id: 'strava-worker' },
        { expiresIn: 600 },
      );
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 600, scope }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * Everything a worker needs, for real and in-process: Redis (a leased db), the Strava sandbox, the
 * data-service on a fresh database, and a token issuer.
 */
export class Stack {
  readonly clock = new TestClock();
  redis!: TestRedis;
  connection!: Redis;
  state!: SyncStateStore;
  /** The producer side of the sync queue, as the dashboard and the webhooks use it. */
  syncs!: SyncQueue;
  database!: TestDatabase;
  issuer!: TestIssuer;
  dealer!: Server;
  dealerUrl!: string;
  sandbox!: Awaited<ReturnType<typeof createSandbox>>;
  sandboxUrl!: string;
  dataService: Awaited<ReturnType<typeof createDataService>> | undefined;
  dataServiceUrl!: string;
  data!: DataServiceClient;
  strava!: StravaClient;
  private dataServiceEnv!: Record<string, string>;
  private readonly workers = new Set<Worker>();

  static async start({ athletes = 5 }: { athletes?: number } = {}): Promise<Stack> {
    const stack = new Stack();
    [stack.redis, stack.database, stack.issuer] = await Promise.all([
      leaseTestRedis(),
      createTestDatabase(),
      createTestIssuer(),
    ]);
    stack.connection = createRedisConnection(stack.redis.url);
    stack.state = new SyncStateStore(stack.connection);
    stack.syncs = new SyncQueue(createRedisConnection(stack.redis.url), {});
    stack.dealer = await startTokenDealer(stack.issuer);
    stack.dealerUrl = `http://127.0.0.1:${(stack.dealer.address() as AddressInfo).port}`;
    stack.sandbox = await createSandbox(
      parseConfig(StravaSandboxConfigSchema, {
        LOG_LEVEL: 'silent',
        STRAVA_CLIENT_ID,
        STRAVA_CLIENT_SECRET,
        STRAVA_SANDBOX_ATHLETES: String(athletes),
        STRAVA_SANDBOX_WEBHOOK_RETRY_DELAY_MS: '100',
      }),
    );
    await stack.sandbox.listen(0, '127.0.0.1');
    stack.sandboxUrl = (await stack.sandbox.getUrl()).replace('[::1]', '127.0.0.1');
    stack.dataServiceEnv = {
      LOG_LEVEL: 'silent',
      DATABASE_URL: stack.database.url,
      DATABASE_POOL_SIZE: '4',
      TOKEN_DEALER_URL: stack.issuer.issuer,
      STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    };
    await stack.startDataService(0);
    stack.data = new DataServiceClient(
      new ServiceClient({
        baseUrl: stack.dataServiceUrl,
        tokenDealerUrl: stack.dealerUrl,
        clientId: 'test',
        clientSecret: 'test',
        audience: 'data-service',
        scope: 'users:read users:write strava-tokens:read strava-tokens:write runs:read runs:write',
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

  /** (Re)starts the data-service; port 0 the first time, the same port to bring it back. */
  async startDataService(port: number): Promise<void> {
    this.dataService = await createDataService(parseConfig(DataServiceConfigSchema, this.dataServiceEnv));
    await this.dataService.listen(port, '127.0.0.1');
    this.dataServiceUrl = await this.dataService.getUrl();
  }

  async stopDataService(): Promise<void> {
    await this.dataService?.close();
    this.dataService = undefined;
  }

  workerEnv(env: Record<string, string> = {}): Record<string, string> {
    return {
      LOG_LEVEL: 'silent',
      REDIS_URL: this.redis.url,
      DATA_SERVICE_URL: this.dataServiceUrl,
      TOKEN_DEALER_URL: this.dealerUrl,
      STRAVA_WORKER_CLIENT_SECRET: 'worker-secret',
      STRAVA_BASE_URL: this.sandboxUrl,
      STRAVA_CLIENT_ID,
      STRAVA_CLIENT_SECRET,
      STRAVA_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN,
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
    const worker: Worker = {
      app,
      url: await app.getUrl(),
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

  /** Strava API requests the sandbox has served so far. */
  async apiRequests(): Promise<number> {
    const counts = await this.sandboxCall<{ byRoute: Record<string, number> }>('GET', '/requests');
    return Object.entries(counts.byRoute)
      .filter(([route]) => route.includes('/api/v3/') && !route.includes('push_subscriptions'))
      .reduce((sum, [, count]) => sum + count, 0);
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

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.close()));
    await this.dataService?.close();
    await this.sandbox.close();
    await new Promise<void>((resolve) => this.dealer.close(() => resolve()));
    await this.syncs.close();
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
