// The platform layer's own cost: each service's trivial route (GET /health/live) with request
// logging and metrics on, each service started exactly as `pnpm start` runs it (its src/main.ts
// under the SWC loader with --enable-source-maps, LOG_LEVEL at its default, JSON logs on a pipe),
// against a bare app of the same framework (bench/bare-framework-server.ts) answering the same
// route in the same run. Every server is a child process; autocannon drives them from here, the
// targets taken in turn, each one's best round kept (the machine is shared: noise only slows down).
import { join } from 'node:path';
import { createTestDatabase, leaseTestRedis, type ServiceProcess, startService } from '@runnerly/testing';
import autocannon from 'autocannon';
import { cpuMicros, cpuNote } from './cpu.js';
import { startServices } from './services.js';
import { type BenchResult, compared } from './types.js';

const root = join(import.meta.dirname, '..');
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CONNECTIONS = 10;
const WARM_UP_SECONDS = 5;

async function startBare(framework: 'fastify' | 'express'): Promise<{ process: ServiceProcess; url: string }> {
  const child = await startService({ cwd: root, args: ['bench/bare-framework-server.ts', framework] });
  const [, port] = await child.waitForLine(/listening (\d+)/);
  return { process: child, url: `http://127.0.0.1:${port}` };
}

/** Requests/s of one round, and the server's CPU per request over it (`pid`, see cpu.ts). */
async function round(url: string, pid: number, duration = DURATION_SECONDS) {
  const cpuBefore = cpuMicros(pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration });
  if (result.non2xx + result.errors + result.timeouts > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { rps: result['2xx'] / result.duration, cpu: (cpuMicros(pid) - cpuBefore) / result['2xx'] };
}

export default async function run(): Promise<BenchResult[]> {
  const [database, redis] = await Promise.all([createTestDatabase(), leaseTestRedis()]);
  const stack = await startServices({ databaseUrl: database.url, redisUrl: redis.url }).catch(
    async (error: unknown) => {
      await Promise.all([database.drop(), redis.release()]);
      throw error;
    },
  );
  const children: ServiceProcess[] = [];
  try {
    const [fastify, express] = await Promise.all([startBare('fastify'), startBare('express')]);
    children.push(fastify.process, express.process);

    const { 'token-dealer': dealer, 'data-service': data, dashboard } = stack.services;
    const targets: Record<string, [string, ServiceProcess]> = {
      'token-dealer': [`${dealer.url}/health/live`, dealer.process],
      'data-service': [`${data.url}/health/live`, data.process],
      dashboard: [`${dashboard.url}/health/live`, dashboard.process],
      'bare Fastify': [`${fastify.url}/health/live`, fastify.process],
      'bare Express': [`${express.url}/health/live`, express.process],
    };
    // Warm-up, as in the token-dealer bench: a Nest app has far more code for V8 to compile than a bare one.
    for (const [url, server] of Object.values(targets)) await round(url, server.child.pid!, WARM_UP_SECONDS);
    // Per target: its best round's requests/s, and its least CPU per request over the rounds.
    const best: Record<string, number> = {};
    const cpu: Record<string, number> = {};
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const [name, [url, server]] of Object.entries(targets)) {
        const measured = await round(url, server.child.pid!);
        best[name] = Math.max(best[name] ?? 0, measured.rps);
        cpu[name] = Math.min(cpu[name] ?? Infinity, measured.cpu);
      }
    }

    const notes = (name: string, bare: string) =>
      `server CPU per request ${cpuNote(cpu[name]!, cpu[bare]!)}; as \`pnpm start\` runs it (SWC loader, --enable-source-maps, LOG_LEVEL=info, JSON logs), request ids, logging and metrics on; ${CONNECTIONS} connections, best of ${ROUNDS}×${DURATION_SECONDS} s, interleaved`;
    const target = '≥ 0.6× bare';
    const fastifyBaseline = { name: 'bare Fastify, same route', value: best['bare Fastify']! };
    const expressBaseline = { name: 'bare Express, same route', value: best['bare Express']! };
    return [
      compared('token-dealer GET /health/live (Fastify)', 'req/s', best['token-dealer']!, fastifyBaseline, {
        target,
        notes: notes('token-dealer', 'bare Fastify'),
      }),
      compared('data-service GET /health/live (Fastify)', 'req/s', best['data-service']!, fastifyBaseline, {
        target,
        notes: notes('data-service', 'bare Fastify'),
      }),
      compared('dashboard GET /health/live (Express)', 'req/s', best.dashboard!, expressBaseline, {
        target,
        notes: notes('dashboard', 'bare Express'),
      }),
    ];
  } finally {
    for (const child of children.reverse()) await child.stop();
    await stack.stop();
    await Promise.all([database.drop(), redis.release()]);
  }
}
