export { adminDatabaseUrl, createTestDatabase, dropStaleTestDatabases, type TestDatabase } from './database.js';
export { freePort } from './ports.js';
export { leaseTestRedis, redisServerUrl, type TestRedis } from './redis.js';
export {
  type Failover,
  REDIS_SERVER_BINARY,
  redisClusterUnavailable,
  startRedisCluster,
  type TestRedisCluster,
} from './redis-cluster.js';
export { launchChromium } from './browser.js';
export {
  answerViolation,
  clientErrorViolation,
  type ErrorShape,
  expectAnswer,
  expectClientError,
  fc,
  formBody,
  hostileBody,
  hostileForm,
  hostileHeaderValue,
  hostileObject,
  hostileQueryValue,
  hostileRuns,
  hostileSegment,
  hostileString,
  hostileValue,
  type HostileBody,
  type HostileRequest,
  parsedForm,
  parsedJson,
  parsedQuery,
  safeDecode,
  sendHostile,
} from './hostile.js';
export { pathSpellings } from './exposure.js';
export { type ServiceProcess, startService, type StartServiceOptions } from './service.js';
