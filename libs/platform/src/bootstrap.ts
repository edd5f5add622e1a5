import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ExceptionFilter,
  type INestApplication,
  Logger as NestLogger,
  type NestApplicationOptions,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import { MetricsService } from './metrics/metrics.service.js';
import { DEFAULT_OPERATOR_ROUTES, isOperatorRequest, operatorPathMatcher, operatorRouteNotFound } from './operator.js';
import { enterRequest, logRequest, requestLines, requestLogging, serviceLogger } from './logging.js';
import { EXCEPTION_FILTER } from './platform.module.js';
import { ensureRequestId, REQUEST_ID_HEADER } from './request-context.js';

export interface ServiceOptions {
  /** The service name: OpenAPI title. */
  title: string;
  description?: string;
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
  /** Trust X-Forwarded-* (behind a proxy): a hop count or the proxies' addresses/CIDRs (fastify's trustProxy). */
  trustProxy?: boolean | number | string[];
  /**
   * Routes (path prefixes) answered only on the operator listener, 404 on the public one. Default:
   * metrics and the OpenAPI docs; an app adds its own (the worker's queues); `[]` serves every
   * route on every listener (the Strava sandbox, a development stand-in).
   */
  operatorRoutes?: readonly string[];
}

function trustHops(hops: number): boolean | ((address: string, hop: number) => boolean) {
  return hops <= 0 ? false : (_address: string, hop: number) => hop < hops;
}

/** Creates a Fastify-backed Nest app with Runnerly's logging, metrics and OpenAPI wired in. */
export async function createFastifyService(
  module: unknown,
  options: ServiceOptions,
  nestOptions: NestApplicationOptions = {},
): Promise<NestFastifyApplication> {
  // Known once the app exists; the router may refuse requests only after that.
  const errors: { filter?: ExceptionFilter } = {};
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // A hop count: the nearest `n` proxies (fastify's own number form, which its adapter's types lack).
    trustProxy: typeof options.trustProxy === 'number' ? trustHops(options.trustProxy) : (options.trustProxy ?? false),
    // Request ids come from x-request-id (see request-context); fastify's own logger stays off.
    logger: false,
    // A malformed or over-long path is refused by the router before Nest sees the request: answered
    // by the app's exception filter too, not in fastify's own shape.
    frameworkErrors: (error: unknown, request: unknown, reply: unknown) => {
      if (errors.filter) errors.filter.catch(error, new ExecutionContextHost([request, reply]));
      else (reply as { send(payload: unknown): unknown }).send(error);
    },
  });
  // The request id and context (enterRequest) as the app's first hook, ahead of Nest's and the
  // operator gate: a Fastify hook, not a Nest middleware, so that a Fastify app has no Nest
  // middleware at all (each request through Nest's middleware layer costs more than the logging).
  adapter.getInstance().addHook('onRequest', (request, reply, done) => enterRequest(request.raw, reply.raw, done));
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    bufferLogs: true,
    ...nestOptions,
  });
  const lines = requestLines((await app.resolve(PinoLogger)).logger);
  errors.filter = app.get<ExceptionFilter>(EXCEPTION_FILTER, { strict: false });
  const metrics = app.get(MetricsService);
  const fastify = app.getHttpAdapter().getInstance();
  // The request's metrics and line from Fastify's own response hooks (no listeners of ours on the
  // response); callback-style: an async hook costs a promise and a microtask more per request.
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeHttp(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    logRequest(lines, request.raw, reply.raw, Math.round(reply.elapsedTime));
    done();
  });
  // The caller went away before the answer: a line without a response.
  fastify.addHook('onRequestAbort', (request, done) => {
    logRequest(lines, request.raw, undefined);
    done();
  });
  const operatorRoutes = options.operatorRoutes ?? DEFAULT_OPERATOR_ROUTES;
  if (operatorRoutes.length > 0) {
    // At the root, after Nest's middleware (request id, logging; registered when the app is
    // created) and before any plugin's own hooks (Bull Board's password check): the public listener
    // does not even say an operator route exists. Both the matched route and the raw path are
    // checked, so no spelling the router would still match gets through.
    const operatorPath = operatorPathMatcher(operatorRoutes);
    fastify.addHook('onRequest', (request, reply, done) => {
      const operatorRoute =
        !isOperatorRequest(request.raw) &&
        (operatorPath.routePattern(request.routeOptions.url) || operatorPath.url(request.url));
      if (!operatorRoute) {
        done();
        return;
      }
      // Answered here (the filter sends the 404); `done` is not called, so nothing else runs.
      errors.filter?.catch(
        operatorRouteNotFound(request.method, request.url),
        new ExecutionContextHost([request, reply]),
      );
    });
  }
  return finishSetup(app, options);
}

type ExpressRequest = IncomingMessage & { originalUrl?: string; route?: { path?: string }; baseUrl?: string };

/**
 * For an Express app (the dashboard: passport needs Express), all the platform's per-request work
 * in one middleware, to install first. The public listener's 404 for operator routes comes first,
 * so that nothing of an operator route runs for a public request (not even the session); every
 * other request gets its id, context and line (requestLogging) and the latency histogram.
 */
export async function expressRequestHandling(
  app: INestApplication,
  operatorRoutes: readonly string[] = DEFAULT_OPERATOR_ROUTES,
) {
  const filter = app.get<ExceptionFilter>(EXCEPTION_FILTER, { strict: false });
  const metrics = app.get(MetricsService);
  const operatorPath = operatorPathMatcher(operatorRoutes);
  const logging = requestLogging<ExpressRequest>(
    requestLines((await app.resolve(PinoLogger)).logger),
    (req, res, seconds) => {
      const route = req.route?.path === undefined ? undefined : `${req.baseUrl ?? ''}${req.route.path}`;
      metrics.observeHttp(req.method ?? 'GET', route, res.statusCode, seconds);
    },
  );
  return (req: ExpressRequest, res: ServerResponse, next: () => void) => {
    const url = req.originalUrl ?? req.url;
    if (isOperatorRequest(req) || !operatorPath.url(url)) {
      logging(req, res, next);
      return;
    }
    res.setHeader(REQUEST_ID_HEADER, ensureRequestId(req));
    filter.catch(operatorRouteNotFound(req.method, url), new ExecutionContextHost([req, res, next]));
  };
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * SIGTERM or SIGINT closes the app (Nest's shutdown hooks, the HTTP server), then ends the process,
 * whatever handles are left. Not Nest's `enableShutdownHooks()`: it ends the process by raising the
 * signal again once closed, which PID 1 in a container ignores, so the process lived on as long as
 * anything held its event loop (in compose-test, a Redis client reconnecting to an address that did
 * not answer kept the token-dealer past its 20 s grace period). A second signal while closing ends
 * the process at once.
 */
function stopOnSignals(app: INestApplication): void {
  const logger = new NestLogger('Shutdown');
  const stop = (signal: NodeJS.Signals) => {
    for (const other of STOP_SIGNALS) process.removeListener(other, stop);
    logger.log(`${signal}: stopping`);
    app.close().then(
      () => {
        logger.log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
}

export function finishSetup<T extends INestApplication>(app: T, options: ServiceOptions): T {
  app.useLogger(serviceLogger(app.get(Logger)));
  app.flushLogs();
  stopOnSignals(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description ?? '')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  return app;
}
