import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DASHBOARD_CALLER, DataServiceClient } from '@runnerly/data-client';
import { createRedisConnection, ImportQueue, SyncQueue } from '@runnerly/jobs';
import { HealthService } from '@runnerly/platform';
import { ServiceClient } from '@runnerly/service-client';
import type { RedisClient } from '@runnerly/platform';
import { DASHBOARD_CONFIG, type DashboardConfig } from '../config.js';

export const REDIS = Symbol('Redis');

/** The dashboard's I/O: Redis (sessions, sync queue and state) and the data-service. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [DASHBOARD_CONFIG],
      useFactory: (config: DashboardConfig) => createRedisConnection(config.REDIS_URL, { failFast: true }),
    },
    {
      provide: SyncQueue,
      inject: [REDIS],
      useFactory: (redis: RedisClient) => new SyncQueue(redis),
    },
    {
      provide: ImportQueue,
      inject: [REDIS],
      useFactory: (redis: RedisClient) => new ImportQueue(redis),
    },
    {
      provide: DataServiceClient,
      inject: [DASHBOARD_CONFIG],
      useFactory: (config: DashboardConfig) =>
        new DataServiceClient(
          new ServiceClient({
            baseUrl: config.DATA_SERVICE_URL,
            tokenDealerUrl: config.TOKEN_DEALER_URL,
            clientId: config.DASHBOARD_CLIENT_ID,
            clientSecret: config.DASHBOARD_CLIENT_SECRET,
            audience: DASHBOARD_CALLER.audience,
            scope: DASHBOARD_CALLER.scopes.join(' '),
            timeoutMs: 5000,
          }),
        ),
    },
  ],
  exports: [REDIS, SyncQueue, ImportQueue, DataServiceClient],
})
export class ConnectionsModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly syncQueue: SyncQueue,
    private readonly importQueue: ImportQueue,
    @Inject(DASHBOARD_CONFIG) config: DashboardConfig,
    health: HealthService,
  ) {
    health.register('redis', () => this.redis.ping());
    for (const [name, url] of [
      ['data-service', config.DATA_SERVICE_URL],
      ['token-dealer', config.TOKEN_DEALER_URL],
    ] as const) {
      health.register(name, async () => {
        const response = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(1500) });
        if (!response.ok) throw new Error(`${name} answered ${response.status}`);
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.syncQueue.close(), this.importQueue.close()]);
    this.redis.disconnect();
  }
}
