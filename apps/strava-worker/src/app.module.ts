import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@runnerly/platform';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from './config.js';

@Module({})
export class AppModule {
  static forRoot(config: StravaWorkerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'strava-worker', logLevel: config.LOG_LEVEL })],
      providers: [{ provide: STRAVA_WORKER_CONFIG, useValue: config }],
    };
  }
}
