import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createRedisClient, HealthService, type RedisClient } from '@runnerly/platform';
import { TOKEN_DEALER_CONFIG, type TokenDealerConfig } from '../config.js';

export const REDIS = Symbol('Redis');

const redisLogger = new Logger('Redis');

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
          // While Redis is away the connection reconnects by itself: one warning line per failed
          // attempt, not ioredis's raw "Unhandled error event" on stderr.
          (error: Error) => redisLogger.warn(`Redis unavailable: ${error.message}`),
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
