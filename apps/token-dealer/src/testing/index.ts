// What tests need of the token-dealer (`@runnerly/token-dealer/testing`): a real one started for a
// test, its clients service to provision callers, and its command line. The product's service
// clients are `SERVICE_CLIENTS` of @runnerly/data-client.
import 'reflect-metadata';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseConfig } from '@runnerly/config';
import { operatorUrl, startOperatorListener } from '@runnerly/platform';
import { createTestDatabase, leaseTestRedis, type TestDatabase } from '@runnerly/testing';
import { createApp } from '../app.js';
import { ClientsService } from '../clients/clients.service.js';
import { type TokenDealerConfig, TokenDealerConfigSchema } from '../config.js';

export interface TestTokenDealer {
  app: Awaited<ReturnType<typeof createApp>>;
  url: string;
  /** The operator listener (metrics, docs); empty without one. */
  operatorUrl: string;
  config: TokenDealerConfig;
  clients: ClientsService;
  redisUrl: string;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * A real token-dealer in this process on 127.0.0.1 (`port`, or a free one), with a database of its
 * own and a Redis db of its own (unless `overrides` names a `REDIS_URL`, left to its owner), and its
 * operator listener unless `operator` is false.
 */
export async function startTokenDealer(
  overrides: Record<string, string> = {},
  { port = 0, operator = true }: { port?: number; operator?: boolean } = {},
): Promise<TestTokenDealer> {
  const [database, redis] = await Promise.all([
    createTestDatabase(),
    overrides.REDIS_URL === undefined ? leaseTestRedis() : undefined,
  ]);
  const env = {
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    REDIS_URL: redis?.url ?? '',
    TOKEN_DEALER_PEPPER: randomBytes(32).toString('hex'),
    TOKEN_DEALER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TOKEN_DEALER_ISSUER: 'http://token-dealer.test',
    ...overrides,
  };
  const config = parseConfig(TokenDealerConfigSchema, env);
  const app = await createApp(config);
  await app.listen(port, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  if (operator) await startOperatorListener(app, { port: 0, host: '127.0.0.1' });
  return {
    app,
    url,
    operatorUrl: operator ? operatorUrl(app) : '',
    config,
    clients: app.get(ClientsService),
    redisUrl: env.REDIS_URL,
    database,
    close: async () => {
      await app.close();
      await Promise.all([database.drop(), redis?.release()]);
    },
  };
}

/** The token-dealer's command line (`clients …`, `keys …`) as an operator runs it from the repository's root. */
export function runTokenDealerCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs?: number,
): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'apps/token-dealer/src/cli/main.ts', ...args],
    {
      cwd: join(import.meta.dirname, '../../../..'),
      env,
      encoding: 'utf8',
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
    },
  );
}
