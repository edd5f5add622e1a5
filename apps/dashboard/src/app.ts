import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { expressMetricsMiddleware, expressOperatorGate, finishSetup, MetricsService } from '@runnerly/platform';
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
  });
  app.disable('x-powered-by');
  // First: an operator route asked on the public listener runs nothing else (no session, no metrics).
  app.use(expressOperatorGate(app));
  // Which X-Forwarded-For hops are believed for req.ip (the login rate limit's key): a hop count or
  // a list of proxy addresses, never every hop.
  app.set('trust proxy', trustedProxies(config));
  app.use(expressMetricsMiddleware(app.get(MetricsService)));
  // The page's assets before the session: files, the same for everyone, need none.
  app.useStaticAssets(join(WEB_DIST, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  app.use(sessionMiddleware(config, app.get<RedisClient>(REDIS)));
  return finishSetup(app, { title: 'Runnerly dashboard' });
}
