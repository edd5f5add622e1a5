import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DatabaseModule } from '@runnerly/database';
import { PlatformModule } from '@runnerly/platform';
import { ClientsModule } from './clients/clients.module.js';
import { TOKEN_DEALER_CONFIG, type TokenDealerConfig } from './config.js';
import { tokenDealerDatabase } from './database/data-source.js';
import { KeysModule } from './keys/keys.module.js';
import { OAuthExceptionFilter } from './oauth/oauth.exception.js';
import { OAuthModule } from './oauth/oauth.module.js';
import { RedisModule } from './redis/redis.module.js';

@Global()
@Module({})
class ConfigModule {
  static forRoot(config: TokenDealerConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: TOKEN_DEALER_CONFIG, useValue: config }],
      exports: [TOKEN_DEALER_CONFIG],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: TokenDealerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // RFC 6749 errors on /oauth/*, bodies refused before the controller runs included.
        PlatformModule.forRoot({
          service: 'token-dealer',
          logLevel: config.LOG_LEVEL,
          logFormat: config.LOG_FORMAT,
          exceptionFilter: OAuthExceptionFilter,
        }),
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(tokenDealerDatabase(config.DATABASE_URL)),
        RedisModule,
        ClientsModule,
        KeysModule,
        OAuthModule,
      ],
    };
  }
}
