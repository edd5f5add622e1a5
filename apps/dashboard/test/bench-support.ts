// Support for bench/dashboard.bench.ts. The dashboard: how heavy the runner's page is, and what a session costs per API request.
// - page weight: the built JS + CSS, gzipped, against a bare React "hello" built the same way;
// - GET /api/me (session read from Redis) against GET /health/live (no session) on the same server;
// - GET /auth/strava (new session + state written to Redis, redirect) against the same baseline;
// - time to first render in Chromium: the logged-in page with a synced history, cold cache, against
//   the bare React hello served as static files.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, leaseTestRedis } from '@runnerly/testing';
import type { Browser } from 'playwright-core';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { parseConfig } from '@runnerly/config';
import { createApp } from '../src/app.js';
import { DashboardConfigSchema } from '../src/config.js';
import { SESSION_PREFIX } from '../src/session/redis-session.store.js';
import { SESSION_COOKIE } from '../src/session/session.middleware.js';
import { ensureWebBuild, WEB_DIST, WEB_ROOT } from '../src/web/web-build.js';
import { type BenchResult, compared } from '../../../bench/types.js';
import { startStack } from './full-stack.js';
import { signedCookie } from './hostile-kit.js';
import { loginAs } from './login.js';

const DURATION_S = 4;
const CONNECTIONS = 10;

function gzippedAssets(dir: string): number {
  return readdirSync(dir)
    .filter((file) => /\.(js|css)$/.test(file))
    .reduce((sum, file) => sum + gzipSync(readFileSync(join(dir, file)), { level: 9 }).length, 0);
}

/** A bare React app built with the same Vite setup: the floor any React page pays. Returns its dist folder. */
async function buildBareReact(dir: string): Promise<string> {
  const { build } = await import('vite');
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
  return join(dir, 'dist');
}

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves a built folder as static files (the baseline page). */
async function serveStatic(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = normalize(request.url === '/' ? '/index.html' : (request.url ?? '/')).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = readFileSync(join(dir, path));
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const RENDER_ROUNDS = 9;

interface RenderTiming {
  /** First contentful paint, ms from navigation start. */
  fcp: number;
  /** When `ready` was on screen, ms from navigation start. */
  ready: number;
}

/** One cold-cache visit (a fresh browser context): when the first paint came, and when `ready` showed. */
async function visit(
  browser: Browser,
  url: string,
  ready: string,
  cookies: Array<{ name: string; value: string }> = [],
  withoutGlance = false,
): Promise<RenderTiming> {
  const context = await browser.newContext();
  try {
    if (cookies.length) await context.addCookies(cookies.map((cookie) => ({ ...cookie, url })));
    // The page as it was before the year at a glance: its lazily loaded chunk answered by a module
    // that renders nothing, so that neither it nor its six API calls are loaded.
    if (withoutGlance) {
      await context.route(/\/assets\/Glance-[^/]+\.js$/, (route) =>
        route.fulfill({ contentType: 'text/javascript', body: 'export default function Glance() { return null; }' }),
      );
    }
    const page = await context.newPage();
    await page.goto(url);
    await page.locator(ready).first().waitFor({ timeout: 30_000 });
    const ms = await page.evaluate(() => performance.now());
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, {
      timeout: 10_000,
    });
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]!.startTime);
    return { fcp, ready: ms };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Time to first render in Chromium: the runner's page (logged in, synced) against bare React, interleaved rounds. */
