import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '@runnerly/config';
import { operatorUrl, startOperatorListener } from '@runnerly/platform';
import { createTestDatabase, freePort, leaseTestRedis, type TestDatabase, type TestRedis } from '@runnerly/testing';
import { startSandbox as startStravaSandbox } from '@runnerly/strava-sandbox/testing';
import { createApp } from '../src/app.js';
import { DashboardConfigSchema } from '../src/config.js';

// The real services of a Runnerly stack, in this process on port 0, for the dashboard's tests.

const SANDBOX_CLIENT_ID = '100001';
// As generated (random): the dashboard refuses obviously weak secrets at start.
const SANDBOX_CLIENT_SECRET = randomBytes(20).toString('hex');

export interface Sandbox {
  url: string;
  clientId: string;
  clientSecret: string;
  /** PUT /_sandbox/settings (the sandbox's admin API). */
  settings(patch: Record<string, unknown>): Promise<void>;
  athletes(): Promise<Array<{ id: number; firstname: string; lastname: string }>>;
  close(): Promise<void>;
}

export async function startSandbox(env: Record<string, string> = {}): Promise<Sandbox> {
  const { url, close } = await startStravaSandbox({
    STRAVA_CLIENT_ID: SANDBOX_CLIENT_ID,
    STRAVA_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    STRAVA_SANDBOX_ATHLETES: '2',
    ...env,
  });
  return {
    url,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    async settings(patch) {
      const response = await fetch(`${url}/_sandbox/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(patch),
      });
      if (!response.ok) throw new Error(`sandbox settings: ${response.status} ${await response.text()}`);
    },
    async athletes() {
      const list = (await (await fetch(`${url}/_sandbox/athletes`)).json()) as Array<{
        id: number;
        firstname: string;
        lastname: string;
      }>;
      return list.map(({ id, firstname, lastname }) => ({ id, firstname, lastname }));
    },
    close,
  };
}

export interface Dashboard {
  url: string;
  /** The operator listener: metrics, docs, readiness details. */
  operatorUrl: string;
  close(): Promise<void>;
}

/** The dashboard on a free port (its own URL goes into the Strava redirect URI, so it is known first). */
export async function startDashboard(env: Record<string, string>): Promise<Dashboard> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = await createApp(
    parseConfig(DashboardConfigSchema, {
      LOG_LEVEL: 'silent',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      DASHBOARD_URL: url,
      DASHBOARD_CLIENT_SECRET: randomBytes(24).toString('base64url'),
      ...env,
    }),
  );
  await app.listen(port, '127.0.0.1');
  await startOperatorListener(app, { port: 0, host: '127.0.0.1' });
  return { url, operatorUrl: operatorUrl(app), close: () => app.close() };
}

/** Resources a test file leases, released in reverse order. */
export class Cleanup {
  private readonly steps: Array<() => Promise<unknown>> = [];

  add<T>(value: T, release: (value: T) => Promise<unknown>): T {
    this.steps.push(() => release(value));
    return value;
  }

  async run(): Promise<void> {
    for (const step of this.steps.reverse()) await step().catch(() => undefined);
  }
}

export async function testRedis(cleanup: Cleanup): Promise<TestRedis> {
  return cleanup.add(await leaseTestRedis(), (redis) => redis.release());
}

export async function testDatabase(cleanup: Cleanup): Promise<TestDatabase> {
  return cleanup.add(await createTestDatabase(), (database) => database.drop());
}

/** The settings of a dashboard running alone: its Strava and services unreachable, secrets generated. */
export function aloneEnv(redisUrl: string): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    DASHBOARD_URL: 'http://localhost:3999',
    STRAVA_BASE_URL: 'http://strava.invalid',
    STRAVA_CLIENT_ID: '1234',
    STRAVA_CLIENT_SECRET: randomBytes(20).toString('hex'),
    DASHBOARD_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DATA_SERVICE_URL: 'http://127.0.0.1:9',
    TOKEN_DEALER_URL: 'http://127.0.0.1:9',
  };
}
