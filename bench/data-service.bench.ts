// data-service throughput against a bare baseline measured in the same run:
// - reads: guarded `GET /users/{id}/runs` (a page of 50 runs, real ES256 token) vs a bare
//   node:http + pg server sending the same SQL;
// - ingest: runs/s through `PUT /users/{id}/runs` (batches of 200 new runs, validated, one upsert
//   statement per batch) vs the bare server running the same multi-row upsert.
// Both servers run as child processes (one Node process each, same pool size, same database);
// autocannon drives them from this process.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, freePort, startService } from '@runnerly/testing';
import autocannon from 'autocannon';
import { createTestIssuer } from '../apps/data-service/bench/support.js';
import { type BenchResult, compared } from './types.js';

const appDir = join(import.meta.dirname, '..', 'apps', 'data-service');
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 8;
const BATCH = 200;
const SEEDED_RUNS = 600;
const POOL_SIZE = '10';

let nextStravaId = 10_000_000_000;
const POLYLINE =
  'ki{eFvqfiVqAWQIGEEKAYJgBVqDJ{BHa@jAkNJw@Pw@V{APs@^aABQAOEQGKoJ_FuJkFqAo@{A}@sH{DiAs@Q]?WVy@`@oBt@_CB]KYMMkB{AQEI@WT{BlE';

function run(index: number) {
  const stravaId = nextStravaId++;
  const day = new Date(Date.UTC(2025, 0, 1) + index * 3_600_000 * 7);
  const iso = day.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    stravaId,
    name: `Run ${stravaId}`,
    sportType: 'Run',
    startDate: iso,
    startDateLocal: iso.slice(0, -1),
    timezone: '(GMT+00:00) Europe/London',
    distance: 5000 + (index % 100) * 37.5,
    movingTime: 1500 + (index % 60),
    elapsedTime: 1600 + (index % 60),
    totalElevationGain: 12.5,
    averageSpeed: 3.3,
    maxSpeed: 4.9,
    averageHeartrate: 150.5,
    maxHeartrate: 175,
    summaryPolyline: POLYLINE,
  };
}

const batchBody = () => JSON.stringify({ runs: Array.from({ length: BATCH }, (_, index) => run(index)) });

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function startDataService(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startService({
    cwd: appDir,
    env: { ...env, DATA_SERVICE_PORT: String(port), DATA_SERVICE_OPERATOR_PORT: '0', HOST: '127.0.0.1' },
    readyUrl: `${url}/health/ready`,
  });
  return { url, stop: () => child.stop() };
}

async function startBare(databaseUrl: string): Promise<Server> {
  const child = await startService({
    cwd: appDir,
    args: ['bench/bare-server.ts'],
    env: { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: POOL_SIZE, PORT: '0' },
  });
  const [, port] = await child.waitForLine(/listening (\d+)/);
  return { url: `http://127.0.0.1:${port}`, stop: () => child.stop() };
}

async function load(options: autocannon.Options): Promise<autocannon.Result> {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_SECONDS, ...options });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${options.title}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result;
}

const readsPerSecond = (result: autocannon.Result) => result['2xx'] / result.duration;
const runsPerSecond = (result: autocannon.Result) => (result['2xx'] * BATCH) / result.duration;

