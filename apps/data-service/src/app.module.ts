import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@runnerly/platform';
import { DATA_SERVICE_CONFIG, type DataServiceConfig } from './config.js';

@Module({})
export class AppModule {
  static forRoot(config: DataServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'data-service', logLevel: config.LOG_LEVEL })],
      providers: [{ provide: DATA_SERVICE_CONFIG, useValue: config }],
    };
  }
}
