// `pnpm start` on a machine with neither PostgreSQL nor Redis: the stack (scripts/start.ts, exactly
// as `pnpm start` runs it) comes up on the embedded PostgreSQL and a redis-server it starts itself,
// an athlete logs in through the sandbox, the worker syncs their runs into that PostgreSQL, Ctrl-C
// stops everything, and the data is still there when the embedded PostgreSQL starts again.
//
// This machine does have a PostgreSQL and a Redis at the default ports; the test moves the ports
// `pnpm start` looks at (RUNNERLY_LOCAL_POSTGRES_PORT, RUNNERLY_LOCAL_REDIS_PORT) to free ones,
// where nothing answers: the same path as a machine with none.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { freePort } from '@runnerly/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnStartScript, untilStackIsUp } from './start-script.js';
import { answers, type LocalServices, startLocalServices } from '../scripts/local-services.js';

const url = (port: number) => `http://127.0.0.1:${port}`;

/** Just enough of a browser's cookies for one host, no redirects followed. */
class Cookies {
  private readonly cookies = new Map<string, string>();

  async fetch(target: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size)
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return response;
  }
}

describe('`pnpm start` with no PostgreSQL and no Redis', () => {
  let stateDir: string;
  let stack: ChildProcess;
  let output = '';
  const ports = {} as Record<'postgres' | 'redis' | 'sandbox' | 'dealer' | 'data' | 'worker' | 'dashboard', number>;
  let restarted: LocalServices | undefined;

  /** The embedded PostgreSQL's URL, from the password `pnpm start` generated. */
  const databaseUrl = () => {
    const secrets = parseEnv(readFileSync(join(stateDir, 'local.env'), 'utf8'));
    return `postgres://postgres:${secrets.EMBEDDED_POSTGRES_PASSWORD}@127.0.0.1:${ports.postgres}/runnerly`;
  };
  async function storedRuns(): Promise<number> {
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM data.runs');
      return Number(rows[0]!.count);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'runnerly-embedded-'));
    // As root (CI), PostgreSQL runs as the `postgres` user, who must reach its data directory.
    chmodSync(stateDir, 0o755);
    for (const name of ['postgres', 'redis', 'sandbox', 'dealer', 'data', 'worker', 'dashboard'] as const)
      ports[name] = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      // Neither DATABASE_URL nor REDIS_URL: `pnpm start` finds none answering and starts its own.
      RUNNERLY_LOCAL_ENV_FILE: join(stateDir, 'local.env'),
      RUNNERLY_LOCAL_POSTGRES_PORT: String(ports.postgres),
      RUNNERLY_LOCAL_REDIS_PORT: String(ports.redis),
      STRAVA_SANDBOX_PORT: String(ports.sandbox),
      TOKEN_DEALER_PORT: String(ports.dealer),
      DATA_SERVICE_PORT: String(ports.data),
      STRAVA_WORKER_PORT: String(ports.worker),
      DASHBOARD_PORT: String(ports.dashboard),
      TOKEN_DEALER_OPERATOR_PORT: '0',
      DATA_SERVICE_OPERATOR_PORT: '0',
      STRAVA_WORKER_OPERATOR_PORT: '0',
      DASHBOARD_OPERATOR_PORT: '0',
      TOKEN_DEALER_URL: url(ports.dealer),
      TOKEN_DEALER_ISSUER: url(ports.dealer),
      DATA_SERVICE_URL: url(ports.data),
      DASHBOARD_URL: url(ports.dashboard),
    };
    expect(await answers(ports.postgres)).toBe(false);
    expect(await answers(ports.redis)).toBe(false);
    stack = spawnStartScript(env, (chunk) => (output += chunk));
    await untilStackIsUp(stack, () => output, 240_000);
  }, 250_000);

  afterAll(async () => {
    if (stack && stack.exitCode === null && stack.signalCode === null) {
      stack.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 15_000).unref());
      if (stack.exitCode === null) stack.kill('SIGKILL');
    }
    await restarted?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  }, 60_000);

  it('runs the stack on the embedded PostgreSQL and a local redis-server, and syncs an athlete into it', async () => {
    expect(output).toContain(
      `PostgreSQL: none at 127.0.0.1:${ports.postgres}, so the embedded PostgreSQL runs on 127.0.0.1:${ports.postgres} (new cluster in`,
    );
    expect(output).toContain(
      `Redis: none at 127.0.0.1:${ports.redis}, so redis-server runs on 127.0.0.1:${ports.redis}`,
    );
    expect(await answers(ports.postgres)).toBe(true);
    expect(await answers(ports.redis)).toBe(true);

    // An athlete logs in through the sandbox (pre-approved, as its README documents).
    const browser = new Cookies();
    const toStrava = await browser.fetch(`${url(ports.dashboard)}/auth/strava`);
    const authorize = new URL(toStrava.headers.get('location')!);
    authorize.searchParams.set('sandbox_decision', 'approve');
    const back = await fetch(authorize, { redirect: 'manual' });
    const callback = await browser.fetch(back.headers.get('location')!);
    expect([302, 303], await callback.text()).toContain(callback.status);
    expect((await browser.fetch(`${url(ports.dashboard)}/api/me`)).status).toBe(200);

    // The login queues the first sync; the worker stores the runs through the data-service, in the
    // embedded PostgreSQL.
    let sync: { status: string; runsAdded: number } | undefined;
    await expect
      .poll(
        async () => {
          sync = (await (await browser.fetch(`${url(ports.dashboard)}/api/sync`)).json()) as typeof sync;
          return sync?.status;
        },
        { timeout: 90_000, interval: 500 },
      )
      .toBe('done');
    expect(sync!.runsAdded).toBeGreaterThan(0);
    expect(await storedRuns()).toBe(sync!.runsAdded);
    const runs = (await (await browser.fetch(`${url(ports.dashboard)}/api/runs`)).json()) as { items: unknown[] };
    expect(runs.items.length).toBeGreaterThan(0);
  }, 120_000);

  it('stops PostgreSQL and Redis with the stack on Ctrl-C, and keeps their data for the next start', async () => {
    const before = await storedRuns();
    const exited = new Promise<number | null>((resolve) => stack.once('exit', (code) => resolve(code)));
    stack.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await answers(ports.postgres)).toBe(false);
    expect(await answers(ports.redis)).toBe(false);
    expect(existsSync(join(stateDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(stateDir, 'redis', 'appendonlydir'))).toBe(true);

    // The next start finds the cluster (no new initdb) and the runs in it.
    const said: string[] = [];
    const secrets = parseEnv(readFileSync(join(stateDir, 'local.env'), 'utf8'));
    restarted = await startLocalServices({
      env: { RUNNERLY_LOCAL_POSTGRES_PORT: String(ports.postgres), REDIS_URL: 'redis://127.0.0.1:6379' },
      stateDir,
      postgresPassword: secrets.EMBEDDED_POSTGRES_PASSWORD!,
      say: (line) => said.push(line),
    });
    expect(said).toEqual([expect.stringContaining('(data kept in')]);
    expect(restarted.env.DATABASE_URL).toBe(databaseUrl());
    expect(await storedRuns()).toBe(before);
    await restarted.stop();
    expect(await answers(ports.postgres)).toBe(false);
  }, 90_000);
});

describe('`pnpm start` with no Redis and no redis-server', () => {
  it('stops with one line saying how to get one', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'runnerly-no-redis-'));
    try {
      const redisPort = await freePort();
      // A PATH without redis-server (start.ts runs everything through Node's own path).
      let output = '';
      const child = spawnStartScript(
        {
          HOME: process.env.HOME,
          PATH: stateDir,
          RUNNERLY_LOCAL_ENV_FILE: join(stateDir, 'local.env'),
          DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/runnerly_unused',
          RUNNERLY_LOCAL_REDIS_PORT: String(redisPort),
        },
        (chunk) => (output += chunk),
      );
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(output.trim().split('\n')).toEqual([
        `No Redis answers at 127.0.0.1:${redisPort} and redis-server is not installed: install it (sudo apt-get install redis-server, or brew install redis) or set REDIS_URL.`,
      ]);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 90_000);
});
