// The one end-to-end test: starts the real stack exactly as `pnpm start` does (scripts/start.ts:
// sandbox, token-dealer, data-service, strava-worker, dashboard as separate processes, migrations,
// provisioned clients) and drives it from the outside only: a browser, the sandbox's admin API
// (standing in for the athlete's actions on Strava) and the token-dealer's CLI.
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createTestDatabase,
  freePort,
  launchChromium,
  leaseTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@runnerly/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnStartScript, untilStackIsUp } from './start-script.js';

const root = join(import.meta.dirname, '..');
const SCREENSHOTS = join(root, 'test-artifacts', 'screenshots', 'e2e');

interface Ports {
  sandbox: number;
  dealer: number;
  data: number;
  worker: number;
  dashboard: number;
  /** The operator listeners (metrics, docs, readiness details, queues). */
  operators: { dealer: number; data: number; worker: number; dashboard: number };
}

describe('Runnerly end to end, as `pnpm start` runs it', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let stateDir: string;
  let ports: Ports;
  let env: NodeJS.ProcessEnv;
  let stack: ChildProcess;
  let output = '';
  let browser: Browser;
  let page: Page;
  /** Credentials seen during the run (cookies, client secrets) that no log line may contain. */
  const seenSecrets: string[] = [];
  const url = (port: number) => `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    [database, redis] = await Promise.all([createTestDatabase(), leaseTestRedis()]);
    stateDir = mkdtempSync(join(tmpdir(), 'runnerly-e2e-'));
    ports = {
      sandbox: await freePort(),
      dealer: await freePort(),
      data: await freePort(),
      worker: await freePort(),
      dashboard: await freePort(),
      operators: {
        dealer: await freePort(),
        data: await freePort(),
        worker: await freePort(),
        dashboard: await freePort(),
      },
    };
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      RUNNERLY_LOCAL_ENV_FILE: join(stateDir, 'local.env'),
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      STRAVA_SANDBOX_PORT: String(ports.sandbox),
      TOKEN_DEALER_PORT: String(ports.dealer),
      DATA_SERVICE_PORT: String(ports.data),
      STRAVA_WORKER_PORT: String(ports.worker),
      DASHBOARD_PORT: String(ports.dashboard),
      TOKEN_DEALER_OPERATOR_PORT: String(ports.operators.dealer),
      DATA_SERVICE_OPERATOR_PORT: String(ports.operators.data),
      STRAVA_WORKER_OPERATOR_PORT: String(ports.operators.worker),
      DASHBOARD_OPERATOR_PORT: String(ports.operators.dashboard),
      TOKEN_DEALER_URL: url(ports.dealer),
      TOKEN_DEALER_ISSUER: url(ports.dealer),
      DATA_SERVICE_URL: url(ports.data),
      DASHBOARD_URL: url(ports.dashboard),
    };
    stack = spawnStartScript(env, (chunk) => (output += chunk));
    await untilStackIsUp(stack, () => output, 150_000);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (ports) {
      const deliveries = await fetch(`${url(ports.sandbox)}/_sandbox/webhooks/deliveries`).then(
        (r) => r.text(),
        String,
      );
      output += `\n[e2e] sandbox webhook deliveries: ${deliveries}\n`;
    }
    if (stack && stack.exitCode === null) {
      const exited = new Promise((resolve) => stack.once('exit', resolve));
      stack.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (stack.exitCode === null) stack.kill('SIGKILL');
    }
    // The whole stack's logs, kept as a test artifact.
    mkdirSync(join(root, 'test-artifacts'), { recursive: true });
    writeFileSync(join(root, 'test-artifacts', 'e2e-stack.log'), output);
    await redis?.release();
    await database?.drop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  }, 60_000);

  async function sandbox<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${url(ports.sandbox)}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
    return (await response.json().catch(() => undefined)) as T;
  }

  /** Reads the data-service from outside, with a client made through the token-dealer's CLI. */
  async function dataServiceUsers(stravaAthleteId: number): Promise<unknown[]> {
    const clientId = `e2e-reader-${Date.now()}`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        '@swc-node/register/esm-register',
        'apps/token-dealer/src/cli/main.ts',
        'clients',
        'create',
        '--id',
        clientId,
        '--scope',
        'users:read',
        '--audience',
        'data-service',
      ],
      { cwd: root, env },
    );
    const { client_secret: secret } = JSON.parse(stdout) as { client_secret: string };
    seenSecrets.push(secret);
    const token = await fetch(`${url(ports.dealer)}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
        audience: 'data-service',
        scope: 'users:read',
      }),
    }).then((response) => response.json() as Promise<{ access_token: string }>);
    expect(token.access_token, JSON.stringify(token)).toBeTruthy();
    seenSecrets.push(token.access_token);
    const users = await fetch(`${url(ports.data)}/users?stravaAthleteId=${stravaAthleteId}`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    }).then((response) => response.json() as Promise<{ items: unknown[] }>);
    expect(users.items, JSON.stringify(users)).toBeDefined();
    return users.items;
  }

  it('logs in through Strava, syncs, shows new activities from webhooks, and forgets a deauthorized athlete', async () => {
    const [athlete] = await sandbox<Array<{ id: number; firstname: string }>>('GET', '/_sandbox/athletes');
    expect(athlete).toBeDefined();

    // Log in with Strava: the dashboard sends the browser to the sandbox's consent page and back.
    await page.goto(url(ports.dashboard));
    await page.getByRole('link', { name: 'Log in with Strava' }).click();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await expect
      .poll(() => page.getByTestId('athlete-name').textContent(), { timeout: 30_000 })
      .toContain(athlete!.firstname);
    seenSecrets.push(...(await page.context().cookies()).map((cookie) => cookie.value));

    // The first sync runs in the worker process and the runs appear on the page.
    await page.getByTestId('runs').waitFor({ timeout: 90_000 });
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 60_000 }).toMatch(/^Synced/);
    await page.screenshot({ path: join(SCREENSHOTS, '1-synced.png'), fullPage: true });

    // The athlete records a run on Strava: the webhook reaches the worker and the run shows up.
    const name = `E2E tempo run ${Date.now()}`;
    await sandbox('POST', `/_sandbox/athletes/${athlete!.id}/activities`, {
      name,
      sport_type: 'Run',
      start_date: new Date().toISOString(),
      distance: 8000,
      moving_time: 2400,
    });
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('runs').waitFor();
          return page.getByTestId('runs').getByText(name).count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, '2-webhook-run.png'), fullPage: true });

    // The athlete revokes Runnerly on Strava: the deauthorization event deletes their data.
    expect(await dataServiceUsers(athlete!.id)).toHaveLength(1);
    await sandbox('POST', `/_sandbox/athletes/${athlete!.id}/revoke`);
    await expect.poll(() => dataServiceUsers(athlete!.id), { timeout: 30_000, interval: 1000 }).toHaveLength(0);
    await page.reload();
    await page.screenshot({ path: join(SCREENSHOTS, '3-after-revoke.png'), fullPage: true });
    expect((await page.request.get(`${url(ports.dashboard)}/api/runs`)).ok()).toBe(false);

    // Request ids travel from the dashboard into the other services' logs.
    const dashboardLine = output
      .split('\n')
      .find((line) => line.includes('[dashboard') && line.includes('"url":"/api/runs"'));
    const requestId = dashboardLine && /"requestId":"([^"]+)"/.exec(dashboardLine)?.[1];
    expect(requestId).toBeTruthy();
    expect(
      output.split('\n').some((line) => line.includes('[data-service') && line.includes(`"requestId":"${requestId}"`)),
    ).toBe(true);
  }, 240_000);

  it('serves metrics, docs and queues on the operator listeners only, and prints where they are', async () => {
    const pairs = [
      [ports.dealer, ports.operators.dealer],
      [ports.data, ports.operators.data],
      [ports.worker, ports.operators.worker],
      [ports.dashboard, ports.operators.dashboard],
    ] as const;
    for (const [publicPort, operatorPort] of pairs) {
      expect(output).toContain(url(operatorPort));
      for (const path of ['/metrics', '/openapi.json', '/docs']) {
        expect((await fetch(`${url(publicPort)}${path}`)).status, `${publicPort}${path}`).toBe(404);
        expect((await fetch(`${url(operatorPort)}${path}`)).status, `${operatorPort}${path}`).toBe(200);
      }
      expect(await (await fetch(`${url(publicPort)}/health/ready`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${url(operatorPort)}/health/ready`)).json()).toMatchObject({
        status: 'ok',
        checks: {},
      });
    }
    expect((await fetch(`${url(ports.worker)}/queues`)).status).toBe(404);
    expect((await fetch(`${url(ports.operators.worker)}/queues`)).status).toBe(200);
    expect(output).toContain(`Queues: ${url(ports.operators.worker)}/queues/board`);
  });

  it('writes no token, secret or key to any log line of the whole run', () => {
    // Every secret `pnpm start` generated (peppers, keys, client secrets, the session secret).
    const generated = readFileSync(env.RUNNERLY_LOCAL_ENV_FILE!, 'utf8')
      .split('\n')
      .map((line) => /^[A-Z0-9_]+=(.*)$/.exec(line)?.[1]?.replace(/^"|"$/g, '') ?? '')
      .flatMap((value) => value.split(/[,:]/).concat(value))
      .filter((value) => value.length >= 16);
    expect(generated.length).toBeGreaterThanOrEqual(5);
    const secrets = [...new Set([...generated, ...seenSecrets.filter((value) => value.length >= 16)])];
    const lines = output.split('\n');
    expect(lines.length).toBeGreaterThan(100);
    for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);

    // And nothing shaped like a credential: JWTs, Strava tokens (40 hex), bearer or basic credentials,
    // OAuth codes in URLs, unredacted credential headers or fields.
    const shapes = [
      /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]+/,
      /\b[0-9a-f]{40}\b/,
      /\b(Bearer|Basic) [\w.~+/=-]{8,}/,
      /[?&](code|state|access_token|refresh_token|client_secret)=/,
      /"(authorization|cookie|set-cookie|access_token|refresh_token|accessToken|refreshToken|client_secret|clientSecret)":"(?!\[redacted\])/i,
    ];
    for (const shape of shapes) expect(lines.filter((line) => shape.test(line))).toEqual([]);
  });
});
