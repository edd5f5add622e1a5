import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExceptionFilter, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { MetricsService } from './metrics/metrics.service.js';
import { EXCEPTION_FILTER } from './platform.module.js';

export interface ServiceOptions {
  /** The service name: OpenAPI title. */
  title: string;
  description?: string;
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
  /** Trust X-Forwarded-* (behind a proxy): a hop count or the proxies' addresses/CIDRs (fastify's trustProxy). */
  trustProxy?: boolean | number | string[];
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
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    bufferLogs: true,
    ...nestOptions,
  });
  errors.filter = app.get<ExceptionFilter>(EXCEPTION_FILTER, { strict: false });
  const metrics = app.get(MetricsService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', async (request, reply) => {
      metrics.observeHttp(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    });
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

export function finishSetup<T extends INestApplication>(app: T, options: ServiceOptions): T {
  app.useLogger(app.get(Logger));
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
