import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { REVOCATION_CHANNEL } from '@runnerly/auth';
import { secretBytes } from '@runnerly/config';
import { duplicateRedisClient, type RedisClient } from '@runnerly/platform';
import type { DataSource } from 'typeorm';
import { TOKEN_DEALER_CONFIG, type TokenDealerConfig } from '../config.js';
import { TOKEN_DEALER_DATA_SOURCE } from '../database/data-source.provider.js';
import { REDIS } from '../redis/redis.module.js';
import { KeyCipher } from './key-cipher.js';
import { KeysRepository } from './keys.repository.js';
import { KeysService } from './keys.service.js';

/** How often an instance reloads keys (rotations by command or by another instance) and checks the schedule. */
const KEY_REFRESH_MS = 30_000;

@Global()
@Module({
  providers: [
    {
      provide: KeysService,
      inject: [TOKEN_DEALER_DATA_SOURCE, TOKEN_DEALER_CONFIG],
      useFactory: (dataSource: DataSource, config: TokenDealerConfig) =>
        new KeysService(
          new KeysRepository(dataSource),
          new KeyCipher(secretBytes(config.TOKEN_DEALER_KEY_ENCRYPTION_KEY)),
          {
            tokenTtlSeconds: config.TOKEN_DEALER_TOKEN_TTL_SECONDS,
            rotationDays: config.TOKEN_DEALER_KEY_ROTATION_DAYS,
            publishLeadSeconds: config.TOKEN_DEALER_KEY_PUBLISH_LEAD_SECONDS,
          },
        ),
    },
  ],
  exports: [KeysService],
})
export class KeysModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Keys');
  private timer: NodeJS.Timeout | undefined;
  private subscriber: RedisClient | undefined;

  constructor(
    @Inject(KeysService) private readonly keys: KeysService,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.keys.initialize();
    this.timer = setInterval(() => {
      this.keys
        .rotateIfDue()
        .then((rotated) => (rotated ? this.logger.log('signing key rotated on schedule') : this.keys.reload()))
        .catch((error: unknown) => this.logger.error({ err: error }, 'signing key refresh failed'));
    }, KEY_REFRESH_MS);
    this.timer.unref();
    // A key revoked by the command line leaves this instance's JWKS and signing at once.
    this.subscriber = duplicateRedisClient(this.redis);
    this.subscriber.on('message', (_channel: string, message: string) => {
      if (!message.includes('"kid"')) return;
      this.keys.reload().catch((error: unknown) => this.logger.error({ err: error }, 'signing key reload failed'));
    });
    this.subscriber.on('error', () => undefined);
    await this.subscriber.subscribe(REVOCATION_CHANNEL);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.subscriber?.disconnect();
  }
}
