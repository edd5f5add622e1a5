// The token-dealer's command line (CONTRACT.md): `pnpm --silent token-dealer clients create ...`.
// Prints exactly one JSON document on stdout; errors go to stderr as `{error, message}`.
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RevocationStore } from '@runnerly/auth';
import { findRepoRoot, loadConfig, secretBytes } from '@runnerly/config';
import { SERVICE_CLIENTS } from '@runnerly/data-client/contract';
import { createRedisClient } from '@runnerly/platform';
import type { DataSource } from 'typeorm';
import { CLIENT_CACHE_TTL_MS } from '../clients/client-cache.js';
import { RedisClientChangeNotifier } from '../clients/client-change.notifier.js';
import { ClientSecretHasher } from '../clients/client-secret.js';
import { ClientsException } from '../clients/clients.exception.js';
import { ClientsRepository } from '../clients/clients.repository.js';
import { ClientsService } from '../clients/clients.service.js';
import { type TokenDealerConfig, TokenDealerConfigSchema, TokenDealerCliConfigSchema } from '../config.js';
import { openDataSource } from '../database/data-source.js';
import { KeyCipher } from '../keys/key-cipher.js';
import { KeysErrorCode, KeysException } from '../keys/keys.exception.js';
import { KeysRepository } from '../keys/keys.repository.js';
import { KeysService } from '../keys/keys.service.js';
import { readEnvFile, writeEnvValue } from './env-file.js';

const USAGE = `usage:
  token-dealer clients create --id ID --scope "S1 S2" --audience AUD [--audience AUD2]
  token-dealer clients ensure --id ID --scope "S1 S2" --audience AUD [--known-secret-env VAR]
  token-dealer clients list
  token-dealer clients rotate-secret --id ID
  token-dealer clients delete --id ID
  token-dealer clients provision --secrets-file FILE   (the dashboard and strava-worker clients; secrets kept in FILE, {client} in it: one file each)
  token-dealer keys rotate [--now]
  token-dealer keys revoke --kid KID   (a leaked key: out of the JWKS, its tokens refused, a new key if it was signing)
Settings come from the environment, the root .env and .runnerly/local.env (written by pnpm start).`;

class UsageError extends Error {}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

