// `pnpm test:compose`: docker-compose.yml run for real, through podman (no Docker engine or image
// registry is reachable here). Builds the base images (scripts/podman/base-images.sh) and the five
// app images from the Dockerfile, starts podman's Docker-compatible socket and runs the stack with
// docker-compose on it; waits for every service to be healthy; logs in through the Strava sandbox in
// Chromium and sees the runs; restarts PostgreSQL, Redis and the data-service and sees nothing lost
// (same runs, same session); stops every service with SIGTERM and checks each one exited by itself
// within its grace period; tears everything down (`down -v`). Prints each phase's time.
// Host ports are picked free (PUBLISH_*), so it runs beside another stack on this machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@runnerly/testing';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APPS = ['strava-sandbox', 'token-dealer', 'data-service', 'strava-worker', 'dashboard'] as const;
const PROJECT = 'runnerly-compose-test';
/** Dependents first: the order `docker compose down` stops them in. */
const STOP_ORDER = [
  'dashboard',
  'strava-worker',
  'data-service',
  'token-dealer',
  'strava-sandbox',
  'redis',
  'postgres',
];

const timings: Array<[string, number]> = [];
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  console.log(`compose-test: ${name}...`);
  try {
    return await run();
  } finally {
    const seconds = (performance.now() - started) / 1000;
    timings.push([name, seconds]);
    console.log(`compose-test: ${name}: ${seconds.toFixed(1)} s`);
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; rejects when it fails unless `allowFailure`. Its output is echoed when `echo`. */
function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; echo?: boolean; allowFailure?: boolean } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: options.env ?? env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code: code ?? 1, stdout, stderr };
      if (result.code !== 0 && !options.allowFailure) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${stderr.slice(-4000)}`));
      } else resolve(result);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Whether the Docker-compatible API answers on the socket. */
function ping(): Promise<boolean> {
  return new Promise((resolve) => {
    const request = httpRequest({ socketPath: socket, path: '/_ping' }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`compose-test: timed out waiting for ${what}`);
    await sleep(1000);
  }
}

// The project's own podman (scripts/podman/env.sh): its config and storage under .runnerly/podman.
const podmanEnv = await run(
  'bash',
  [
    '-c',
    'source scripts/podman/env.sh && printf "%s\\n" "$RUNNERLY_PODMAN_DIR" "$CONTAINERS_CONF" "$CONTAINERS_STORAGE_CONF"',
  ],
  { env: process.env },
);
const [podmanDir, containersConf, storageConf] = podmanEnv.stdout.trim().split('\n') as [string, string, string];
const socket = join(podmanDir, 'podman.sock');
let env: NodeJS.ProcessEnv = {
  ...process.env,
  CONTAINERS_CONF: containersConf,
  CONTAINERS_STORAGE_CONF: storageConf,
  DOCKER_HOST: `unix://${socket}`,
  COMPOSE_PROJECT_NAME: PROJECT,
  COMPOSE_HTTP_TIMEOUT: '300',
};

const compose = (args: string[], options: { echo?: boolean; allowFailure?: boolean } = {}) =>
  run('docker-compose', ['-f', 'docker-compose.yml', ...args], options);
const podman = (args: string[], options: { echo?: boolean; allowFailure?: boolean } = {}) =>
  run('podman', args, options);

/** The project's containers: compose service name → container id (running or not). */
async function containers(): Promise<Map<string, string>> {
  const { stdout } = await podman([
    'ps',
    '--all',
    '--filter',
    `label=com.docker.compose.project=${PROJECT}`,
    '--format',
    '{{.ID}} {{index .Labels "com.docker.compose.service"}}',
  ]);
  const byService = new Map<string, string>();
  for (const line of stdout.trim().split('\n').filter(Boolean)) {
    const [id, service] = line.split(' ') as [string, string];
    byService.set(service, id);
  }
  return byService;
}

interface State {
  Status: string;
  ExitCode: number;
  Health?: { Status: string };
  Healthcheck?: { Status: string };
}
async function state(id: string): Promise<State> {
  const { stdout } = await podman(['inspect', '--format', '{{json .State}}', id]);
  return JSON.parse(stdout) as State;
}

