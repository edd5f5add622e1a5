// The data-service's read path at a runs table of ~10 million rows against ~100,000 in the same run
// (opt-in: `pnpm bench data-service-10m`; seeding takes minutes and ~4 GB of disk, dropped at the end).
// Each size is a fresh database migrated by the real data-service, seeded in SQL (generate_series),
// then VACUUM ANALYZE (visibility map set, statistics fresh). Athletes are skewed: athlete k has
// 200 + 8000·e^(-10k/athletes) runs, so both tables have one heavy athlete with 8,200 runs (the
// probe, whose best efforts are seeded too), a median near 250 and a long tail. The probe's pages
// are read through the real data-service over HTTP with a real ES256 token, as the dashboard reads
// them (first page, a page 5,000 runs deep by keyset, weekly totals, bests, enrichment progress):
// keyset paging should not care about the table's size (ratio ≈ 1). The SQL of each endpoint (the
// repository's own strings, imported) is run under EXPLAIN (ANALYZE, BUFFERS) on both sizes and the
// plans written to bench/data-service-10m-plans.md; a page whose plan scans the table, sorts the
// athlete's runs, filters its way to the cursor or touches more than a page's buffers fails the bench.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTestDatabase, freePort, startService, type TestDatabase } from '@runnerly/testing';
import autocannon from 'autocannon';
import {
  bestsSql,
  createTestIssuer,
  listRunsSql,
  pg,
  PROGRESS_SQL,
  statsSql,
} from '../apps/data-service/bench/support.js';
import { type BenchResult, compared } from './types.js';

/** Only when named: `pnpm bench data-service-10m`. */
export const optIn = true;

const appDir = join(import.meta.dirname, '..', 'apps', 'data-service');
const plansFile = join(import.meta.dirname, 'data-service-10m-plans.md');
const LARGE_ATHLETES = Number(process.env.BENCH_10M_ATHLETES ?? 10_000);
const SMALL_ATHLETES = 100;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 8;
const POOL_SIZE = '10';
/** The dashboard's runs list asks for 10 runs a page. */
const PAGE = 10;
/** The deep page starts this many runs into the probe's history. */
const DEEP = 5_000;
const FIRST_ATHLETE_ID = 80_000_000;
/** A run's summary polyline, as the data-service bench stores it (~120 characters). */
const POLYLINE =
  'ki{eFvqfiVqAWQIGEEKAYJgBVqDJ{BHa@jAkNJw@Pw@V{APs@^aABQAOEQGKoJ_FuJkFqAo@{A}@sH{DiAs@Q]?WVy@`@oBt@_CB]KYMMkB{AQEI@WT{BlE';
const STANDARD_DISTANCES = [400, 1000, 1609.344, 5000, 10000, 15000, 16093.44, 21097.5, 30000, 42195];
const MiB = 2 ** 20;

interface Size {
  athletes: number;
  database: TestDatabase;
  client: InstanceType<typeof pg.Client>;
  url: string;
  stop(): Promise<void>;
  probe: string;
  runs: number;
  bestEfforts: number;
  seedSeconds: number;
  vacuumSeconds: number;
  bytes: { runsTable: number; runsIndexes: number; effortsTable: number; effortsIndexes: number };
  indexes: Array<{ name: string; bytes: number }>;
}

const runsOf = (athletes: number) =>
  `200 + floor(8000 * exp(-10.0 * (u.strava_athlete_id - ${FIRST_ATHLETE_ID}) / ${athletes}))::int`;

