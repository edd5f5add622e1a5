import { createFastifyService } from '@runnerly/platform';
import { AppModule } from './app.module.js';
import type { TokenDealerConfig } from './config.js';

export function createApp(config: TokenDealerConfig) {
  return createFastifyService(AppModule.forRoot(config), { title: 'Runnerly token-dealer' });
}
