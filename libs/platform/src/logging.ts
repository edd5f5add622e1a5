import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { ensureRequestId } from './request-context.js';

const QUIET_PATHS = ['/health/', '/metrics'];

/** Never let a credential reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.clientSecret',
  '*.password',
];

/** JSON logs on stdout, one line per event, each carrying the service name and request id. */
export function loggerParams(service: string, level: string): Params {
  return {
    // The same route pattern as the request-id middleware (nestjs-pino's default misses every route under Nest 12).
    forRoutes: ['*'],
    pinoHttp: {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => ensureRequestId(req),
      // Every line logged while handling a request carries its id (nestjs-pino binds this child logger).
      customProps: (req: IncomingMessage) => ({ requestId: ensureRequestId(req) }),
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.some((path) => req.url?.startsWith(path)) },
      serializers: {
        req: (req: IncomingMessage & { id?: string }) => ({ method: req.method, url: stripQuery(req.url) }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

/** Query strings can carry codes and tokens (OAuth callbacks): log the path only. */
function stripQuery(url: string | undefined): string | undefined {
  return url?.split('?')[0];
}
