import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { logRequest, requestLogging, requestLogLevel, resolveLogFormat } from './logging.js';

const request = (url: string) => ({ method: 'GET', url }) as IncomingMessage;
const response = (statusCode: number) => ({ statusCode }) as ServerResponse;

describe('requestLogLevel', () => {
  it('logs a 4xx at info (the caller erred, not the service) and a 5xx at error', () => {
    expect(requestLogLevel(request('/users/x'), response(200))).toBe('info');
    expect(requestLogLevel(request('/users/x'), response(404))).toBe('info');
    expect(requestLogLevel(request('/users?cursor=bad'), response(400))).toBe('info');
    expect(requestLogLevel(request('/users/x'), response(500))).toBe('error');
    expect(requestLogLevel(request('/users/x'), response(200), new Error('socket hang up'))).toBe('error');
  });

  it('logs no line for probes, failing or not (the HealthService reports readiness changes), nor for scrapes', () => {
    expect(requestLogLevel(request('/health/ready'), response(503))).toBe('silent');
    expect(requestLogLevel(request('/health/live'), response(200))).toBe('silent');
    expect(requestLogLevel(request('/metrics'), response(200))).toBe('silent');
    expect(requestLogLevel(request('/metrics'), response(500))).toBe('error');
  });

  it('reads the original URL where a router rewrote it (Express mounts, fastify middleware)', () => {
    const rewritten = { method: 'GET', url: '/', originalUrl: '/health/ready' } as IncomingMessage & {
      originalUrl: string;
    };
    expect(requestLogLevel(rewritten, response(503))).toBe('silent');
  });
});

describe('resolveLogFormat', () => {
  it('is LOG_FORMAT when set, else pretty on a terminal and JSON elsewhere', () => {
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
    expect(resolveLogFormat(undefined, true)).toBe('pretty');
    expect(resolveLogFormat(undefined, false)).toBe('json');
  });
});

type Line = { level: string; fields: Record<string, unknown>; message: string };

function recordingLogger(lines: Line[]) {
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, fields, message });
    };
  return {
    info: at('info'),
    error: at('error'),
    warn: at('warn'),
    debug: at('debug'),
    trace: at('trace'),
    fatal: at('fatal'),
    isLevelEnabled: () => true,
  };
}

describe('requestLogging (Express apps)', () => {
  async function serve(handler: (res: ServerResponse) => void) {
    const lines: Line[] = [];
    const observed: number[] = [];
    const logger = recordingLogger(lines) as never;
    const logging = requestLogging({ plain: logger, redacting: logger }, (_req, res) => observed.push(res.statusCode));
    const server = createServer((req, res) => logging(req, res, () => handler(res)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/runs?token=secret`;
    return { lines, observed, url, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it('logs one line per answered request, with its id and path, and observes its metrics', async () => {
    const app = await serve((res) => res.writeHead(201).end('{}'));
    const response = await fetch(app.url, { headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.lines).toHaveLength(1);
    expect(app.lines[0]).toMatchObject({
      level: 'info',
      message: 'request completed',
      fields: { requestId: 'abc-123' },
    });
    expect(app.observed).toEqual([201]);
    await app.close();
  });

  it('logs a request whose caller went away before the answer as aborted, and observes nothing', async () => {
    let answer: ((res: ServerResponse) => void) | undefined;
    const app = await serve((res) => {
      answer = () => res.end();
    });
    const controller = new AbortController();
    const pending = fetch(app.url, { signal: controller.signal }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(app.lines).toHaveLength(1);
    expect(app.lines[0]).toMatchObject({ level: 'info', message: 'request aborted' });
    expect(app.lines[0]!.fields.res).toBeUndefined();
    expect(app.observed).toEqual([]);
    expect(answer).toBeDefined();
    await app.close();
  });
});

describe('logRequest', () => {
  it('logs nothing for probes, aborted or not', () => {
    const lines: Line[] = [];
    const logger = recordingLogger(lines) as never;
    logRequest({ plain: logger, redacting: logger }, request('/health/live'), undefined);
    logRequest({ plain: logger, redacting: logger }, request('/health/ready'), response(503), 3);
    expect(lines).toEqual([]);
  });
});
