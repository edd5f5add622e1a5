import { type DynamicModule, Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './errors.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { loggerParams } from './logging.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { requestContextMiddleware } from './request-context.js';

export interface PlatformOptions {
  /** The service name, on every log line and in the OpenAPI title. */
  service: string;
  logLevel: string;
}

/** Logging, request ids, health, metrics and error mapping: what every Runnerly app has. */
@Global()
@Module({})
export class PlatformModule implements NestModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [LoggerModule.forRoot(loggerParams(options.service, options.logLevel))],
      controllers: [HealthController, MetricsController],
      providers: [HealthService, MetricsService, { provide: APP_FILTER, useClass: AllExceptionsFilter }],
      exports: [HealthService, MetricsService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestContextMiddleware).forRoutes('*');
  }
}
