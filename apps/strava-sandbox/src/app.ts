import type { FastifyRequest } from 'fastify';
import { createFastifyService } from '@runnerly/platform';
import { AppModule } from './app.module.js';
import { parseMultipart } from './common/params.js';
import type { StravaSandboxConfig } from './config.js';

export async function createApp(config: StravaSandboxConfig) {
  const app = await createFastifyService(AppModule.forRoot(config), {
    title: 'Strava sandbox',
    description:
      'A local, in-memory Strava (OAuth, athlete, activities, push subscriptions) plus its admin API under /_sandbox.',
    // A development stand-in on one listener: its metrics and docs stay where they are.
    operatorRoutes: [],
  });
  // Strava takes OAuth parameters as multipart too (urlencoded and JSON are built in).
  app.useBodyParser('multipart/form-data', {}, (request: FastifyRequest, body: Buffer) =>
    parseMultipart(String(request.headers['content-type']), body),
  );
  return app;
}
