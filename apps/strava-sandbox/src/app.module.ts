import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@runnerly/platform';
import { STRAVA_SANDBOX_CONFIG, type StravaSandboxConfig } from './config.js';

@Module({})
export class AppModule {
  static forRoot(config: StravaSandboxConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'strava-sandbox', logLevel: config.LOG_LEVEL })],
      providers: [{ provide: STRAVA_SANDBOX_CONFIG, useValue: config }],
    };
  }
}
