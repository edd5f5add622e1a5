// `pnpm start`: the whole stack on this machine, no Docker. Generates the local secrets once
// (git-ignored, in .runnerly/), brings a PostgreSQL and a Redis when none is configured or answering
// (scripts/local-services.ts), starts every app with prefixed logs through `concurrently`, waits
// for each to be ready and prints the one URL to open. Ctrl-C stops them all, the local
// PostgreSQL and Redis last.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseEnv } from 'node:util';
import { SERVICE_CLIENTS } from '@runnerly/data-client/contract';
import { concurrently } from 'concurrently';
import { type LocalServices, LocalServiceError, startLocalServices } from './local-services.js';

const root = join(import.meta.dirname, '..');
// RUNNERLY_LOCAL_ENV_FILE lets the end-to-end test keep its own secrets apart from a developer's.
const localEnvFile = process.env.RUNNERLY_LOCAL_ENV_FILE ?? join(root, '.runnerly', 'local.env');
/** The local state beside it: the embedded PostgreSQL's and the local Redis's data. */
const stateDir = dirname(localEnvFile);

/** Secrets a development stack needs: generated on first start, kept out of git. */
const LOCAL_SECRETS = [
  'STRAVA_WEBHOOK_VERIFY_TOKEN',
  'SESSION_SECRET',
  'STRAVA_TOKEN_ENCRYPTION_KEYS',
  'STRAVA_CLIENT_SECRET',
  'TOKEN_DEALER_PEPPER',
  'TOKEN_DEALER_KEY_ENCRYPTION_KEY',
  'STRAVA_WORKER_BOARD_PASSWORD',
  'EMBEDDED_POSTGRES_PASSWORD',
];
/** Secrets with a format of their own (the others: 32 random bytes, hex). */
const SECRET_FORMATS: Record<string, (bytes: Buffer) => string> = {
  STRAVA_TOKEN_ENCRYPTION_KEYS: (bytes) => `k1:${bytes.toString('base64')}`,
};

function readLocalEnv(): Record<string, string> {
  return existsSync(localEnvFile) ? (parseEnv(readFileSync(localEnvFile, 'utf8')) as Record<string, string>) : {};
}

