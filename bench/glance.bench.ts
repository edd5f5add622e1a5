// The year at a glance: what each view's SQL costs PostgreSQL for an athlete with 3,000 runs,
// next to the cheapest query about the same rows (`SELECT count(*)` of the athlete's runs), in the
// same run. The question it answers: is a cache per athlete worth its invalidation?
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTestDatabase, freePort, startService } from '@runnerly/testing';
import {
  CALENDAR_DAYS_SQL,
  createTestIssuer,
  EDDINGTON_SQL,
  GOAL_SQL,
  pg,
  ROUTES_SQL,
  SHOES_SQL,
  STREAKS_SQL,
  YEARS_SQL,
} from '../apps/data-service/bench/support.js';
import { type BenchResult, compared, median } from './types.js';

const appDir = join(import.meta.dirname, '..', 'apps', 'data-service');
const RUNS = 3000;
const BATCH = 200;
const WARMUP = 5;
const SAMPLES = Number(process.env.BENCH_GLANCE_SAMPLES ?? 60);
const POLYLINE =
  'ki{eFvqfiVqAWQIGEEKAYJgBVqDJ{BHa@jAkNJw@Pw@V{APs@^aABQAOEQGKoJ_FuJkFqAo@{A}@sH{DiAs@Q]?WVy@`@oBt@_CB]KYMMkB{AQEI@WT{BlE';

/** 3,000 runs over about eight years (most days one, some two), in Tokyo, in two shoes. */
function run(index: number) {
  const start = Date.UTC(2019, 0, 1) + Math.floor(index * 0.97) * 86_400_000 + (index % 3) * 3_600_000 * 5;
  const local = new Date(start + 9 * 3_600_000).toISOString().slice(0, 19);
  return {
    stravaId: 20_000_000_000 + index,
    name: `Run ${index}`,
    sportType: 'Run',
    startDate: new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    startDateLocal: local,
    timezone: '(GMT+09:00) Asia/Tokyo',
    distance: 4000 + (index % 17) * 1000,
    movingTime: 1800,
    elapsedTime: 1900,
    totalElevationGain: 20,
    averageSpeed: 3,
    maxSpeed: 4,
    summaryPolyline: POLYLINE,
    gearId: index % 4 === 0 ? 'g2' : 'g1',
  };
}

async function timed(client: pg.Client, sql: string, values: unknown[]): Promise<number> {
  for (let i = 0; i < WARMUP; i += 1) await client.query(sql, values);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const start = performance.now();
    await client.query(sql, values);
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export default async function main(): Promise<BenchResult[]> {
  const [database, issuer] = await Promise.all([createTestDatabase(), createTestIssuer()]);
  const client = new pg.Client({ connectionString: database.url });
  try {
    // The service applies its migrations and stores the runs as the worker would.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = await startService({
      cwd: appDir,
      env: {
        DATABASE_URL: database.url,
        TOKEN_DEALER_URL: issuer.issuer,
        STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        LOG_LEVEL: 'warn',
        DATA_SERVICE_PORT: String(port),
        DATA_SERVICE_OPERATOR_PORT: '0',
        HOST: '127.0.0.1',
      },
      readyUrl: `${url}/health/ready`,
    });
    let userId: string;
    try {
      const headers = {
        authorization: `Bearer ${issuer.sign({ scope: 'users:write runs:write' })}`,
        'content-type': 'application/json',
      };
      const user = await fetch(`${url}/users`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ stravaAthleteId: 4_242_000, firstname: 'Bench', lastname: 'Runner' }),
      });
      userId = ((await user.json()) as { id: string }).id;
      for (let start = 0; start < RUNS; start += BATCH) {
        const runs = Array.from({ length: BATCH }, (_, i) => run(start + i));
        const response = await fetch(`${url}/users/${userId}/runs`, {
          method: 'PUT',
          headers,
          body: JSON.stringify({ runs }),
        });
        if (!response.ok) throw new Error(`seeding runs: ${response.status} ${await response.text()}`);
      }
    } finally {
      await service.stop();
    }

    await client.connect();
    await client.query('ANALYZE data.runs');
    const today = '2026-12-01';
    const baseline = {
      name: 'SELECT count(*) of the same runs',
      value: await timed(client, 'SELECT count(*) FROM data.runs WHERE user_id = $1', [userId]),
    };
    const views: Array<[string, string, unknown[]]> = [
      ['calendar: 371 days', CALENDAR_DAYS_SQL, [userId, '2025-11-26', today]],
      ['streaks: whole history', STREAKS_SQL, [userId, today]],
      ['Eddington km + mi', EDDINGTON_SQL, [userId]],
      ['years, months, running totals', YEARS_SQL, [userId]],
      ['goal: done this year', GOAL_SQL, [userId, 2026]],
      ['shoes', SHOES_SQL, [userId]],
      ['routes: newest 500', ROUTES_SQL, [userId, 500]],
    ];
    const results: BenchResult[] = [];
    for (const [name, sql, values] of views) {
      results.push(
        compared(`glance SQL, ${RUNS} runs: ${name}`, 'ms (median)', await timed(client, sql, values), baseline, {
          notes: `${SAMPLES} runs of the statement on one connection`,
        }),
      );
    }
    return results;
  } finally {
    await client.end().catch(() => undefined);
    await Promise.all([database.drop(), issuer.close()]);
  }
}
