export { adminDatabaseUrl, createTestDatabase, dropStaleTestDatabases, type TestDatabase } from './database.js';
export { freePort } from './ports.js';
export { leaseTestRedis, redisServerUrl, type TestRedis } from './redis.js';
export { launchChromium } from './browser.js';
export {
  answerViolation,
  clientErrorViolation,
  type ErrorShape,
  expectAnswer,
  expectClientError,
  fc,
  hostileBody,
  hostileHeaderValue,
  hostileObject,
  hostileQueryValue,
  hostileRuns,
  hostileSegment,
  hostileString,
  hostileValue,
  type HostileBody,
  type HostileRequest,
  parsedJson,
  parsedQuery,
  sendHostile,
} from './hostile.js';
