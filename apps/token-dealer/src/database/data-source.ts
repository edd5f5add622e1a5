import { ensureDatabase, ensureSchema } from '@runnerly/database';
import { DataSource } from 'typeorm';
import { ClientEntity } from '../clients/client.entity.js';
import { SigningKeyEntity } from '../keys/signing-key.entity.js';
import { CreateClientsAndKeys1763900000000 } from '../migrations/1763900000000-create-clients-and-keys.js';
import { TOKEN_DEALER_SCHEMA } from './schema.js';

export const TOKEN_DEALER_ENTITIES = [ClientEntity, SigningKeyEntity];
export const TOKEN_DEALER_MIGRATIONS = [CreateClientsAndKeys1763900000000];

/**
 * The token-dealer's database outside Nest (the command line): the same database, schema and
 * explicit migrations as DatabaseModule applies in the server.
 */
export async function openDataSource(url: string): Promise<DataSource> {
  await ensureDatabase(url);
  await ensureSchema(url, TOKEN_DEALER_SCHEMA);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema: TOKEN_DEALER_SCHEMA,
    entities: TOKEN_DEALER_ENTITIES,
    migrations: TOKEN_DEALER_MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: 2, application_name: 'token_dealer_cli' },
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
