import { createFastifyService } from '@runnerly/platform';
import { AppModule } from './app.module.js';
import type { DataServiceConfig } from './config.js';

export function createApp(config: DataServiceConfig) {
  return createFastifyService(AppModule.forRoot(config), {
    title: 'Runnerly data-service',
    description: 'Users and runs, guarded by JWT access tokens from the token-dealer (audience data-service).',
    bodyLimit: config.DATA_SERVICE_BODY_LIMIT_BYTES,
  });
}
