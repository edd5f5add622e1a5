import { createFastifyService } from '@runnerly/platform';
import { AppModule } from './app.module.js';
import type { StravaSandboxConfig } from './config.js';

export function createApp(config: StravaSandboxConfig) {
  return createFastifyService(AppModule.forRoot(config), { title: 'Strava sandbox' });
}
