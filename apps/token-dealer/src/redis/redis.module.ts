import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HealthService } from '@runnerly/platform';
import { Redis } from 'ioredis';
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
        new Redis(config.REDIS_URL, { enableAutoPipelining: true, maxRetriesPerRequest: 2 }),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(HealthService) private readonly health: HealthService,
  ) {}

  onModuleInit(): void {
    this.health.register('redis', () => this.redis.ping());
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
