import { createFastifyService } from '@runnerly/platform';
import { AppModule } from './app.module.js';
import type { DataServiceConfig } from './config.js';

export function createApp(config: DataServiceConfig) {
  return createFastifyService(AppModule.forRoot(config), { title: 'Runnerly data-service' });
}