async function firstRender(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'runnerly-bare-react-'));
  let browser: Browser | undefined;
  let bare: { url: string; server: Server } | undefined;
  const stack = await startStack({ worker: true });
  try {
    const dist = await buildBareReact(dir);
    bare = await serveStatic(dist);
    const bareUrl = bare.url;
    browser = await launchChromium();
    const { jar } = await loginAs(stack);
    const url = stack.dashboard.url;
    for (let tries = 0; ; tries += 1) {
      const sync = (await (await jar.fetch(`${url}/api/sync`)).json()) as { status: string };
      if (sync.status === 'done') break;
      if (tries > 600) throw new Error(`the first sync did not finish: ${JSON.stringify(sync)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const runs = ((await (await jar.fetch(`${url}/api/runs`)).json()) as { items: unknown[] }).items.length;
    const cookies = [{ name: SESSION_COOKIE, value: jar.get(SESSION_COOKIE)! }];
    const page: RenderTiming[] = [];
    const withoutGlance: RenderTiming[] = [];
    const glance: RenderTiming[] = [];
    const baseline: RenderTiming[] = [];
    await visit(browser, url, '[data-testid="runs"]', cookies); // warm the servers, not the browser
    for (let round = 0; round < RENDER_ROUNDS; round += 1) {
      page.push(await visit(browser, url, '[data-testid="runs"]', cookies));
      withoutGlance.push(await visit(browser, url, '[data-testid="runs"]', cookies, true));
      baseline.push(await visit(browser, bareUrl, 'text=hello'));
    }
    for (let round = 0; round < 3; round += 1) {
      glance.push(await visit(browser, url, '[data-testid="calendar"] rect[data-date]', cookies));
    }
    const bareFcp = {
      name: 'bare React hello, static files: first contentful paint',
      value: median(baseline.map((t) => t.fcp)),
    };
    const notes = `Chromium headless, cold cache (new context each visit), median of ${RENDER_ROUNDS} interleaved rounds, everything on one machine`;
    return [
      compared('page first contentful paint, logged in', 'ms', median(page.map((t) => t.fcp)), bareFcp, { notes }),
      compared(
        `page with the runs drawn (${runs} runs listed, totals, charts)`,
        'ms',
        median(page.map((t) => t.ready)),
        bareFcp,
        {
          notes:
            'from navigation start until the runs list is on screen (session check, 4 API calls through the data-service)',
        },
      ),
      compared(
        'runs on screen with the year at a glance',
        'ms',
        median(page.map((t) => t.ready)),
        { name: 'same page without it (its chunk answered empty)', value: median(withoutGlance.map((t) => t.ready)) },
        {
          target: '≤ 1.5×',
          notes: 'the glance is a lazily loaded chunk; its six API calls start after the page’s own',
        },
      ),
      compared('year at a glance: calendar drawn', 'ms', median(glance.map((t) => t.ready)), bareFcp, {
        notes: 'from navigation start until the calendar heatmap has its days (median of 3)',
      }),
    ];
  } finally {
    await browser?.close();
    bare?.server.close();
    await stack.close();
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
  const bareDir = mkdtempSync(join(tmpdir(), 'runnerly-bare-react-'));
  const bare = await buildBareReact(bareDir)
    .then((dist) => gzippedAssets(join(dist, 'assets')))
    .finally(() => rmSync(bareDir, { recursive: true, force: true }));
  const render = await firstRender();

  const redis = await leaseTestRedis();
  const secret = randomBytes(32).toString('hex');
  const app = await createApp(
    parseConfig(DashboardConfigSchema, {
      LOG_LEVEL: 'silent',
      REDIS_URL: redis.url,
      SESSION_SECRET: secret,
      STRAVA_BASE_URL: 'http://127.0.0.1:9',
      STRAVA_CLIENT_ID: '1',
      STRAVA_CLIENT_SECRET: randomBytes(20).toString('hex'),
      DASHBOARD_CLIENT_SECRET: randomBytes(24).toString('base64url'),
      // the cost of a login start (a session written) is measured, not the per-address limit's 429
      DASHBOARD_LOGIN_RATE_LIMIT: String(2 ** 31),
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
    const cookie = `${SESSION_COOKIE}=${signedCookie(sid, secret)}`;

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
          target: '≤ 150 KiB and ≤ 1.5× bare React',
          notes: 'every chunk, the lazily loaded year at a glance included',
        },
      ),
      compared('GET /api/me (Redis session)', 'req/s', me, baseline, {
        notes: `${CONNECTIONS} connections, ${DURATION_S} s`,
      }),
      compared('GET /auth/strava (new session + state)', 'req/s', start, baseline, {
        notes: 'each request writes a session to Redis',
      }),
      ...render,
    ];
  } finally {
    await app.close();
    await redis.release();
  }
}
