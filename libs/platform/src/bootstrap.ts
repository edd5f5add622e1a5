import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExceptionFilter, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import { MetricsService } from './metrics/metrics.service.js';
import { DEFAULT_OPERATOR_ROUTES, isOperatorRequest, operatorPathMatcher, operatorRouteNotFound } from './operator.js';
import { requestLogging, serviceLogger } from './logging.js';
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
  // Request ids and request logging (see requestLogging) as the first hook of the app's own, ahead
  // of Nest's middleware and the operator gate: a Fastify hook, not a Nest middleware, so that a
  // Fastify app has no Nest middleware at all (each request through Nest's middleware layer costs
  // more than the logging itself). Its logger exists once the app does.
  const logging: { handle?: ReturnType<typeof requestLogging> } = {};
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    logging.handle!(request.raw, reply.raw, done);
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    bufferLogs: true,
    ...nestOptions,
  });
  logging.handle = requestLogging((await app.resolve(PinoLogger)).logger);
  errors.filter = app.get<ExceptionFilter>(EXCEPTION_FILTER, { strict: false });
  const metrics = app.get(MetricsService);
  const fastify = app.getHttpAdapter().getInstance();
  // Callback-style hooks: on every request, an async one costs a promise and a microtask more.
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeHttp(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
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

/** Records the request latency histogram for an Express app (used where passport needs Express). */
export function expressMetricsMiddleware(metrics: MetricsService) {
  return (
    req: IncomingMessage & { route?: { path?: string }; baseUrl?: string },
    res: ServerResponse,
    next: () => void,
  ) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path === undefined ? undefined : `${req.baseUrl ?? ''}${req.route.path}`;
      metrics.observeHttp(req.method ?? 'GET', route, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

/**
 * For an Express app, the public listener's 404 for operator routes: install it first (before the
 * session and static middleware), so that nothing of an operator route runs for a public request.
 */
export function expressOperatorGate(
  app: INestApplication,
  operatorRoutes: readonly string[] = DEFAULT_OPERATOR_ROUTES,
) {
  const filter = app.get<ExceptionFilter>(EXCEPTION_FILTER, { strict: false });
  const operatorPath = operatorPathMatcher(operatorRoutes);
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void) => {
    const url = req.originalUrl ?? req.url;
    if (isOperatorRequest(req) || !operatorPath.url(url)) {
      next();
      return;
    }
    // Answered before Nest's middleware: the request id it would have set, set here.
    res.setHeader(REQUEST_ID_HEADER, ensureRequestId(req));
    filter.catch(operatorRouteNotFound(req.method, url), new ExecutionContextHost([req, res, next]));
  };
}

export function finishSetup<T extends INestApplication>(app: T, options: ServiceOptions): T {
  app.useLogger(serviceLogger(app.get(Logger)));
  app.flushLogs();
  app.enableShutdownHooks();
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