function loadLocalSecrets(): Record<string, string> {
  const values = readLocalEnv();
  const missing = LOCAL_SECRETS.filter((name) => !values[name]);
  if (missing.length) {
    for (const name of missing)
      values[name] = (SECRET_FORMATS[name] ?? ((bytes) => bytes.toString('hex')))(randomBytes(32));
    mkdirSync(dirname(localEnvFile), { recursive: true });
    writeFileSync(
      localEnvFile,
      `${Object.entries(values)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
      { mode: 0o600 },
    );
  }
  return values;
}

if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
const env: Record<string, string> = { ...loadLocalSecrets(), ...(process.env as Record<string, string>) };
// concurrently pipes the apps' output, so they log JSON unless told otherwise: on a terminal, one
// readable line per event (LOG_FORMAT=json keeps JSON).
if (!env.LOG_FORMAT && process.stdout.isTTY) env.LOG_FORMAT = 'pretty';

/** Lines of start.ts itself, among the apps' prefixed ones. */
const say = (line: string) => console.log(`[runnerly]      ${line}`);

// Ctrl-C or SIGTERM: the apps first (once started), then the local PostgreSQL and Redis. Before the
// apps run, exiting is enough: the local services' exit hooks stop them.
let stopping = false;
const running: { stopApps?: () => void } = {};
const stop = () => {
  if (stopping) return;
  stopping = true;
  if (running.stopApps) running.stopApps();
  else process.exit(130);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

let local: LocalServices;
try {
  local = await startLocalServices({ env, stateDir, postgresPassword: env.EMBEDDED_POSTGRES_PASSWORD!, say });
} catch (error) {
  if (!(error instanceof LocalServiceError)) throw error;
  console.error(error.message);
  process.exit(1);
}
Object.assign(env, local.env);

interface App {
  name: string;
  port: number;
  /** The operator listener (metrics, docs, readiness details, the worker's queues); none for the sandbox. */
  operatorPort?: number;
}
const useSandbox = !env.STRAVA_BASE_URL;
if (useSandbox) {
  // The sandbox's one application: the same base URL and credentials for the sandbox, dashboard and worker.
  env.STRAVA_BASE_URL = `http://127.0.0.1:${env.STRAVA_SANDBOX_PORT ?? 5003}`;
  env.STRAVA_CLIENT_ID ??= '100001';
  // The sandbox delivers webhook events to the worker, as Strava would.
  env.STRAVA_WEBHOOK_CALLBACK_URL ??= `http://127.0.0.1:${env.STRAVA_WORKER_PORT ?? 5002}/strava/webhook`;
}
const apps: App[] = [
  ...(useSandbox ? [{ name: 'strava-sandbox', port: Number(env.STRAVA_SANDBOX_PORT ?? 5003) }] : []),
  {
    name: 'token-dealer',
    port: Number(env.TOKEN_DEALER_PORT ?? 5000),
    operatorPort: Number(env.TOKEN_DEALER_OPERATOR_PORT ?? 5100),
  },
  {
    name: 'data-service',
    port: Number(env.DATA_SERVICE_PORT ?? 5001),
    operatorPort: Number(env.DATA_SERVICE_OPERATOR_PORT ?? 5101),
  },
  {
    name: 'strava-worker',
    port: Number(env.STRAVA_WORKER_PORT ?? 5002),
    operatorPort: Number(env.STRAVA_WORKER_OPERATOR_PORT ?? 5102),
  },
  {
    name: 'dashboard',
    port: Number(env.DASHBOARD_PORT ?? 3000),
    operatorPort: Number(env.DASHBOARD_OPERATOR_PORT ?? 3100),
  },
];
const operatorHost = env.OPERATOR_HOST || '127.0.0.1';
const operatorBase = (port: number) =>
  `http://${operatorHost.includes(':') ? `[${operatorHost}]` : operatorHost}:${port}`;

say(`Preparing: the token-dealer's migrations and its clients for the dashboard and the worker...`);
// The dashboard's and the worker's token-dealer clients (least-privilege scopes), made sure of before
// anything starts by the token-dealer's own `clients provision`: it keeps their secrets in
// .runnerly/local.env and rotates a missing or stale one.
const provision = spawnSync(
  process.execPath,
  [
    '--import',
    '@swc-node/register/esm-register',
    'apps/token-dealer/src/cli/main.ts',
    'clients',
    'provision',
    '--secrets-file',
    localEnvFile,
  ],
  { cwd: root, env, encoding: 'utf8' },
);
if (provision.status !== 0) {
  console.error(`Could not provision the token-dealer clients: ${provision.stderr.trim() || provision.error?.message}`);
  await local.stop();
  process.exit(1);
}
const provisioned = readLocalEnv();
for (const client of SERVICE_CLIENTS) env[client.secretVariable] = provisioned[client.secretVariable]!;

say(`Starting ${apps.map((app) => app.name).join(', ')}; the URL to open follows once all are ready.`);
const { commands, result } = concurrently(
  apps.map((app) => ({
    name: app.name,
    cwd: join(root, 'apps', app.name),
    command: `"${process.execPath}" --enable-source-maps --import @swc-node/register/esm-register src/main.ts`,
    env,
  })),
  {
    prefix: 'name',
    padPrefix: true,
    prefixColors: ['cyan', 'magenta', 'green', 'yellow', 'blue'],
    killOthersOn: ['failure'],
    killSignal: 'SIGTERM',
  },
);

async function waitUntilReady(app: App, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${app.port}/health/ready`)).ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  return false;
}

void (async () => {
  const deadline = Date.now() + 120_000;
  const ready = await Promise.all(apps.map((app) => waitUntilReady(app, deadline)));
  const late = apps.filter((_, index) => !ready[index]).map((app) => app.name);
  if (late.length) console.error(`\nNot ready after 120 s: ${late.join(', ')} (see the logs above)\n`);
  else {
    const worker = apps.find((app) => app.name === 'strava-worker');
    // Operators' endpoints listen apart from the public ports, on this machine only by default.
    const operators = apps
      .filter((app) => app.operatorPort !== undefined)
      .map(
        (app) =>
          `  ${app.name.padEnd(13)} ${operatorBase(app.operatorPort!)}  (/metrics, /docs, /openapi.json, /health/ready)`,
      );
    const board = worker?.operatorPort
      ? `\nQueues: ${operatorBase(worker.operatorPort)}/queues/board (user operator, password STRAVA_WORKER_BOARD_PASSWORD in ${localEnvFile})`
      : '';
    console.log(
      `\nRunnerly is up: open ${env.DASHBOARD_URL ?? `http://localhost:${apps.at(-1)!.port}`}` +
        `\nOperator endpoints:\n${operators.join('\n')}${board}\n`,
    );
  }
})();

running.stopApps = () => {
  for (const command of commands) command.kill('SIGTERM');
};
// Apps stopped by Ctrl-C exit by signal: that is a clean stop, not a failure. The local
// PostgreSQL and Redis stop after the apps, which may still write while they stop.
result.then(
  async () => {
    await local.stop();
    process.exit(0);
  },
  async () => {
    await local.stop();
    process.exit(stopping ? 0 : 1);
  },
);