/** Seeds athletes and their runs in SQL: a few statements, chunks of 1,000 athletes for progress. */
async function seed(
  client: InstanceType<typeof pg.Client>,
  athletes: number,
): Promise<{ probe: string; runs: number; efforts: number }> {
  await client.query(
    `INSERT INTO data.users (strava_athlete_id, firstname, lastname)
     SELECT ${FIRST_ATHLETE_ID} + k, 'Seeded', 'Athlete ' || k FROM generate_series(0, $1 - 1) AS k`,
    [athletes],
  );
  for (let from = 0; from < athletes; from += 1_000) {
    // Run s of an athlete started s·19 hours before 2026-12-01 (8,200 runs: ~18 years), 3-21 km,
    // enriched (efforts_source set: the steady state, the partial index of runs to enrich empty).
    await client.query(
      `INSERT INTO data.runs (user_id, strava_id, name, sport_type, start_date, start_date_local, timezone,
         distance, moving_time, elapsed_time, total_elevation_gain, average_speed, max_speed,
         average_heartrate, max_heartrate, summary_polyline, efforts_source, efforts_computed_at, gear_id)
       SELECT u.id, (u.strava_athlete_id - ${FIRST_ATHLETE_ID}) * 100000 + s, 'Morning Run', 'Run',
         timestamptz '2026-12-01 06:00Z' - s * interval '19 hours',
         timestamp '2026-12-01 07:00' - s * interval '19 hours', '(GMT+01:00) Europe/Paris',
         3000 + (s * 7919) % 18000, 1200 + (s * 7919) % 5400, 1250 + (s * 7919) % 5400, 40 + s % 300,
         3.2 + (s % 50) / 100.0, 4.8, 150 + s % 20, 175, $3, 'streams', timestamptz '2026-12-01', 'g' || (s % 3)
       FROM data.users u CROSS JOIN LATERAL generate_series(1, ${runsOf(athletes)}) AS s
       WHERE u.strava_athlete_id >= ${FIRST_ATHLETE_ID} + $1 AND u.strava_athlete_id < ${FIRST_ATHLETE_ID} + $2`,
      [from, Math.min(from + 1_000, athletes), POLYLINE],
    );
    if (athletes > 1_000) console.log(`  seeded athletes ${from}..${Math.min(from + 1_000, athletes) - 1}`);
  }
  const { rows } = await client.query<{ id: string }>('SELECT id FROM data.users WHERE strava_athlete_id = $1', [
    FIRST_ATHLETE_ID,
  ]);
  const probe = rows[0]!.id;
  // The probe's best efforts: each standard distance its run covers, as the enrichment stores them.
  const efforts = await client.query(
    `INSERT INTO data.best_efforts (user_id, strava_id, distance, elapsed_time, start_offset, source, start_date)
     SELECT r.user_id, r.strava_id, d, d / r.average_speed * (1 + (r.strava_id % 7) / 100.0), 0, 'streams', r.start_date
     FROM data.runs r CROSS JOIN unnest($2::float8[]) AS d
     WHERE r.user_id = $1 AND d <= r.distance`,
    [probe, STANDARD_DISTANCES],
  );
  const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM data.runs');
  return { probe, runs: Number(count.rows[0]!.n), efforts: efforts.rowCount ?? 0 };
}

async function startSize(athletes: number, env: Record<string, string>): Promise<Size> {
  const database = await createTestDatabase();
  try {
    return await migrateAndSeed(database, athletes, env);
  } catch (error) {
    await database.drop();
    throw error;
  }
}

