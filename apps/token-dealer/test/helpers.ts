import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '@runnerly/config';
import { operatorUrl, startOperatorListener } from '@runnerly/platform';
import { createTestDatabase, leaseTestRedis, type TestDatabase } from '@runnerly/testing';
import { createApp } from '../src/app.js';
import { ClientsService } from '../src/clients/clients.service.js';
import { type TokenDealerConfig, TokenDealerConfigSchema } from '../src/config.js';

export interface TestTokenDealer {
  app: Awaited<ReturnType<typeof createApp>>;
  url: string;
  /** The operator listener (metrics, docs). */
  operatorUrl: string;
  config: TokenDealerConfig;
  clients: ClientsService;
  redisUrl: string;
  database: TestDatabase;
  close(): Promise<void>;
}

/** A real token-dealer on a free port, with a database and a Redis db of its own. */
export async function startTokenDealer(overrides: Record<string, string> = {}): Promise<TestTokenDealer> {
  const [database, redis] = await Promise.all([createTestDatabase(), leaseTestRedis()]);
  const env = {
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    TOKEN_DEALER_PEPPER: randomBytes(32).toString('hex'),
    TOKEN_DEALER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TOKEN_DEALER_ISSUER: 'http://token-dealer.test',
    ...overrides,
  };
  const config = parseConfig(TokenDealerConfigSchema, env);
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  await startOperatorListener(app, { port: 0, host: '127.0.0.1' });
  return {
    app,
    url,
    operatorUrl: operatorUrl(app),
    config,
    clients: app.get(ClientsService),
    redisUrl: redis.url,
    database,
    close: async () => {
      await app.close();
      await Promise.all([database.drop(), redis.release()]);
    },
  };
}
