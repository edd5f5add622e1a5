import { type DynamicModule, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { PlatformModule } from '@runnerly/platform';
import { ApiController } from './api/api.controller.js';
import { GlanceController } from './api/glance.controller.js';
import { GlanceService } from './api/glance.service.js';
import { TrainingService } from './api/training.service.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { StravaStrategy } from './auth/strava.strategy.js';
import { ConnectionsModule } from './connections/connections.module.js';
import { DASHBOARD_CONFIG, type DashboardConfig } from './config.js';
import { ImportsController } from './imports/imports.controller.js';
import { ImportsService } from './imports/imports.service.js';
import { SyncStatusService } from './sync/sync-status.service.js';
import { WebController } from './web/web.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: DashboardConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        PlatformModule.forRoot({ service: 'dashboard', logLevel: config.LOG_LEVEL, logFormat: config.LOG_FORMAT }),
        PassportModule,
        ConnectionsModule,
      ],
      controllers: [AuthController, ApiController, GlanceController, ImportsController, WebController],
      providers: [
        { provide: DASHBOARD_CONFIG, useValue: config },
        AuthService,
        StravaStrategy,
        TrainingService,
        GlanceService,
        SyncStatusService,
        ImportsService,
      ],
      exports: [DASHBOARD_CONFIG],
    };
  }
}
