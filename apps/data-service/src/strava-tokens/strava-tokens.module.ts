import { type DynamicModule, Module } from '@nestjs/common';
import { StravaTokensController } from './strava-tokens.controller.js';
import { StravaTokensRepository } from './strava-tokens.repository.js';
import { StravaTokensService } from './strava-tokens.service.js';
import { type EncryptionKey, TokenCipher } from './token-cipher.js';

@Module({})
export class StravaTokensModule {
  /** Registered once by the app with the encryption keys; imported plainly by the features that need it. */
  static forRoot(keys: EncryptionKey[]): DynamicModule {
    return {
      module: StravaTokensModule,
      global: true,
      controllers: [StravaTokensController],
      providers: [
        { provide: TokenCipher, useValue: new TokenCipher(keys) },
        StravaTokensRepository,
        StravaTokensService,
      ],
      exports: [StravaTokensService],
    };
  }
}
