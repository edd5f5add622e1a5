import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { PlatformModule } from '@runnerly/platform';
import { AdminController } from './admin/admin.controller.js';
import { AdminService } from './admin/admin.service.js';
import { ArchiveController } from './archive/archive.controller.js';
import { ArchiveService } from './archive/archive.service.js';
import { AthletesController } from './athletes/athletes.controller.js';
import { AthletesService } from './athletes/athletes.service.js';
import { ClockService } from './common/clock.service.js';
import { StravaFaultFilter } from './common/strava-fault.js';
import { STRAVA_SANDBOX_CONFIG, type StravaSandboxConfig } from './config.js';
import { OAuthController } from './oauth/oauth.controller.js';
import { OAuthService } from './oauth/oauth.service.js';
import { RateLimitService } from './rate-limit/rate-limit.service.js';
import { RequestLogService } from './rate-limit/request-log.service.js';
import { StravaGateMiddleware } from './rate-limit/strava-gate.middleware.js';
import { SettingsService } from './settings/settings.service.js';
import { PushSubscriptionsController } from './webhooks/push-subscriptions.controller.js';
import { WebhooksService } from './webhooks/webhooks.service.js';

/** One in-memory Strava: the services hold the state, the controllers only translate HTTP. */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: StravaSandboxConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'strava-sandbox',
          logLevel: config.LOG_LEVEL,
          logFormat: config.LOG_FORMAT,
          exceptionFilter: StravaFaultFilter,
        }),
      ],
      controllers: [
        OAuthController,
        AthletesController,
        PushSubscriptionsController,
        AdminController,
        ArchiveController,
      ],
      providers: [
        { provide: STRAVA_SANDBOX_CONFIG, useValue: config },
        ClockService,
        SettingsService,
        AthletesService,
        OAuthService,
        WebhooksService,
        RateLimitService,
        RequestLogService,
        AdminService,
        ArchiveService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(StravaGateMiddleware).forRoutes('*');
  }
}
