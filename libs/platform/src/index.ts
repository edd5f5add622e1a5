export { createFastifyService, expressRequestHandling, finishSetup, type ServiceOptions } from './bootstrap.js';
export { clientAddressKey } from './client-address.js';
export { AllExceptionsFilter, AppException, type ErrorBody, toErrorResponse } from './errors.js';
export { type HealthCheck, HealthService, type Readiness } from './health/health.service.js';
export { type LogFormat, REDACTED_PATHS } from './logging.js';
export { MetricsService } from './metrics/metrics.service.js';
export {
  DEFAULT_OPERATOR_ROUTES,
  isOperatorRequest,
  operatorAddress,
  type OperatorListenerOptions,
  operatorUrl,
  startOperatorListener,
} from './operator.js';
export { PlatformModule, type PlatformOptions } from './platform.module.js';
export { currentRequestId, ensureRequestId, REQUEST_ID_HEADER, runWithRequestId } from './request-context.js';
export {
  ApiZodBody,
  ApiZodQuery,
  ApiZodResponse,
  openApiSchema,
  toValidationIssues,
  type ValidationIssue,
  ValidationException,
  ZodPipe,
} from './validation.js';
export {
  createRedisClient,
  createSubscriberConnection,
  duplicateRedisClient,
  logRedisError,
  type RedisClient,
  redisPrimaries,
} from './redis.js';
