// The platform layer's own cost: each service's trivial route (GET /health/live) with request
// logging and metrics on, each service started exactly as `pnpm start` runs it (its src/main.ts
// under the SWC loader with --enable-source-maps, LOG_LEVEL at its default, JSON logs on a pipe),
// against a bare app of the same framework (bench/bare-framework-server.ts) answering the same
// route in the same run. Every server is a child process; autocannon drives them from here, the
// targets taken in turn, each one's best round kept (the machine is shared: noise only slows down).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, freePort, leaseTestRedis, type ServiceProcess, startService } from '@runnerly/testing';
import autocannon from 'autocannon';
import { type BenchResult, compared } from './types.js';

const root = join(import.meta.dirname, '..');
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CONNECTIONS = 10;
/** What scripts/start.ts puts before the loader. */
const START_NODE_OPTIONS = ['--enable-source-maps'];

/** An app as `pnpm start` runs it, ready once its /health/live answers. */
async function startApp(name: string, env: Record<string, string>, port: number): Promise<ServiceProcess> {
  return startService({
    cwd: join(root, 'apps', name),
    nodeOptions: START_NODE_OPTIONS,
    env,
    readyUrl: `http://127.0.0.1:${port}/health/live`,
    timeoutMs: 180_000,
  });
}

async function startBare(framework: 'fastify' | 'express'): Promise<{ process: ServiceProcess; url: string }> {
  const child = await startService({ cwd: root, args: ['bench/bare-framework-server.ts', framework] });
  const [, port] = await child.waitForLine(/listening (\d+)/);
  return { process: child, url: `http://127.0.0.1:${port}` };
}

async function requestsPerSecond(url: string, duration = DURATION_SECONDS): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration });
  if (result.non2xx + result.errors + result.timeouts > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return result['2xx'] / result.duration;
}

export default async function run(): Promise<BenchResult[]> {
  const [database, redis] = await Promise.all([createTestDatabase(), leaseTestRedis()]);
  const [dealerPort, dataPort, dashboardPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const children: ServiceProcess[] = [];
  try {
    // LOG_LEVEL and LOG_FORMAT as `pnpm start` leaves them (info; JSON, stdout being a pipe).
    const common = { DATABASE_URL: database.url, REDIS_URL: redis.url, HOST: '127.0.0.1', LOG_LEVEL: 'info' };
    const dealerUrl = `http://127.0.0.1:${dealerPort}`;
    const dataUrl = `http://127.0.0.1:${dataPort}`;
    children.push(
      await startApp(
        'token-dealer',
        {
          ...common,
          TOKEN_DEALER_PEPPER: randomBytes(32).toString('hex'),
          TOKEN_DEALER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
          TOKEN_DEALER_ISSUER: dealerUrl,
          TOKEN_DEALER_PORT: String(dealerPort),
          TOKEN_DEALER_OPERATOR_PORT: '0',
        },
        dealerPort,
      ),
    );
    children.push(
      await startApp(
        'data-service',
        {
          ...common,
          TOKEN_DEALER_URL: dealerUrl,
          STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
          DATA_SERVICE_PORT: String(dataPort),
          DATA_SERVICE_OPERATOR_PORT: '0',
        },
        dataPort,
      ),
    );
    children.push(
      await startApp(
        'dashboard',
        {
          ...common,
          SESSION_SECRET: randomBytes(32).toString('hex'),
          STRAVA_BASE_URL: 'http://127.0.0.1:9',
          STRAVA_CLIENT_ID: '1',
          STRAVA_CLIENT_SECRET: randomBytes(20).toString('hex'),
          DASHBOARD_CLIENT_SECRET: randomBytes(24).toString('base64url'),
          TOKEN_DEALER_URL: dealerUrl,
          DATA_SERVICE_URL: dataUrl,
          DASHBOARD_PORT: String(dashboardPort),
          DASHBOARD_OPERATOR_PORT: '0',
        },
        dashboardPort,
      ),
    );
    const [fastify, express] = await Promise.all([startBare('fastify'), startBare('express')]);
    children.push(fastify.process, express.process);

    const targets: Record<string, string> = {
      'token-dealer': `${dealerUrl}/health/live`,
      'data-service': `${dataUrl}/health/live`,
      dashboard: `http://127.0.0.1:${dashboardPort}/health/live`,
      'bare Fastify': `${fastify.url}/health/live`,
      'bare Express': `${express.url}/health/live`,
    };
    for (const url of Object.values(targets)) await requestsPerSecond(url, 1);
    const best: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, url] of Object.entries(targets)) {
        best[name] = Math.max(best[name] ?? 0, await requestsPerSecond(url));
      }
    }

    const notes = `as \`pnpm start\` runs it (SWC loader, --enable-source-maps, LOG_LEVEL=info, JSON logs), request ids, logging and metrics on; ${CONNECTIONS} connections, best of ${ROUNDS}×${DURATION_SECONDS} s, interleaved`;
    const target = '≥ 0.6× bare';
    const fastifyBaseline = { name: 'bare Fastify, same route', value: best['bare Fastify']! };
    const expressBaseline = { name: 'bare Express, same route', value: best['bare Express']! };
    return [
      compared('token-dealer GET /health/live (Fastify)', 'req/s', best['token-dealer']!, fastifyBaseline, {
        target,
        notes,
      }),
      compared('data-service GET /health/live (Fastify)', 'req/s', best['data-service']!, fastifyBaseline, {
        target,
        notes,
      }),
      compared('dashboard GET /health/live (Express)', 'req/s', best.dashboard!, expressBaseline, { target, notes }),
    ];
  } finally {
    for (const child of children.reverse()) await child.stop();
    await Promise.all([database.drop(), redis.release()]);
  }
}