/**
 * podman runs healthchecks from systemd timers, and there is no systemd here: this runs each
 * running container's healthcheck every 2 s instead, which is what sets the health that
 * docker-compose's `condition: service_healthy` waits for.
 */
function pumpHealthchecks(): () => Promise<void> {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { stdout } = await podman(
        [
          'ps',
          '--filter',
          `label=com.docker.compose.project=${PROJECT}`,
          '--filter',
          'health=starting',
          '--filter',
          'health=unhealthy',
          '--format',
          '{{.ID}}',
        ],
        { allowFailure: true },
      );
      for (const id of stdout.trim().split('\n').filter(Boolean)) {
        await podman(['healthcheck', 'run', id], { allowFailure: true });
      }
      await sleep(2000);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

async function allHealthy(services: string[]): Promise<void> {
  await until(`${services.join(', ')} healthy`, 300_000, async () => {
    const ids = await containers();
    for (const service of services) {
      const id = ids.get(service);
      if (!id) return undefined;
      const { Status, Health, Healthcheck } = await state(id);
      if (Status !== 'running' || (Health ?? Healthcheck)?.Status !== 'healthy') return undefined;
    }
    return true;
  });
}

async function json(page: Page, path: string): Promise<unknown> {
  const response = await page.request.get(new URL(path, page.url()).href);
  if (!response.ok()) throw new Error(`compose-test: GET ${path}: ${response.status()}`);
  return response.json();
}

const composeFile = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { stop_grace_period?: string; healthcheck?: unknown }>;
};
const healthChecked = Object.entries(composeFile.services)
  .filter(([, service]) => service.healthcheck)
  .map(([name]) => name);

