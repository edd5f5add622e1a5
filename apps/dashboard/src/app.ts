import { join } from 'node:path';
import express, { type RequestHandler } from 'express';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { expressRequestHandling, finishSetup } from '@runnerly/platform';
import type { RedisClient } from '@runnerly/platform';
import { AppModule } from './app.module.js';
import { REDIS } from './connections/connections.module.js';
import { type DashboardConfig, trustedProxies } from './config.js';
import { sessionMiddleware } from './session/session.middleware.js';
import { WEB_DIST } from './web/web-build.js';

/**
 * The dashboard runs on Express (not Fastify like the other services): passport and
 * express-session are what @nestjs/passport is built and tested with.
 */
export async function createApp(config: DashboardConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), new ExpressAdapter(), {
    bufferLogs: true,
    // Nest's default JSON and form parsers are installed below, for the requests that can carry a body.
    bodyParser: false,
  });
  app.disable('x-powered-by');
  // First: an operator route asked on the public listener runs nothing else (no session, no
  // metrics); every other request gets its id, its log line and its metrics.
  app.use(await expressRequestHandling(app));
  // Which X-Forwarded-For hops are believed for req.ip (the login rate limit's key): a hop count or
  // a list of proxy addresses, never every hop.
  app.set('trust proxy', trustedProxies(config));
  // The page's assets before the session: files, the same for everyone, need none.
  app.useStaticAssets(join(WEB_DIST, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  app.use(sessionMiddleware(config, app.get<RedisClient>(REDIS)));
  app.use(bodyParsers());
  return finishSetup(app, { title: 'Runnerly dashboard' });
}

/**
 * Nest's default body parsing (JSON, and forms with `qs`, 100 kB each), run only for the methods
 * whose routes read a body (the goal and shoe PUTs, the logout form's CSRF field): GETs, every
 * page view and API read, skip both parsers' checks.
 */
function bodyParsers(): RequestHandler {
  const json = express.json();
  const form = express.urlencoded({ extended: true });
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      next();
      return;
    }
    json(req, res, (error?: unknown) => (error ? next(error) : form(req, res, next)));
  };
}
