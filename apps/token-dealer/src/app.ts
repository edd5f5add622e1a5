import { createFastifyService } from '@runnerly/platform';
import { AppModule } from './app.module.js';
import type { TokenDealerConfig } from './config.js';

export function createApp(config: TokenDealerConfig) {
  return createFastifyService(AppModule.forRoot(config), {
    title: 'Runnerly token-dealer',
    description: 'OAuth 2 client-credentials server: RFC 9068 JWT access tokens, JWKS, introspection, revocation',
    bodyLimit: 16 * 1024,
    trustProxy: config.TOKEN_DEALER_TRUST_PROXY,
  });
}