async function main(argv: string[]): Promise<unknown> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      kid: { type: 'string' },
      scope: { type: 'string', multiple: true },
      audience: { type: 'string', multiple: true },
      'known-secret-env': { type: 'string' },
      'secrets-file': { type: 'string' },
      now: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  // `provision` alone is what docker-compose runs.
  const [group, command] = positionals[0] === 'provision' ? ['clients', 'provision'] : positionals;
  if (values.help || group === undefined) throw new UsageError('');

  if (group === 'keys' && command === 'rotate') {
    const config = loadConfig(
      TokenDealerConfigSchema.pick({
        DATABASE_URL: true,
        TOKEN_DEALER_KEY_ENCRYPTION_KEY: true,
        TOKEN_DEALER_TOKEN_TTL_SECONDS: true,
        TOKEN_DEALER_KEY_PUBLISH_LEAD_SECONDS: true,
      }),
    );
    return withDataSource(config.DATABASE_URL, async (dataSource) => {
      const keys = keysOf(dataSource, config);
      const { kid, activatesAt } = await keys.rotate(values.now === true);
      return { kid, published: true, signs_from: activatesAt.toISOString() };
    });
  }
  if (group === 'keys' && command === 'revoke') {
    const kid = required(values.kid, 'kid');
    const config = loadConfig(
      TokenDealerConfigSchema.pick({
        DATABASE_URL: true,
        REDIS_URL: true,
        TOKEN_DEALER_KEY_ENCRYPTION_KEY: true,
        TOKEN_DEALER_TOKEN_TTL_SECONDS: true,
        TOKEN_DEALER_KEY_PUBLISH_LEAD_SECONDS: true,
      }),
    );
    const redis = createRedisClient(config.REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 3000,
      retryStrategy: () => null,
    });
    try {
      // Redis first: a key revoked in the database but not announced would stay trusted by verifiers' caches.
      await redis.connect();
      return await withDataSource(config.DATABASE_URL, async (dataSource) => {
        const keys = keysOf(dataSource, config);
        // Announced before the row goes: tokens it signed are refused from now on, whatever happens next.
        await new RevocationStore(redis).revokeKey(kid, config.TOKEN_DEALER_TOKEN_TTL_SECONDS + 120);
        const result = await keys.revoke(kid);
        if (result === undefined) throw new KeysException(KeysErrorCode.KeyNotFound, `no signing key ${kid}`, 404);
        // Once more, now that the row is gone: running token-dealers reload their keys on this message.
        await new RevocationStore(redis).revokeKey(kid, config.TOKEN_DEALER_TOKEN_TTL_SECONDS + 120);
        return { kid, revoked: true, signing_kid: result.signingKid, new_key: result.created };
      });
    } finally {
      redis.disconnect();
    }
  }
  if (group !== 'clients') throw new UsageError(`unknown command: ${positionals.join(' ')}`);

  const config = loadConfig(TokenDealerCliConfigSchema);
  const redis = createRedisClient(config.REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  try {
    return await withDataSource(config.DATABASE_URL, async (dataSource) => {
      // Both revoke tokens: without Redis they must fail rather than leave the old tokens valid.
      const needsRedis = command === 'delete' || command === 'rotate-secret';
      if (needsRedis) await redis.connect();
      else await redis.connect().catch(() => undefined);
      const clients = new ClientsService(
        new ClientsRepository(dataSource),
        new ClientSecretHasher(secretBytes(config.TOKEN_DEALER_PEPPER)),
        { cacheTtlMs: CLIENT_CACHE_TTL_MS, tokenTtlSeconds: config.TOKEN_DEALER_TOKEN_TTL_SECONDS },
        new RevocationStore(redis),
        new RedisClientChangeNotifier(redis),
      );
      // The server remembers clients this long; the CLI itself never caches.
      clients.forget();
      const scope = values.scope ?? [];
      const audience = values.audience ?? [];
      switch (command) {
        case 'create':
          return clients.create(
            required(values.id, 'id'),
            scope,
            required(audience.join(' ') || undefined, 'audience'),
          );
        case 'ensure': {
          const envName = values['known-secret-env'];
          const known = envName === undefined ? undefined : (process.env[envName] ?? '');
          return clients.ensure(
            required(values.id, 'id'),
            scope,
            required(audience.join(' ') || undefined, 'audience'),
            known,
          );
        }
        case 'list':
          return { clients: await clients.list() };
        case 'provision': {
          // Secrets are written to the file only, never printed. (Not `--env-file`: Node itself
          // parses that flag even after the script name and fails when the file does not exist yet.)
          // `{client}` in the path: one file per client (compose gives each service only its own secrets).
          const pattern = required(values['secrets-file'], 'secrets-file');
          const provisioned = [];
          for (const client of SERVICE_CLIENTS) {
            const file = pattern.replaceAll('{client}', client.defaultId);
            const known = readEnvFile(file);
            const id = process.env[client.idVariable] || client.defaultId;
            const result = await clients.ensure(
              id,
              client.scopes.join(' '),
              client.audience,
              known[client.secretVariable] ?? '',
            );
            if (result.client_secret !== undefined) writeEnvValue(file, client.secretVariable, result.client_secret);
            const { client_secret: _secret, ...shown } = result;
            provisioned.push(shown);
          }
          return { clients: provisioned };
        }
        case 'rotate-secret':
          return clients.rotateSecret(required(values.id, 'id'));
        case 'delete':
          await clients.delete(required(values.id, 'id'));
          return { client_id: values.id, deleted: true };
        default:
          throw new UsageError(`unknown command: clients ${command ?? ''}`);
      }
    });
  } finally {
    redis.disconnect();
  }
}

/** The keys service as the command line uses it: rotation only by command. */
function keysOf(
  dataSource: DataSource,
  config: Pick<
    TokenDealerConfig,
    'TOKEN_DEALER_KEY_ENCRYPTION_KEY' | 'TOKEN_DEALER_TOKEN_TTL_SECONDS' | 'TOKEN_DEALER_KEY_PUBLISH_LEAD_SECONDS'
  >,
): KeysService {
  return new KeysService(
    new KeysRepository(dataSource),
    new KeyCipher(secretBytes(config.TOKEN_DEALER_KEY_ENCRYPTION_KEY)),
    {
      tokenTtlSeconds: config.TOKEN_DEALER_TOKEN_TTL_SECONDS,
      rotationDays: 0,
      publishLeadSeconds: config.TOKEN_DEALER_KEY_PUBLISH_LEAD_SECONDS,
    },
  );
}

async function withDataSource<T>(url: string, fn: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = await openDataSource(url);
  try {
    return await fn(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

// Operators run this from the repository root after `pnpm start`: use the secrets it generated.
const localEnv = process.env.RUNNERLY_LOCAL_ENV_FILE ?? join(findRepoRoot() ?? process.cwd(), '.runnerly', 'local.env');
if (!process.env.RUNNERLY_ENV_FILE && existsSync(localEnv)) process.env.RUNNERLY_ENV_FILE = localEnv;

try {
  const result = await main(process.argv.slice(2));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message ? `${error.message}\n` : ''}${USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof ClientsException || error instanceof KeysException) {
    process.stderr.write(`${JSON.stringify({ error: error.code, message: error.message })}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(
      `${JSON.stringify({ error: 'failed', message: error instanceof Error ? error.message : String(error) })}\n`,
    );
    process.exitCode = 1;
  }
}
