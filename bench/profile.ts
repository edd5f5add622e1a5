// `pnpm bench:profile TARGET [SECONDS]`: where one service's time goes under load. The service runs
// as `pnpm start` runs it (bench/services.ts) with V8's CPU profiler on; autocannon loads it (3 s of
// warm-up, then SECONDS, default 8); the profile of the loaded window is summed as self time per
// request, by package or file and by function. TARGET: `token-dealer`, `data-service` or
// `dashboard` (GET /health/live, 10 connections) or `token` (the token-dealer's POST /oauth/token,
// client_secret_basic, 32 connections). The whole profile is left in bench/profiles/TARGET.cpuprofile
// for Chrome's DevTools.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, leaseTestRedis } from '@runnerly/testing';
import autocannon from 'autocannon';
import { runTokenDealerCli } from '../apps/token-dealer/src/testing/index.js';
import { cpuMicros } from './cpu.js';
import { type ServiceName, startServices } from './services.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const root = join(import.meta.dirname, '..');
const target = process.argv[2] ?? '';
const seconds = Number(process.argv[3] ?? 8);
const services: Record<string, ServiceName> = {
  'token-dealer': 'token-dealer',
  'data-service': 'data-service',
  dashboard: 'dashboard',
  token: 'token-dealer',
};
const service = services[target];
if (service === undefined)
  throw new Error(`usage: pnpm bench:profile token-dealer|data-service|dashboard|token [seconds]`);
/** V8 samples every INTERVAL_US microseconds. */
const INTERVAL_US = 200;
/**
 * Writes to the socket: on a machine whose cores the load generator shares, a process that wakes it
 * is often descheduled inside the write, and that wait is sampled there. Reported apart.
 */
const SOCKET_WRITES = new Set(['writev', 'writeUtf8String', 'writeBuffer', 'writeLatin1String']);

const outDir = join(root, 'bench', 'profiles');
const runDir = join(outDir, `.${target}-${process.pid}`);
mkdirSync(runDir, { recursive: true });
const [database, redis] = await Promise.all([createTestDatabase(), leaseTestRedis()]);
try {
  const stack = await startServices(
    { databaseUrl: database.url, redisUrl: redis.url },
    { [service]: ['--cpu-prof', `--cpu-prof-dir=${runDir}`, `--cpu-prof-interval=${INTERVAL_US}`] },
  );
  let window: { from: number; to: number; requests: number; cpu: number };
  try {
    const { url, process: child } = stack.services[service];
    let options: autocannon.Options = { url: `${url}/health/live`, connections: 10 };
    if (target === 'token') {
      const created = runTokenDealerCli(
        ['clients', 'create', '--id', 'profile', '--scope', 'runs:read', '--audience', 'data-service'],
        { ...process.env, ...stack.tokenDealerEnv },
      );
      if (created.status !== 0) throw new Error(`clients create: ${created.stderr}`);
      const { client_secret: secret } = JSON.parse(created.stdout) as { client_secret: string };
      options = {
        url: `${url}/oauth/token`,
        connections: 32,
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`profile:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=runs:read&audience=data-service',
      };
    }
    await autocannon({ ...options, duration: 3 });
    const pid = child.child.pid!;
    const cpuBefore = cpuMicros(pid);
    // V8's profile timestamps and hrtime are both the monotonic clock, in microseconds here.
    const from = Number(process.hrtime.bigint() / 1000n);
    const result = await autocannon({ ...options, duration: seconds });
    const to = Number(process.hrtime.bigint() / 1000n);
    if (result.non2xx + result.errors > 0) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
    window = { from, to, requests: result.requests.total, cpu: cpuMicros(pid) - cpuBefore };
  } finally {
    await stack.stop();
  }
  const written = readdirSync(runDir).find((file) => file.endsWith('.cpuprofile'));
  if (written === undefined) throw new Error(`${service} wrote no profile (did it exit by itself on SIGTERM?)`);
  const file = join(outDir, `${target}.cpuprofile`);
  renameSync(join(runDir, written), file);
  report(JSON.parse(readFileSync(file, 'utf8')) as Profile, window, file);
} finally {
  rmSync(runDir, { recursive: true, force: true });
  await Promise.all([database.drop(), redis.release()]);
}

/** Where a frame's code lives: its npm package, a node: module, or the file in this repository. */
function place(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1]!;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  return url.replace(`file://${root}/`, '');
}

function report(profile: Profile, window: { from: number; to: number; requests: number; cpu: number }, file: string) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  let writes = 0;
  let time = profile.startTime;
  profile.samples.forEach((id, index) => {
    time += profile.timeDeltas[index]!;
    const node = nodes.get(id)!;
    if (time < window.from || time > window.to || node.callFrame.functionName === '(idle)') return;
    if (SOCKET_WRITES.has(node.callFrame.functionName)) {
      writes += 1;
      return;
    }
    busy += 1;
    const where = place(node);
    byPlace.set(where, (byPlace.get(where) ?? 0) + 1);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
  });
  const perRequest = (samples: number) => `${((samples * INTERVAL_US) / window.requests).toFixed(2)} µs`;
  const top = (counts: Map<string, number>, n: number) =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, samples]) => `${perRequest(samples).padStart(10)}  ${name}`)
      .join('\n');
  const seconds = (window.to - window.from) / 1e6;
  console.log(
    [
      `${target}: ${Math.round(window.requests / seconds)} requests/s; the process's CPU ${(window.cpu / window.requests).toFixed(1)} µs per request (every thread, user and system)`,
      `sampled on the main thread, per request: ${perRequest(busy)} of code, ${perRequest(writes)} in socket writes (with the waits for a core)`,
      '',
      'self time per request, by package or file:',
      top(byPlace, 25),
      '',
      'self time per request, by function:',
      top(byFunction, 30),
      '',
      `whole profile: ${file}`,
    ].join('\n'),
  );
}
