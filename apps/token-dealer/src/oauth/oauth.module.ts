import { Module } from '@nestjs/common';
import { RevocationStore } from '@runnerly/auth';
import { MetricsService } from '@runnerly/platform';
import type { RedisClient } from '@runnerly/platform';
import { ClientsService } from '../clients/clients.service.js';
import { TOKEN_DEALER_CONFIG, type TokenDealerConfig } from '../config.js';
import { KeysService } from '../keys/keys.service.js';
import { REDIS } from '../redis/redis.module.js';
import { FailureThrottle } from './failure-throttle.js';
import { OAuthController } from './oauth.controller.js';
import { OAuthService } from './oauth.service.js';
import { WellKnownController } from './well-known.controller.js';

@Module({
  controllers: [OAuthController, WellKnownController],
  providers: [
    {
      provide: OAuthService,
      inject: [ClientsService, KeysService, REDIS, MetricsService, TOKEN_DEALER_CONFIG],
      useFactory: (
        clients: ClientsService,
        keys: KeysService,
        redis: RedisClient,
        metrics: MetricsService,
        config: TokenDealerConfig,
      ) =>
        new OAuthService(
          clients,
          keys,
          new FailureThrottle(redis, {
            maxFailuresPerClientAddress: config.TOKEN_DEALER_MAX_FAILURES_PER_CLIENT_ADDRESS,
            maxFailuresPerAddress: config.TOKEN_DEALER_MAX_FAILURES_PER_ADDRESS,
            windowSeconds: config.TOKEN_DEALER_FAILURE_WINDOW_SECONDS,
          }),
          new RevocationStore(redis),
          {
            issued: metrics.counter({
              name: 'token_dealer_tokens_issued_total',
              help: 'Access tokens issued',
              labelNames: ['client_id', 'audience'],
            }),
            failures: metrics.counter({
              name: 'token_dealer_auth_failures_total',
              help: 'Refused token requests by reason',
              labelNames: ['reason'],
            }),
          },
          { issuer: config.TOKEN_DEALER_ISSUER, tokenTtlSeconds: config.TOKEN_DEALER_TOKEN_TTL_SECONDS },
        ),
    },
  ],
})
export class OAuthModule {}