export default async function main(): Promise<BenchResult[]> {
  const [database, issuer] = await Promise.all([createTestDatabase(), createTestIssuer()]);
  const servers: Server[] = [];
  try {
    const service = await startDataService({
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: POOL_SIZE,
      TOKEN_DEALER_URL: issuer.issuer,
      STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      // Per-request access logs off on both sides (the bare server has none). Revocation is checked,
      // as it always is now (the machine's Redis, read only).
      LOG_LEVEL: 'warn',
    });
    servers.push(service);
    const bare = await startBare(database.url);
    servers.push(bare);

    // A token as a real caller holds it: fetched once, reused until it expires (the longest lifetime
    // the data-service accepts, the token-dealer's 15 minutes).
    const authorization = `Bearer ${issuer.sign({ scope: 'users:write runs:read runs:write' }, { expiresIn: 900 })}`;
    const json = { authorization, 'content-type': 'application/json' };
    const createUser = async (stravaAthleteId: number) => {
      const response = await fetch(`${service.url}/users`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ stravaAthleteId, firstname: 'Bench', lastname: 'Runner' }),
      });
      return ((await response.json()) as { id: string }).id;
    };
    const [reader, serviceWriter, bareWriter] = [await createUser(1), await createUser(2), await createUser(3)];
    for (let seeded = 0; seeded < SEEDED_RUNS; seeded += BATCH) {
      await fetch(`${service.url}/users/${reader}/runs`, { method: 'PUT', headers: json, body: batchBody() });
    }

    const readPath = `/users/${reader}/runs?limit=50`;
    const ingest = (server: Server, userId: string, title: string, headers: Record<string, string>) =>
      load({
        title,
        url: server.url,
        connections: 4,
        requests: [
          {
            method: 'PUT',
            path: `/users/${userId}/runs`,
            headers,
            setupRequest: (request) => ({ ...request, body: batchBody() }),
          },
        ],
      });

    // Warm both up (JIT, pools, the verified-token cache) before measuring.
    await load({ title: 'warm-up service', url: `${service.url}${readPath}`, headers: { authorization }, duration: 2 });
    await load({ title: 'warm-up bare', url: `${bare.url}${readPath}`, duration: 2 });

    // Alternate the two sides, keep each side's best round: the machine is shared, and the best
    // round is the one least disturbed by others.
    const best = { serviceReads: 0, bareReads: 0, serviceIngest: 0, bareIngest: 0 };
    for (let round = 0; round < ROUNDS; round += 1) {
      const bareReads = readsPerSecond(await load({ title: 'bare reads', url: `${bare.url}${readPath}` }));
      const serviceReads = readsPerSecond(
        await load({ title: 'service reads', url: `${service.url}${readPath}`, headers: { authorization } }),
      );
      const bareIngest = runsPerSecond(
        await ingest(bare, bareWriter, 'bare ingest', { 'content-type': 'application/json' }),
      );
      const serviceIngest = runsPerSecond(await ingest(service, serviceWriter, 'service ingest', json));
      console.log(
        `  round ${round + 1}: reads ${Math.round(serviceReads)} vs bare ${Math.round(bareReads)} req/s; ingest ${Math.round(serviceIngest)} vs bare ${Math.round(bareIngest)} runs/s`,
      );
      best.bareReads = Math.max(best.bareReads, bareReads);
      best.serviceReads = Math.max(best.serviceReads, serviceReads);
      best.bareIngest = Math.max(best.bareIngest, bareIngest);
      best.serviceIngest = Math.max(best.serviceIngest, serviceIngest);
    }

    const setup = `${CONNECTIONS} connections, ${DURATION_SECONDS} s × best of ${ROUNDS} rounds, pool ${POOL_SIZE}, LOG_LEVEL=warn`;
    return [
      compared(
        'data-service GET /users/{id}/runs (50 runs/page, ES256 token)',
        'req/s',
        best.serviceReads,
        { name: 'bare node:http + pg, same SQL', value: best.bareReads },
        {
          target: '≥ 0.60× bare',
          notes: setup,
        },
      ),
      compared(
        'data-service PUT /users/{id}/runs ingest',
        'runs/s',
        best.serviceIngest,
        { name: 'bare node:http + pg, same upsert', value: best.bareIngest },
        {
          target: '≥ 0.50× bare',
          notes: `batches of ${BATCH} new runs, 4 connections, validated with zod, one INSERT … ON CONFLICT per batch`,
        },
      ),
    ];
  } finally {
    for (const server of servers.reverse()) await server.stop();
    await Promise.all([issuer.close(), database.drop()]);
  }
}
