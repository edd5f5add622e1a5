import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RevocationStore } from '@runnerly/auth';
import { secretBytes } from '@runnerly/config';
import { duplicateRedisClient, type RedisClient } from '@runnerly/platform';
import type { DataSource } from 'typeorm';
import { TOKEN_DEALER_CONFIG, type TokenDealerConfig } from '../config.js';
import { dataSourceProvider, TOKEN_DEALER_DATA_SOURCE } from '../database/data-source.provider.js';
import { REDIS } from '../redis/redis.module.js';
import { CLIENT_CACHE_TTL_MS } from './client-cache.js';
import { ClientSecretHasher } from './client-secret.js';
import { CLIENT_CHANGES_CHANNEL, RedisClientChangeNotifier } from './client-change.notifier.js';
import { ClientsRepository } from './clients.repository.js';
import { ClientsService } from './clients.service.js';

@Global()
@Module({
  providers: [
    dataSourceProvider,
    {
      provide: ClientsService,
      inject: [TOKEN_DEALER_DATA_SOURCE, TOKEN_DEALER_CONFIG, REDIS],
      useFactory: (dataSource: DataSource, config: TokenDealerConfig, redis: RedisClient) =>
        new ClientsService(
          new ClientsRepository(dataSource),
          new ClientSecretHasher(secretBytes(config.TOKEN_DEALER_PEPPER)),
          { cacheTtlMs: CLIENT_CACHE_TTL_MS, tokenTtlSeconds: config.TOKEN_DEALER_TOKEN_TTL_SECONDS },
          new RevocationStore(redis),
          new RedisClientChangeNotifier(redis),
        ),
    },
  ],
  exports: [ClientsService, dataSourceProvider],
})
export class ClientsModule implements OnModuleInit, OnApplicationShutdown {
  private subscriber: RedisClient | undefined;

  constructor(
    @Inject(ClientsService) private readonly clients: ClientsService,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  /** Other processes (the command line) announce client changes: forget them at once. */
  async onModuleInit(): Promise<void> {
    this.subscriber = duplicateRedisClient(this.redis);
    this.subscriber.on('message', (_channel: string, id: string) => this.clients.forget(id));
    // A reconnect may have missed messages: start from a clean cache.
    this.subscriber.on('ready', () => this.clients.forget());
    // Its errors are the main connection's too, which logs them.
    this.subscriber.on('error', () => undefined);
    await this.subscriber.subscribe(CLIENT_CHANGES_CHANNEL);
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}
