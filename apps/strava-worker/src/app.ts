import { createFastifyService } from '@runnerly/platform';
import { AppModule } from './app.module.js';
import type { StravaWorkerConfig } from './config.js';

export function createApp(config: StravaWorkerConfig) {
  return createFastifyService(AppModule.forRoot(config), { title: 'Runnerly strava-worker' });
}
