import { createFastifyService } from '@runnerly/platform';
import { AppModule } from './app.module.js';
import type { DashboardConfig } from './config.js';

export function createApp(config: DashboardConfig) {
  return createFastifyService(AppModule.forRoot(config), { title: 'Runnerly dashboard' });
}
