import { type DatabaseOptions, openDatabase } from '@runnerly/database';
import type { DataSource } from 'typeorm';
import { ClientEntity } from '../clients/client.entity.js';
import { SigningKeyEntity } from '../keys/signing-key.entity.js';
import { CreateClientsAndKeys1763900000000 } from '../migrations/1763900000000-create-clients-and-keys.js';

/** The PostgreSQL schema the token-dealer owns. */
export const TOKEN_DEALER_SCHEMA = 'token_dealer';

/** The token-dealer's database: its schema, tables and migrations, for the server and the command line. */
export function tokenDealerDatabase(url: string): DatabaseOptions {
  return {
    url,
    schema: TOKEN_DEALER_SCHEMA,
    entities: [ClientEntity, SigningKeyEntity],
    migrations: [CreateClientsAndKeys1763900000000],
  };
}

/** The token-dealer's database outside Nest (the command line), migrated as the server migrates it. */
export function openDataSource(url: string): Promise<DataSource> {
  return openDatabase({ ...tokenDealerDatabase(url), poolSize: 2, applicationName: 'token_dealer_cli' });
}
