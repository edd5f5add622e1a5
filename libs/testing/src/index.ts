export { adminDatabaseUrl, createTestDatabase, dropStaleTestDatabases, type TestDatabase } from './database.js';
export { freePort } from './ports.js';
export { leaseTestRedis, redisServerUrl, type TestRedis } from './redis.js';
export { launchChromium } from './browser.js';
