import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@runnerly/platform';
import { DASHBOARD_CONFIG, type DashboardConfig } from './config.js';

@Module({})
export class AppModule {
  static forRoot(config: DashboardConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'dashboard', logLevel: config.LOG_LEVEL })],
      providers: [{ provide: DASHBOARD_CONFIG, useValue: config }],
    };
  }
}
