import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createRedisClient, HealthService, logRedisError, type RedisClient } from '@runnerly/platform';
import { TOKEN_DEALER_CONFIG, type TokenDealerConfig } from '../config.js';

export const REDIS = Symbol('Redis');

/** One Redis connection (auto-pipelined: the token endpoint's failure counts ride along cheaply). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [TOKEN_DEALER_CONFIG],
      useFactory: (config: TokenDealerConfig) =>
        createRedisClient(config.REDIS_URL, { enableAutoPipelining: true, maxRetriesPerRequest: 2 }).on(
          'error',
          logRedisError,
        ),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(HealthService) private readonly health: HealthService,
  ) {}

  onModuleInit(): void {
    this.health.register('redis', () => this.redis.ping());
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