let service: ChildProcess | undefined;
let browser: Browser | undefined;
let stopPump: (() => Promise<void>) | undefined;
let failed = false;
try {
  const images = await phase('base images (debootstrap, Node.js, PostgreSQL, Redis)', () =>
    run('bash', ['scripts/podman/base-images.sh'], { echo: false }),
  );
  const baseImages = Object.fromEntries(
    images.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('=') as [string, string]),
  );
  env = { ...env, ...baseImages };

  // --no-build: the app images as they are (after a run that built them from the same sources).
  for (const app of process.argv.includes('--no-build') ? [] : APPS) {
    await phase(`image runnerly/${app}`, () =>
      podman([
        'build',
        '--network',
        'host',
        '--build-arg',
        `APP=${app}`,
        '--build-arg',
        `NODE_IMAGE=${env.NODE_IMAGE}`,
        '-t',
        `runnerly/${app}`,
        '.',
      ]),
    );
  }
  // A Docker client's short name is Docker Hub's, in podman's Docker-compatible API too.
  for (const app of APPS) await podman(['tag', `runnerly/${app}`, `docker.io/runnerly/${app}`]);

  await phase('podman service (Docker-compatible socket)', async () => {
    rmSync(socket, { force: true });
    mkdirSync(podmanDir, { recursive: true });
    service = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
      cwd: ROOT,
      env,
      stdio: 'ignore',
    });
    await until('the podman socket', 30_000, async () => (existsSync(socket) ? true : undefined));
    await until('the podman API', 30_000, async () => ((await ping()) ? true : undefined));
  });

  const ports: Record<string, number> = {};
  for (const name of [
    'DASHBOARD',
    'DASHBOARD_OPERATOR',
    'SANDBOX',
    'WEBHOOK',
    'STRAVA_WORKER_OPERATOR',
    'TOKEN_DEALER',
    'TOKEN_DEALER_OPERATOR',
    'DATA_SERVICE',
    'DATA_SERVICE_OPERATOR',
  ]) {
    ports[name] = await freePort();
    env[`PUBLISH_${name}`] = String(ports[name]);
  }
  const dashboard = `http://127.0.0.1:${ports.DASHBOARD}`;
  env.DASHBOARD_URL = dashboard;
  env.STRAVA_BROWSER_BASE_URL = `http://127.0.0.1:${ports.SANDBOX}`;

  await compose(['down', '-v', '--remove-orphans'], { allowFailure: true });
  stopPump = pumpHealthchecks();
  await phase('docker-compose up (until every service is healthy)', async () => {
    await compose(['up', '-d', '--no-build'], { echo: true });
    await allHealthy(healthChecked);
  });

  browser = await launchChromium();
  const page = await browser.newPage();
  const before = await phase('log in through the sandbox in Chromium, runs synced', async () => {
    await page.goto(dashboard);
    await page.getByRole('link', { name: 'Log in with Strava' }).click();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.getByTestId('athlete-name').waitFor({ timeout: 60_000 });
    await page.getByTestId('runs').waitFor({ timeout: 120_000 });
    await until('the first sync', 120_000, async () =>
      /^Synced/.test((await page.getByTestId('sync-status').textContent()) ?? '') ? true : undefined,
    );
    const runs = (await json(page, '/api/runs')) as { items: unknown[] };
    if (runs.items.length === 0) throw new Error('compose-test: no runs after the first sync');
    console.log(`compose-test: ${runs.items.length} runs on the first page`);
    return { runs, stats: await json(page, '/api/stats?period=week') };
  });

  await phase('restart postgres, redis, data-service; nothing lost', async () => {
    await compose(['restart', 'postgres', 'redis', 'data-service'], { echo: true });
    await allHealthy(healthChecked);
    await until('the page after the restart', 60_000, async () => {
      const response = await page.reload().catch(() => null);
      return response?.ok() ? true : undefined;
    });
    await page.getByTestId('athlete-name').waitFor({ timeout: 30_000 });
    const after = { runs: await json(page, '/api/runs'), stats: await json(page, '/api/stats?period=week') };
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      throw new Error(
        `compose-test: the runs changed across the restart\nbefore ${JSON.stringify(before)}\nafter ${JSON.stringify(after)}`,
      );
    }
  });
  await browser.close();
  browser = undefined;

  await phase('SIGTERM: every service stops by itself within its grace period', async () => {
    const ids = await containers();
    for (const name of STOP_ORDER) {
      const id = ids.get(name);
      if (!id) throw new Error(`compose-test: no container for ${name}`);
      const grace = Number.parseInt(composeFile.services[name]?.stop_grace_period ?? '10', 10);
      const started = performance.now();
      await podman(['stop', '--time', String(grace), id]);
      const seconds = (performance.now() - started) / 1000;
      const { ExitCode } = await state(id);
      console.log(
        `compose-test:   ${name}: stopped in ${seconds.toFixed(1)} s (grace ${grace} s), exit code ${ExitCode}`,
      );
      // 137: SIGKILL after the grace period. Node.js exits 0 after closing; PostgreSQL and Redis 0.
      if (ExitCode === 137 || seconds >= grace) throw new Error(`compose-test: ${name} did not stop within ${grace} s`);
    }
  });
} catch (error) {
  failed = true;
  console.error(error);
  // What the stack said, when it got as far as running (compose needs the podman socket).
  if (service) {
    await compose(['ps'], { echo: true, allowFailure: true }).catch(() => undefined);
    await compose(['logs', '--tail', '40'], { echo: true, allowFailure: true }).catch(() => undefined);
  }
} finally {
  await browser?.close();
  await stopPump?.();
  if (service) {
    await phase('docker-compose down -v', () =>
      compose(['down', '-v', '--remove-orphans'], { allowFailure: true }),
    ).catch(() => undefined);
  }
  service?.kill('SIGTERM');
  const { stdout } = await podman(
    ['images', '--filter', 'dangling=false', '--format', '{{.Repository}}:{{.Tag}} {{.Size}}'],
    { allowFailure: true },
  );
  console.log('\ncompose-test: images\n' + stdout);
  console.log('compose-test: timings');
  for (const [name, seconds] of timings) console.log(`  ${seconds.toFixed(1).padStart(7)} s  ${name}`);
  const total = timings.reduce((sum, [, seconds]) => sum + seconds, 0);
  console.log(`  ${total.toFixed(1).padStart(7)} s  total`);
  console.log(failed ? 'compose-test: FAILED' : 'compose-test: passed');
  process.exitCode = failed ? 1 : 0;
}
