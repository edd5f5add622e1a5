// Support for bench/dashboard.bench.ts. The dashboard: how heavy the runner's page is, and what a session costs per API request.
// - page weight: the built JS + CSS, gzipped, against a bare React "hello" built the same way;
// - GET /api/me (session read from Redis) against GET /health/live (no session) on the same server;
// - GET /auth/strava (new session + state written to Redis, redirect) against the same baseline.
import 'reflect-metadata';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { leaseTestRedis } from '@runnerly/testing';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { parseConfig } from '@runnerly/config';
import { createApp } from '../src/app.js';
import { DashboardConfigSchema } from '../src/config.js';
import { SESSION_PREFIX } from '../src/session/redis-session.store.js';
import { ensureWebBuild, WEB_DIST, WEB_ROOT } from '../src/web/web-build.js';
import type { BenchResult } from '../../../bench/types.js';

const DURATION_S = 4;
const CONNECTIONS = 10;

function compared(
  name: string,
  unit: string,
  value: number,
  baseline: { name: string; value: number },
  extra: Pick<BenchResult, 'target' | 'notes'> = {},
): BenchResult {
  return { name, unit, value, baseline, ratio: value / baseline.value, ...extra };
}

function gzippedAssets(dir: string): number {
  return readdirSync(dir)
    .filter((file) => /\.(js|css)$/.test(file))
    .reduce((sum, file) => sum + gzipSync(readFileSync(join(dir, file)), { level: 9 }).length, 0);
}

/** A bare React app built with the same Vite setup: the floor any React page pays. */
async function bareReactBytes(): Promise<number> {
  const { build } = await import('vite');
  const dir = mkdtempSync(join(tmpdir(), 'runnerly-bare-react-'));
  try {
    writeFileSync(join(dir, 'index.html'), '<div id="root"></div><script type="module" src="./main.tsx"></script>');
    writeFileSync(
      join(dir, 'main.tsx'),
      "import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')!).render(<p>hello</p>);\n",
    );
    await build({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      resolve: {
        alias: {
          react: join(WEB_ROOT, '../node_modules/react'),
          'react-dom': join(WEB_ROOT, '../node_modules/react-dom'),
        },
      },
      build: { outDir: join(dir, 'dist'), target: 'es2022', reportCompressedSize: false },
    });
    return gzippedAssets(join(dir, 'dist', 'assets'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function requestsPerSecond(url: string, headers: Record<string, string> = {}): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  if (result.non2xx > 0 && !url.includes('/auth/strava')) throw new Error(`${url}: ${result.non2xx} non-2xx answers`);
  return result.requests.average;
}

/** What bench/dashboard.bench.ts runs (here, where the dashboard's dependencies resolve). */
export async function runDashboardBench(): Promise<BenchResult[]> {
  await ensureWebBuild();
  const page = gzippedAssets(join(WEB_DIST, 'assets'));
  const bare = await bareReactBytes();

  const redis = await leaseTestRedis();
  const secret = randomBytes(32).toString('hex');
  const app = await createApp(
    parseConfig(DashboardConfigSchema, {
      LOG_LEVEL: 'silent',
      REDIS_URL: redis.url,
      SESSION_SECRET: secret,
      STRAVA_BASE_URL: 'http://127.0.0.1:9',
      STRAVA_CLIENT_ID: '1',
      STRAVA_CLIENT_SECRET: 'unused',
      DASHBOARD_CLIENT_SECRET: 'unused',
    }),
  );
  try {
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    // A logged-in session, written where the store keeps it, and its signed cookie.
    const sid = randomBytes(16).toString('hex');
    const client = new Redis(redis.url);
    await client.set(
      `${SESSION_PREFIX}${sid}`,
      JSON.stringify({
        cookie: {
          originalMaxAge: 3_600_000,
          expires: new Date(Date.now() + 3_600_000).toISOString(),
          httpOnly: true,
          path: '/',
          sameSite: 'lax',
        },
        user: {
          id: '00000000-0000-4000-8000-000000000001',
          stravaAthleteId: 1,
          firstname: 'Bench',
          lastname: 'Runner',
          city: null,
          country: null,
          profileImageUrl: null,
        },
        csrfToken: 'x'.repeat(32),
      }),
      'EX',
      3600,
    );
    client.disconnect();
    const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
    const cookie = `runnerly.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;

    const live = await requestsPerSecond(`${url}/health/live`);
    const me = await requestsPerSecond(`${url}/api/me`, { cookie });
    const start = await requestsPerSecond(`${url}/auth/strava`);
    const baseline = { name: 'GET /health/live (no session)', value: live };
    return [
      compared(
        'page JS + CSS, gzipped',
        'KiB',
        page / 1024,
        { name: 'bare React hello, same build', value: bare / 1024 },
        {
          target: '≤ 1.5× bare React',
        },
      ),
      compared('GET /api/me (Redis session)', 'req/s', me, baseline, {
        notes: `${CONNECTIONS} connections, ${DURATION_S} s`,
      }),
      compared('GET /auth/strava (new session + state)', 'req/s', start, baseline, {
        notes: 'each request writes a session to Redis',
      }),
    ];
  } finally {
    await app.close();
    await redis.release();
  }
}
