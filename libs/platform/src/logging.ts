import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { LoggerService } from '@nestjs/common';
import type { Logger, Params } from 'nestjs-pino';
import type { Level, Logger as PinoLogger } from 'pino';
import type PinoPretty from 'pino-pretty';
import {
  currentRequestContext,
  ensureRequestId,
  REQUEST_ID_HEADER,
  requestIdOf,
  runWithRequestContext,
} from './request-context.js';

/** Requests not worth a line each: probes and scrapes. Health failures are told by the HealthService, once per change. */
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

/** `json`: one JSON object per line (the contract). `pretty`: one coloured, readable line per event. */
export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT when set; else pretty on a terminal and JSON everywhere else (pipes, files, containers). */
export function resolveLogFormat(
  format: LogFormat | undefined,
  stdoutIsTty = process.stdout.isTTY === true,
): LogFormat {
  return format ?? (stdoutIsTty ? 'pretty' : 'json');
}

type LoggedRequest = IncomingMessage & { originalUrl?: string };

function pathOf(req: LoggedRequest): string {
  return stripQuery(req.originalUrl ?? req.url) ?? '';
}

/**
 * The level of a request's line: a 5xx is an error, a 4xx is the caller's problem (info, no stack);
 * probes and scrapes are not logged (a failing readiness is, by the HealthService).
 */
export function requestLogLevel(req: LoggedRequest, res: ServerResponse | undefined, error?: Error): Level | 'silent' {
  const path = pathOf(req);
  if (path.startsWith('/health/')) return 'silent';
  if (error || (res !== undefined && res.statusCode >= 500)) return 'error';
  if (QUIET_PATHS.some((quiet) => path.startsWith(quiet))) return 'silent';
  return 'info';
}

interface PrettyLine {
  [key: string]: unknown;
  context?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  requestId?: string;
}

/** One line per event for people: `GET /api/runs 200 12 ms (req 1a2b3c4d)`, `Context: message {extras}`. */
function prettyMessage(line: PrettyLine, messageKey: string): string {
  const message = String(line[messageKey] ?? '');
  if (line.req && line.res)
    return `${line.req.method} ${line.req.url} ${line.res.statusCode} ${line.responseTime ?? '?'} ms${
      line.requestId ? ` (req ${line.requestId.slice(0, 8)})` : ''
    }`;
  return line.context ? `${line.context}: ${message}` : message;
}

