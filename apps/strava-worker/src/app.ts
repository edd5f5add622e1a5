import { createFastifyService, DEFAULT_OPERATOR_ROUTES } from '@runnerly/platform';
import { AppModule } from './app.module.js';
import type { WorkerOptions } from './common/worker-options.js';
import type { StravaWorkerConfig } from './config.js';
import { mountBullBoard } from './operators/bull-board.js';

export async function createApp(config: StravaWorkerConfig, options: WorkerOptions = {}) {
  const app = await createFastifyService(AppModule.forRoot(config, options), {
    title: 'Runnerly strava-worker',
    description: 'Keeps every connected athlete’s runs in step with Strava: schedules, webhooks, queues.',
    // The queue overview and Bull Board: operators only (the public port takes Strava's webhooks).
    operatorRoutes: [...DEFAULT_OPERATOR_ROUTES, '/queues'],
  });
  await mountBullBoard(app, config.STRAVA_WORKER_BOARD_PASSWORD);
  return app;
}
