import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@runnerly/platform';
import { TOKEN_DEALER_CONFIG, type TokenDealerConfig } from './config.js';

@Module({})
export class AppModule {
  static forRoot(config: TokenDealerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'token-dealer', logLevel: config.LOG_LEVEL })],
      providers: [{ provide: TOKEN_DEALER_CONFIG, useValue: config }],
    };
  }
}
