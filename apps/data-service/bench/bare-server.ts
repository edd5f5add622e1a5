// The benchmark's baseline: a bare node:http server sending the data-service's very same SQL
// straight to PostgreSQL with `pg` — no framework, no token check, no validation. Run as a child
// process by bench/data-service.bench.ts; prints `listening <port>` when ready.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { listRunsSql, UPSERT_RUNS_SQL, type RunRecord, upsertRunsParams } from '../src/runs/runs.sql.js';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
const LIST_SQL = listRunsSql({ after: false, before: false, cursor: false });
const ROUTE = /^\/users\/([0-9a-f-]{36})\/runs(?:\?limit=(\d+))?$/;

function send(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}

async function readJson(request: IncomingMessage): Promise<{ runs: RunRecord[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { runs: RunRecord[] };
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const match = ROUTE.exec(request.url ?? '');
  if (!match) return send(response, 404, { error: 'not_found' });
  const userId = match[1]!;
  if (request.method === 'GET') {
    const limit = Number(match[2] ?? 50);
    const { rows } = await pool.query<{ stravaId: number; startDate: string }>(LIST_SQL, [userId, limit + 1]);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? Buffer.from(JSON.stringify([last.startDate, last.stravaId])).toString('base64url')
        : null;
    return send(response, 200, { items, nextCursor });
  }
  if (request.method === 'PUT') {
    const { runs } = await readJson(request);
    const { rows } = await pool.query(UPSERT_RUNS_SQL, upsertRunsParams(userId, runs));
    return send(response, 200, rows[0]);
  }
  return send(response, 405, { error: 'method_not_allowed' });
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) =>
    send(response, 500, { error: 'internal_error', message: String(error) }),
  );
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
