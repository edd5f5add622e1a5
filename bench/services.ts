// The token-dealer, the data-service and the dashboard started exactly as `pnpm start` runs them
// (src/main.ts under the SWC loader with --enable-source-maps, LOG_LEVEL=info, JSON logs on a
// pipe), on a test database and Redis, each ready once its /health/live answers.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, type ServiceProcess, startService } from '@runnerly/testing';

const root = join(import.meta.dirname, '..');
/** What scripts/start.ts puts before the loader. */
const START_NODE_OPTIONS = ['--enable-source-maps'];

export type ServiceName = 'token-dealer' | 'data-service' | 'dashboard';

export interface RunningService {
  process: ServiceProcess;
  url: string;
}

export interface Services {
  services: Record<ServiceName, RunningService>;
  /** The token-dealer's environment (for its command line: `clients create`). */
  tokenDealerEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** The three services; `nodeOptions` adds Node options to one of them (a profiler). */
export async function startServices(
  stores: { databaseUrl: string; redisUrl: string },
  nodeOptions: Partial<Record<ServiceName, string[]>> = {},
): Promise<Services> {
  const [dealerPort, dataPort, dashboardPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const common = { DATABASE_URL: stores.databaseUrl, REDIS_URL: stores.redisUrl, HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  const tokenDealerEnv = {
    ...common,
    TOKEN_DEALER_PEPPER: randomBytes(32).toString('hex'),
    TOKEN_DEALER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    TOKEN_DEALER_ISSUER: url(dealerPort),
    TOKEN_DEALER_PORT: String(dealerPort),
    TOKEN_DEALER_OPERATOR_PORT: '0',
  };
  const envs: Record<ServiceName, [Record<string, string>, number]> = {
    'token-dealer': [tokenDealerEnv, dealerPort],
    'data-service': [
      {
        ...common,
        TOKEN_DEALER_URL: url(dealerPort),
        STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        DATA_SERVICE_PORT: String(dataPort),
        DATA_SERVICE_OPERATOR_PORT: '0',
      },
      dataPort,
    ],
    dashboard: [
      {
        ...common,
        SESSION_SECRET: randomBytes(32).toString('hex'),
        STRAVA_BASE_URL: 'http://127.0.0.1:9',
        STRAVA_CLIENT_ID: '1',
        STRAVA_CLIENT_SECRET: randomBytes(20).toString('hex'),
        DASHBOARD_CLIENT_SECRET: randomBytes(24).toString('base64url'),
        TOKEN_DEALER_URL: url(dealerPort),
        DATA_SERVICE_URL: url(dataPort),
        DASHBOARD_PORT: String(dashboardPort),
        DASHBOARD_OPERATOR_PORT: '0',
      },
      dashboardPort,
    ],
  };
  const started: RunningService[] = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.process.stop();
  };
  try {
    // In this order: the data-service and the dashboard fetch the token-dealer's keys.
    for (const name of Object.keys(envs) as ServiceName[]) {
      const [env, port] = envs[name];
      const process = await startService({
        cwd: join(root, 'apps', name),
        nodeOptions: [...START_NODE_OPTIONS, ...(nodeOptions[name] ?? [])],
        env,
        readyUrl: `${url(port)}/health/live`,
        timeoutMs: 180_000,
      });
      started.push({ process, url: url(port) });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const [dealer, data, dashboard] = started as [RunningService, RunningService, RunningService];
  return { services: { 'token-dealer': dealer, 'data-service': data, dashboard }, tokenDealerEnv, stop };
}