async function migrateAndSeed(database: TestDatabase, athletes: number, env: Record<string, string>): Promise<Size> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The real data-service migrates the fresh database as it starts.
  const service = await startService({
    cwd: appDir,
    env: {
      ...env,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: POOL_SIZE,
      DATA_SERVICE_PORT: String(port),
      DATA_SERVICE_OPERATOR_PORT: '0',
      HOST: '127.0.0.1',
    },
    readyUrl: `${url}/health/ready`,
  });
  const client = new pg.Client({ connectionString: database.url });
  const stop = async () => {
    await client.end();
    await service.stop();
  };
  try {
    await client.connect();
    return { ...(await measureSeeded(client, athletes)), athletes, database, client, url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Seeds, vacuums and measures the sizes. */
async function measureSeeded(
  client: InstanceType<typeof pg.Client>,
  athletes: number,
): Promise<Omit<Size, 'athletes' | 'database' | 'client' | 'url' | 'stop'>> {
  const seeding = performance.now();
  const { probe, runs, efforts } = await seed(client, athletes);
  const seedSeconds = (performance.now() - seeding) / 1000;
  const vacuuming = performance.now();
  await client.query('VACUUM (ANALYZE) data.users, data.runs, data.best_efforts');
  const vacuumSeconds = (performance.now() - vacuuming) / 1000;
  const size = await client.query<Record<string, string>>(
    `SELECT pg_table_size('data.runs') AS "runsTable", pg_indexes_size('data.runs') AS "runsIndexes",
            pg_table_size('data.best_efforts') AS "effortsTable", pg_indexes_size('data.best_efforts') AS "effortsIndexes"`,
  );
  const indexes = await client.query<{ name: string; bytes: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) AS bytes FROM pg_index
     WHERE indrelid IN ('data.runs'::regclass, 'data.best_efforts'::regclass) ORDER BY 1`,
  );
  console.log(
    `  ${runs} runs over ${athletes} athletes: seeded in ${seedSeconds.toFixed(1)} s, VACUUM ANALYZE ${vacuumSeconds.toFixed(1)} s`,
  );
  return {
    probe,
    runs,
    bestEfforts: efforts,
    seedSeconds,
    vacuumSeconds,
    bytes: {
      runsTable: Number(size.rows[0]!.runsTable),
      runsIndexes: Number(size.rows[0]!.runsIndexes),
      effortsTable: Number(size.rows[0]!.effortsTable),
      effortsIndexes: Number(size.rows[0]!.effortsIndexes),
    },
    indexes: indexes.rows.map(({ name, bytes }) => ({ name, bytes: Number(bytes) })),
  };
}

interface Endpoint {
  title: string;
  path: (size: Size, deepCursor: string) => string;
  /** The SQL the endpoint runs, and its parameters for the probe. */
  sql: (size: Size, deepKey: [string, number]) => { text: string; values: unknown[] };
  /** Paging: the plan must walk the index, no Seq Scan and no Sort. */
  paging: boolean;
  /** The plan must have no Sort (bests: the window reads best_efforts_user_distance_start_idx in its order). */
  sortFree?: true;
}

const ENDPOINTS: Endpoint[] = [
  {
    title: `GET /users/{id}/runs?limit=${PAGE} (first page)`,
    path: (size) => `/users/${size.probe}/runs?limit=${PAGE}`,
    sql: (size) => ({
      text: listRunsSql({ after: false, before: false, cursor: false }),
      values: [size.probe, PAGE + 1],
    }),
    paging: true,
  },
  {
    title: `GET /users/{id}/runs?limit=${PAGE}&cursor=… (${DEEP.toLocaleString('en-US')} runs deep)`,
    path: (size, deepCursor) => `/users/${size.probe}/runs?limit=${PAGE}&cursor=${deepCursor}`,
    sql: (size, deepKey) => ({
      text: listRunsSql({ after: false, before: false, cursor: true }),
      values: [size.probe, PAGE + 1, ...deepKey],
    }),
    paging: true,
  },
  {
    title: 'GET /users/{id}/stats?period=week (every week of the athlete)',
    path: (size) => `/users/${size.probe}/stats?period=week`,
    sql: (size) => ({ text: statsSql(['user_id = $1']), values: [size.probe, 'week'] }),
    paging: false,
  },
  {
    title: 'GET /users/{id}/bests (records per distance, SQL window)',
    path: (size) => `/users/${size.probe}/bests`,
    sql: (size) => ({ text: bestsSql(false), values: [size.probe] }),
    paging: false,
    sortFree: true,
  },
  {
    title: 'GET /users/{id}/best-efforts/progress',
    path: (size) => `/users/${size.probe}/best-efforts/progress`,
    sql: (size) => ({ text: PROGRESS_SQL, values: [size.probe] }),
    paging: false,
  },
];

/** The cursor the data-service hands out after `DEEP` runs, walking the pages as a client would. */
async function deepCursor(size: Size, authorization: string): Promise<{ cursor: string; key: [string, number] }> {
  let cursor: string | undefined;
  for (let read = 0; read < DEEP; read += 200) {
    const response = await fetch(`${size.url}/users/${size.probe}/runs?limit=200${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization },
    });
    if (!response.ok) throw new Error(`paging the probe: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as {
      items: Array<{ startDate: string; stravaId: number }>;
      nextCursor: string;
    };
    cursor = page.nextCursor;
  }
  const key = JSON.parse(Buffer.from(cursor!, 'base64url').toString('utf8')) as [string, number];
  return { cursor: cursor!, key };
}

async function load(url: string, authorization: string): Promise<autocannon.Result> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { authorization },
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

async function explain(size: Size, query: { text: string; values: unknown[] }): Promise<string> {
  const { rows } = await size.client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${query.text}`,
    query.values,
  );
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

/** Most buffers a page of runs may touch, whatever its depth: a few index pages and the rows' heap pages. */
const PAGE_BUFFERS = 50;

/**
 * Why a page's plan is not keyset paging on the index: a sequential scan, a sort, rows read and
 * thrown away before the cursor (a Filter instead of an Index Cond), or more buffers than a page needs.
 */
function pagingViolation(plan: string): string | undefined {
  if (/Seq Scan/.test(plan)) return 'a sequential scan';
  if (/\bSort\b/.test(plan)) return 'a sort';
  if (!/Index (Only )?Scan/.test(plan)) return 'no index scan';
  if (/Rows Removed by Filter/.test(plan)) return 'rows read and filtered out';
  // The first Buffers line is the top node's: everything the statement touched.
  const top = /Buffers: shared[^\n]*/.exec(plan)?.[0] ?? '';
  const count = (kind: string) => Number(new RegExp(`${kind}=(\\d+)`).exec(top)?.[1] ?? 0);
  const buffers = count('hit') + count('read');
  if (buffers > PAGE_BUFFERS) return `${buffers} buffers for one page (at most ${PAGE_BUFFERS})`;
  return undefined;
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

export default async function main(): Promise<BenchResult[]> {
  const started = performance.now();
  const issuer = await createTestIssuer();
  const env = {
    TOKEN_DEALER_URL: issuer.issuer,
    STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    LOG_LEVEL: 'warn',
  };
  const sizes: Size[] = [];
  try {
    sizes.push(await startSize(SMALL_ATHLETES, env));
    sizes.push(await startSize(LARGE_ATHLETES, env));
    const [small, large] = sizes as [Size, Size];
    const authorization = `Bearer ${issuer.sign({ scope: 'runs:read' }, { expiresIn: 900 })}`;
    const deep = new Map<Size, { cursor: string; key: [string, number] }>();
    for (const size of sizes) deep.set(size, await deepCursor(size, authorization));

    const plans: string[] = [];
    const best = ENDPOINTS.map(() => ({ small: { rps: 0, p50: 0, p99: 0 }, large: { rps: 0, p50: 0, p99: 0 } }));
    for (const [index, endpoint] of ENDPOINTS.entries()) {
      for (const size of sizes) {
        const { cursor, key } = deep.get(size)!;
        // Warm up (JIT, pool, token cache, the probe's pages in PostgreSQL's and the OS's cache).
        await autocannon({
          url: `${size.url}${endpoint.path(size, cursor)}`,
          connections: CONNECTIONS,
          duration: 1,
          headers: { authorization },
        });
        const plan = await explain(size, endpoint.sql(size, key));
        const label = `${endpoint.title}, ${size.runs.toLocaleString('en-US')} runs`;
        plans.push(`### ${label}\n\n\`\`\`\n${plan}\n\`\`\`\n`);
        const violation = endpoint.paging ? pagingViolation(plan) : undefined;
        if (violation) throw new Error(`${label}: ${violation}:\n${plan}`);
        if (endpoint.sortFree && /\bSort\b/.test(plan)) throw new Error(`${label}: a sort:\n${plan}`);
        if (/Seq Scan on runs/.test(plan)) throw new Error(`${label}: a sequential scan of the runs table:\n${plan}`);
      }
      // Alternate the sizes, keep each one's best round (the machine is shared).
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const [side, size] of [
          ['small', small],
          ['large', large],
        ] as const) {
          const result = await load(`${size.url}${endpoint.path(size, deep.get(size)!.cursor)}`, authorization);
          const rps = result['2xx'] / result.duration;
          if (rps > best[index]![side].rps)
            best[index]![side] = { rps, p50: result.latency.p50, p99: result.latency.p99 };
        }
      }
      console.log(
        `  ${endpoint.title}: ${Math.round(best[index]!.large.rps)} req/s at ${large.runs} runs vs ${Math.round(best[index]!.small.rps)} at ${small.runs}`,
      );
    }

    const benchSeconds = (performance.now() - started) / 1000;
    const perRun = (large.bytes.runsTable + large.bytes.runsIndexes) / large.runs;
    const perEffort = (large.bytes.effortsTable + large.bytes.effortsIndexes) / large.bestEfforts;
    writeFileSync(
      plansFile,
      [
        '# data-service read path at 10M runs: query plans',
        '',
        `Written by \`pnpm bench data-service-10m\` on ${new Date().toISOString()}. Each endpoint's SQL (the`,
        "repository's own strings) under `EXPLAIN (ANALYZE, BUFFERS)` for the probe athlete",
        `(${(large.runs / large.athletes).toFixed(0)} runs per athlete on average; the probe has 8,200), at`,
        `${small.runs.toLocaleString('en-US')} and ${large.runs.toLocaleString('en-US')} runs, after VACUUM ANALYZE and a warm-up.`,
        '',
        '| table | rows | table (heap + TOAST) | indexes | bytes per row |',
        '|---|---|---|---|---|',
        ...sizes.map(
          (size) =>
            `| data.runs, ${size.athletes.toLocaleString('en-US')} athletes | ${size.runs.toLocaleString('en-US')} | ${mib(size.bytes.runsTable)} | ${mib(size.bytes.runsIndexes)} | ${((size.bytes.runsTable + size.bytes.runsIndexes) / size.runs).toFixed(0)} |`,
        ),
        ...sizes.map(
          (size) =>
            `| data.best_efforts (the probe's), ${size.athletes.toLocaleString('en-US')} athletes | ${size.bestEfforts.toLocaleString('en-US')} | ${mib(size.bytes.effortsTable)} | ${mib(size.bytes.effortsIndexes)} | ${((size.bytes.effortsTable + size.bytes.effortsIndexes) / size.bestEfforts).toFixed(0)} |`,
        ),
        '',
        `Indexes at ${large.runs.toLocaleString('en-US')} runs: ${large.indexes.map(({ name, bytes }) => `${name} ${mib(bytes)}`).join(', ')}.`,
        '',
        `Seeding ${large.runs.toLocaleString('en-US')} runs: ${large.seedSeconds.toFixed(0)} s, VACUUM ANALYZE ${large.vacuumSeconds.toFixed(0)} s; whole bench ${benchSeconds.toFixed(0)} s.`,
        '',
        ...plans,
      ].join('\n'),
    );

    const setup = `${CONNECTIONS} connections, ${DURATION_SECONDS} s × best of ${ROUNDS} interleaved rounds, pool ${POOL_SIZE}, LOG_LEVEL=warn; the probe athlete (8,200 runs) in both tables; plans in bench/data-service-10m-plans.md`;
    const results = ENDPOINTS.map((endpoint, index) =>
      compared(
        `data-service ${endpoint.title} at ${large.runs.toLocaleString('en-US')} runs`,
        'req/s',
        best[index]!.large.rps,
        { name: `${small.runs.toLocaleString('en-US')} runs`, value: best[index]!.small.rps },
        {
          target: endpoint.paging
            ? 'ratio ≈ 1 (keyset: independent of the table size), index scan (asserted)'
            : 'ratio ≈ 1 (O(the athlete’s runs), not the table)',
          notes: `p50 ${best[index]!.large.p50} ms vs ${best[index]!.small.p50} ms, p99 ${best[index]!.large.p99} vs ${best[index]!.small.p99} ms; ${setup}`,
        },
      ),
    );
    results.push(
      compared(
        `data.runs bytes per run (table + indexes) at ${large.runs.toLocaleString('en-US')} runs`,
        'bytes',
        perRun,
        {
          name: `${small.runs.toLocaleString('en-US')} runs`,
          value: (small.bytes.runsTable + small.bytes.runsIndexes) / small.runs,
        },
        {
          notes: `table ${mib(large.bytes.runsTable)} + indexes ${mib(large.bytes.runsIndexes)} after VACUUM; ~120-character polylines; best_efforts ${perEffort.toFixed(0)} bytes per row (table + indexes, ${large.bestEfforts} rows); seeding ${large.seedSeconds.toFixed(0)} s + VACUUM ANALYZE ${large.vacuumSeconds.toFixed(0)} s; whole bench ${benchSeconds.toFixed(0)} s`,
        },
      ),
    );
    return results;
  } finally {
    for (const size of sizes.reverse()) {
      await size.stop();
      await size.database.drop();
    }
    await issuer.close();
  }
}
