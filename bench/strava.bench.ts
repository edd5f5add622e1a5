// The Strava sandbox and the @runnerly/strava client, each next to a bare baseline from the same run:
// - sandbox: `GET /api/v3/athlete/activities?per_page=200` (token check, rate-limit accounting,
//   paging, 200 summary activities as JSON) vs a bare node:http server sending the same page,
//   pre-serialised; both in child processes, autocannon driving them from here;
// - client: one athlete's whole history (about 800 activities, short pages included) through
//   `StravaClient.listActivities` vs a plain fetch + JSON.parse loop over the same URLs.
import { join } from 'node:path';
import { StravaClient } from '@runnerly/strava';
import { freePort, type ServiceProcess, startService } from '@runnerly/testing';
import autocannon from 'autocannon';
import { type BenchResult, compared } from './types.js';

const appDir = join(import.meta.dirname, '..', 'apps', 'strava-sandbox');
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 5);
const CONNECTIONS = 8;
const SYNC_ROUNDS = 20;
const CLIENT_ID = '100001';
const CLIENT_SECRET = 'bench-client-secret-0123456789';

const BARE_SERVER = `
import { createServer } from 'node:http';
const body = Buffer.from(await (await fetch(process.env.BENCH_SOURCE, { headers: { authorization: 'Bearer ' + process.env.BENCH_TOKEN } })).text());
createServer((req, res) => {
  if (req.headers.authorization !== 'Bearer ' + process.env.BENCH_TOKEN) { res.writeHead(401).end(); return; }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}).listen(0, '127.0.0.1', function () { process.stdout.write('listening ' + this.address().port + '\\n'); });
`;

export default async function run(): Promise<BenchResult[]> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const sandbox = await startService({
    cwd: appDir,
    env: {
      LOG_LEVEL: 'warn',
      STRAVA_SANDBOX_PORT: String(port),
      STRAVA_CLIENT_ID: CLIENT_ID,
      STRAVA_CLIENT_SECRET: CLIENT_SECRET,
      STRAVA_SANDBOX_HISTORY_END: '2026-11-01',
      STRAVA_SANDBOX_RATE_LIMIT_15MIN: '100000000',
      STRAVA_SANDBOX_RATE_LIMIT_DAILY: '100000000',
      STRAVA_SANDBOX_READ_RATE_LIMIT_15MIN: '100000000',
      STRAVA_SANDBOX_READ_RATE_LIMIT_DAILY: '100000000',
    },
    readyUrl: `${baseUrl}/health/live`,
  });
  let bare: ServiceProcess | undefined;
  try {
    const [athlete] = (await (await fetch(`${baseUrl}/_sandbox/athletes`)).json()) as Array<{
      id: number;
      activity_count: number;
    }>;
    const tokens = (await (
      await fetch(`${baseUrl}/_sandbox/athletes/${athlete!.id}/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'read,activity:read_all' }),
      })
    ).json()) as { access_token: string };
    const headers = { authorization: `Bearer ${tokens.access_token}` };
    const pageUrl = `${baseUrl}/api/v3/athlete/activities?per_page=200&page=1`;

    bare = await startService({
      cwd: appDir,
      args: ['--input-type=module', '-e', BARE_SERVER],
      env: { BENCH_SOURCE: pageUrl, BENCH_TOKEN: tokens.access_token },
    });
    const [, barePort] = await bare.waitForLine(/listening (\d+)/);
    const bareUrl = `http://127.0.0.1:${barePort}/api/v3/athlete/activities?per_page=200&page=1`;

    const load = async (url: string) => {
      const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_SECONDS });
      return result['2xx'] / result.duration;
    };
    const sandboxRps = await load(pageUrl);
    const bareRps = await load(bareUrl);

    // Client overhead over a whole history (short pages on, as the sandbox defaults).
    const client = new StravaClient({ baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const viaClient = async () => {
      let count = 0;
      for await (const { activities } of client.listActivities(tokens.access_token)) count += activities.length;
      return count;
    };
    const viaFetch = async () => {
      let count = 0;
      for (let n = 1; ; n += 1) {
        const response = await fetch(`${baseUrl}/api/v3/athlete/activities?page=${n}&per_page=200`, { headers });
        const items = JSON.parse(await response.text()) as unknown[];
        if (items.length === 0) return count;
        count += items.length;
      }
    };
    // Interleaved rounds, so that load from elsewhere on the machine hits both alike.
    const elapsed = { client: 0, fetch: 0 };
    const timed = async (fn: () => Promise<number>) => {
      const started = performance.now();
      if ((await fn()) !== athlete!.activity_count) throw new Error('incomplete history');
      return performance.now() - started;
    };
    await timed(viaClient);
    await timed(viaFetch);
    for (let i = 0; i < SYNC_ROUNDS; i += 1) {
      elapsed.client += await timed(viaClient);
      elapsed.fetch += await timed(viaFetch);
    }
    const clientMs = elapsed.client / SYNC_ROUNDS;
    const fetchMs = elapsed.fetch / SYNC_ROUNDS;

    return [
      compared(
        'strava-sandbox: activities page (200 items) throughput',
        'req/s',
        sandboxRps,
        { name: 'bare node:http, same page pre-serialised', value: bareRps },
        {
          notes: `${CONNECTIONS} connections, ${DURATION_SECONDS} s each; includes token check and rate-limit accounting`,
        },
      ),
      compared(
        '@runnerly/strava: whole history sync',
        'ms',
        clientMs,
        { name: 'plain fetch + JSON.parse loop', value: fetchMs },
        {
          notes: `${athlete!.activity_count} activities, short pages on, mean of ${SYNC_ROUNDS} interleaved rounds; the client adds a per-request timeout, rate-limit tracking and typed errors`,
        },
      ),
    ];
  } finally {
    await bare?.stop();
    await sandbox.stop();
  }
}
