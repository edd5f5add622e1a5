import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestLogLevel, resolveLogFormat } from './logging.js';

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
