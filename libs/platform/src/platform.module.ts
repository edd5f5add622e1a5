import { type DynamicModule, Global, Module, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './errors.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { type LogFormat, loggerParams, resolveLogFormat } from './logging.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';

export interface PlatformOptions {
  /** The service name, on every log line and in the OpenAPI title. */
  service: string;
  logLevel: string;
  /** LOG_FORMAT; unset: pretty on a terminal, JSON otherwise. */
  logFormat?: LogFormat;
  /**
   * The app's one exception filter when some of its routes answer errors in another shape (OAuth's,
   * Strava's): a subclass of AllExceptionsFilter. One filter, not two global ones, because which of
   * two global filters wins depends on module order.
   */
  exceptionFilter?: Type<AllExceptionsFilter>;
}

/** The app's exception filter (the one global filter), for errors the router answers before Nest sees the request. */
export const EXCEPTION_FILTER = Symbol('ExceptionFilter');

/** Logging, request ids, health, metrics and error mapping: what every Runnerly app has. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot(loggerParams(options.service, options.logLevel, resolveLogFormat(options.logFormat))),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        HealthService,
        MetricsService,
        { provide: EXCEPTION_FILTER, useClass: options.exceptionFilter ?? AllExceptionsFilter },
        { provide: APP_FILTER, useExisting: EXCEPTION_FILTER },
      ],
      exports: [HealthService, MetricsService, EXCEPTION_FILTER],
    };
  }
}
