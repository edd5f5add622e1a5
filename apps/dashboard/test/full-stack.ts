import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DASHBOARD_CALLER, STRAVA_WORKER_CALLER } from '@runnerly/data-client';
import { startDataService, testEncryptionKeys } from '@runnerly/data-service/testing';
import { freePort, startRedisCluster } from '@runnerly/testing';
import { startTokenDealer } from '@runnerly/token-dealer/testing';
import {
  Cleanup,
  type Dashboard,
  type Sandbox,
  startDashboard,
  startSandbox,
  testDatabase,
  testRedis,
} from './stack.js';

// The whole stack for the dashboard's API and browser tests.

export interface Stack {
  sandbox: Sandbox;
  dashboard: Dashboard;
  /** More dashboard processes on the same Redis and secrets (`dashboards` option): horizontal scale. */
  moreDashboards: Dashboard[];
  dataServiceUrl: string;
  /** The Redis (a leased logical db, or a cluster) of the dashboards and the worker: sessions, sync queue and state. */
  redisUrl: string;
  /** Where the dashboards stream uploaded archives and the worker reads them (one directory, as a compose volume). */
  importsDir: string;
  /** What the dashboards were started with, to start another one (`startDashboard`) on the same stack. */
  dashboardEnv: Record<string, string>;
  /** Starts the strava-worker now (for a stack started without one): the queued syncs run. */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole Runnerly stack on real PostgreSQL and Redis: sandbox, token-dealer (with the
 * dashboard and worker clients provisioned), data-service, dashboard and, when `worker` is set,
 * the strava-worker processing sync jobs.
 */
export async function startStack(
  options: {
    worker?: boolean;
    dashboards?: number;
    dashboardEnv?: Record<string, string>;
    /** The sandbox's settings (e.g. `STRAVA_SANDBOX_ATHLETES`: the default world has 2 athletes). */
    sandboxEnv?: Record<string, string>;
    /** A Redis Cluster of the stack's own (3 primaries, 3 replicas) instead of a leased db of one Redis. */
    redisCluster?: boolean;
  } = {},
): Promise<Stack> {
  const cleanup = new Cleanup();
  try {
    const [redis, dataDb] = await Promise.all([
      options.redisCluster
        ? cleanup.add(await startRedisCluster(), (cluster) => cluster.release())
        : testRedis(cleanup),
      testDatabase(cleanup),
    ]);
    const sandbox = cleanup.add(await startSandbox(options.sandboxEnv), (s) => s.close());
    const importsDir = cleanup.add(await mkdtemp(join(tmpdir(), 'runnerly-imports-')), (dir) =>
      rm(dir, { recursive: true, force: true }),
    );

    const dealerPort = await freePort();
    const tokenDealerUrl = `http://127.0.0.1:${dealerPort}`;
    const dealer = cleanup.add(
      await startTokenDealer(
        { REDIS_URL: redis.url, TOKEN_DEALER_ISSUER: tokenDealerUrl },
        { port: dealerPort, operator: false },
      ),
      (d) => d.close(),
    );
    const dashboardClient = await dealer.clients.create(
      'dashboard',
      [...DASHBOARD_CALLER.scopes],
      DASHBOARD_CALLER.audience,
    );
    const workerClient = await dealer.clients.create(
      'strava-worker',
      [...STRAVA_WORKER_CALLER.scopes],
      STRAVA_WORKER_CALLER.audience,
    );

    const data = cleanup.add(
      await startDataService({
        DATABASE_URL: dataDb.url,
        DATABASE_POOL_SIZE: '4',
        REDIS_URL: redis.url,
        TOKEN_DEALER_URL: tokenDealerUrl,
        STRAVA_TOKEN_ENCRYPTION_KEYS: testEncryptionKeys(),
      }),
      (d) => d.close(),
    );
    const dataServiceUrl = data.url;

    const strava = {
      STRAVA_BASE_URL: sandbox.url,
      STRAVA_CLIENT_ID: sandbox.clientId,
      STRAVA_CLIENT_SECRET: sandbox.clientSecret,
    };
    const startWorker = async () => {
      const { startWorker: start } = await import('@runnerly/strava-worker/testing');
      cleanup.add(
        await start({
          REDIS_URL: redis.url,
          DATA_SERVICE_URL: dataServiceUrl,
          TOKEN_DEALER_URL: tokenDealerUrl,
          STRAVA_WORKER_CLIENT_SECRET: workerClient.client_secret,
          STRAVA_WEBHOOK_VERIFY_TOKEN: randomBytes(16).toString('hex'),
          STRAVA_JOB_BACKOFF_MS: '200',
          STRAVA_JOB_ATTEMPTS: '2',
          IMPORTS_DIR: importsDir,
          ...strava,
        }),
        (w) => w.close(),
      );
    };
    if (options.worker) await startWorker();

    const dashboardEnv = {
      REDIS_URL: redis.url,
      DATA_SERVICE_URL: dataServiceUrl,
      TOKEN_DEALER_URL: tokenDealerUrl,
      DASHBOARD_CLIENT_SECRET: dashboardClient.client_secret,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      IMPORTS_DIR: importsDir,
      ...strava,
      ...options.dashboardEnv,
    };
    const [dashboard, ...moreDashboards] = await Promise.all(
      Array.from({ length: options.dashboards ?? 1 }, async () =>
        cleanup.add(await startDashboard(dashboardEnv), (d) => d.close()),
      ),
    );
    return {
      sandbox,
      dashboard: dashboard!,
      moreDashboards,
      dataServiceUrl,
      redisUrl: redis.url,
      importsDir,
      dashboardEnv,
      startWorker,
      close: () => cleanup.run(),
    };
  } catch (error) {
    await cleanup.run();
    throw error;
  }
}
