import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '@runnerly/config';
import type { StravaWebhookEvent } from '@runnerly/strava';
import { createApp } from '../src/app.js';
import { StravaSandboxConfigSchema } from '../src/config.js';

export const CLIENT_ID = '424242';
export const CLIENT_SECRET = 'conformance-secret-0123456789';

/** The sandbox in-process on a free port. */
export async function startSandbox(env: Record<string, string> = {}) {
  const app = await createApp(
    parseConfig(StravaSandboxConfigSchema, {
      LOG_LEVEL: 'silent',
      STRAVA_CLIENT_ID: CLIENT_ID,
      STRAVA_CLIENT_SECRET: CLIENT_SECRET,
      STRAVA_SANDBOX_HISTORY_END: '2026-11-01',
      STRAVA_SANDBOX_WEBHOOK_RETRY_DELAY_MS: '20',
      ...env,
    }),
  );
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();
  const admin = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  return { app, baseUrl, admin, close: () => app.close() };
}

export interface Receiver {
  url: string;
  events: StravaWebhookEvent[];
  /** How the next requests are answered: 'ok', 'fail' (500), 'wrong-challenge', 'slow' (after 2.5 s). */
  script: Array<'ok' | 'fail' | 'wrong-challenge' | 'slow'>;
  posts: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** A webhook callback like the worker's: answers the handshake and records events. */
export async function startReceiver(verifyToken: string): Promise<Receiver> {
  const receiver = { events: [], script: [], posts: 0 } as unknown as Receiver;
  const server: Server = createServer((req, res) => {
    const mode = receiver.script.shift() ?? 'ok';
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (req.method === 'GET') {
      if (mode === 'slow') {
        setTimeout(
          () =>
            res
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ 'hub.challenge': url.searchParams.get('hub.challenge') })),
          2500,
        );
        return;
      }
      const ok = url.searchParams.get('hub.verify_token') === verifyToken && mode === 'ok';
      res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ 'hub.challenge': ok ? url.searchParams.get('hub.challenge') : 'nope' }));
      return;
    }
    receiver.posts += 1;
    void readJson(req).then((event) => {
      if (mode === 'fail') {
        res.writeHead(500).end();
        return;
      }
      receiver.events.push(event as StravaWebhookEvent);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/strava/webhook`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** Polls until `check` holds (webhook deliveries are asynchronous). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