/** Logs with request ids, on stdout, one line per event: JSON (the contract) or pretty. */
export function loggerParams(service: string, level: string, format: LogFormat = 'json'): Params {
  const common = {
    level,
    base: { service },
    messageKey: 'msg',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Every line logged while handling a request (or a job) carries its id, and a request's line
    // the request: read from the request context when a line is written, so a request that logs
    // nothing costs nothing (a child logger per request cost its bindings' serialising and
    // redaction, tens of microseconds with the wildcard paths above, on every request).
    mixin: requestBindings,
    serializers: {
      req: (req: LoggedRequest & { id?: string }) => ({ method: req.method, url: stripQuery(req.url) }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
  };
  return {
    // No per-request middleware of nestjs-pino's (see `mixin`; requests are logged by
    // requestLogging below): pino-http builds only the root logger, its serializers and redaction.
    forRoutes: [],
    pinoHttp:
      format === 'pretty'
        ? [
            common,
            // Loaded only when asked for: JSON, the default off a terminal, does without it.
            (createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty).build({
              sync: true,
              singleLine: true,
              translateTime: 'SYS:HH:MM:ss.l',
              ignore: 'pid,hostname,service,context,req,res,responseTime,requestId',
              messageFormat: (line, messageKey) => prettyMessage(line as PrettyLine, messageKey),
            }),
          ]
        : {
            ...common,
            timestamp: isoTime,
            formatters: { level: (label: string) => ({ level: label }) },
          },
  };
}

let isoTimeMs = 0;
let isoTimeField = '';

/** pino's ISO time field, formatted once per millisecond (lines come in bursts: a busy service writes several per ms). */
function isoTime(): string {
  const now = Date.now();
  if (now !== isoTimeMs) {
    isoTimeMs = now;
    isoTimeField = `,"time":"${new Date(now).toISOString()}"`;
  }
  return isoTimeField;
}

function requestBindings(): Record<string, unknown> {
  const context = currentRequestContext();
  if (context === undefined) return {};
  return context.request === undefined
    ? { requestId: context.requestId }
    : { req: context.request, requestId: context.requestId };
}

type RequestLogger = Pick<PinoLogger, Level | 'isLevelEnabled'>;

/** The loggers of request lines (see requestLines). */
export interface RequestLines {
  /** The root logger without its redaction: for lines of what the serializers keep, no more. */
  plain: RequestLogger;
  /** The root logger: for a line that carries an error object. */
  redacting: RequestLogger;
}

/**
 * A request line carries only what the `req` and `res` serializers keep (method, path without its
 * query, status), its id and times: none of it is a field a redact path names. Redaction checked
 * every top-level field of every line anyway (the wildcard paths), and re-read its paths each time:
 * about half of what a logged request cost the logger. Those lines skip it; a line with an error
 * object (whose own properties could hold anything) keeps it.
 */
export function requestLines(root: Pick<PinoLogger<string>, Level | 'isLevelEnabled' | 'child'>): RequestLines {
  return { plain: root.child({}, { redact: [] }), redacting: root };
}

/**
 * Per request, first thing: its id (the caller's `x-request-id` when well-formed, else a new one)
 * on the response and in the request context, which every line logged meanwhile carries; `next`
 * runs the rest of the request in that context.
 */
export function enterRequest(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const requestId = ensureRequestId(req);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  runWithRequestContext({ requestId, request: req }, next);
}

/**
 * A request's one line once its response is done (see requestLogLevel), with its id; a 5xx carries
 * the error only when there was one (the exception filter has logged its stack). `res` is undefined
 * when the caller went away before an answer.
 */
export function logRequest(
  lines: RequestLines,
  req: LoggedRequest,
  res: ServerResponse | undefined,
  responseTime?: number,
  error?: Error,
): void {
  const level = requestLogLevel(req, res, error);
  if (level === 'silent' || !lines.plain.isLevelEnabled(level)) return;
  const requestId = requestIdOf(req);
  if (res === undefined) lines.plain[level]({ req, requestId }, 'request aborted');
  else if (error) lines.redacting[level]({ req, requestId, res, err: error, responseTime }, 'request errored');
  else lines.plain[level]({ req, requestId, res, responseTime }, 'request completed');
}

/**
 * For an Express app, which has no response hooks: enterRequest, then the request's line and
 * `observe(seconds)` (its metrics; responses that were sent, not abandoned) once it is done.
 */
export function requestLogging<R extends LoggedRequest>(
  lines: RequestLines,
  observe?: (req: R, res: ServerResponse, seconds: number) => void,
) {
  return (req: R, res: ServerResponse, next: () => void): void => {
    const started = performance.now();
    const done = (error?: Error) => {
      res.removeListener('close', done);
      res.removeListener('finish', done);
      res.removeListener('error', done);
      const elapsed = performance.now() - started;
      if (res.writableFinished) observe?.(req, res, elapsed / 1000);
      logRequest(lines, req, res.writableFinished || error ? res : undefined, Math.round(elapsed), error);
    };
    res.on('close', done);
    res.on('finish', done);
    res.on('error', done);
    enterRequest(req, res, next);
  };
}

/** Nest's start-up chatter (every module initialised, every route mapped): debug, so the first screen shows what matters. */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** The app's logger (nestjs-pino's), with Nest's start-up chatter at debug. */
export function serviceLogger(logger: Logger): LoggerService {
  const quiet = (params: unknown[]) => START_UP_CONTEXTS.has(params.at(-1) as string);
  return {
    log: (message: unknown, ...params: unknown[]) =>
      quiet(params) ? logger.debug(message, ...params) : logger.log(message, ...params),
    error: (message: unknown, ...params: unknown[]) => logger.error(message, ...params),
    warn: (message: unknown, ...params: unknown[]) => logger.warn(message, ...params),
    debug: (message: unknown, ...params: unknown[]) => logger.debug(message, ...params),
    verbose: (message: unknown, ...params: unknown[]) => logger.verbose(message, ...params),
    fatal: (message: unknown, ...params: unknown[]) => logger.fatal(message, ...params),
  };
}

/** Query strings can carry codes and tokens (OAuth callbacks): log the path only. */
function stripQuery(url: string | undefined): string | undefined {
  return url?.split('?')[0];
}
