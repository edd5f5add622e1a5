import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { ensureDatabase, ensureSchema } from './ensure-database.js';

export interface DatabaseOptions {
  url: string;
  /** The PostgreSQL schema this service owns; its tables and migrations table live there. */
  schema: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  /** Connections in the pool (10): the one pool the service's queries, transactions and readiness share. */
  poolSize?: number;
  /** `application_name` in pg_stat_activity (the schema). */
  applicationName?: string;
  /** An idle connection the server dropped (restart, failover): the pool replaces it; this only reports it. */
  onPoolError?: (error: Error) => void;
}

/**
 * The DataSource options of every Runnerly database, for the servers (DatabaseModule), the command
 * lines and the tests alike: explicit migrations applied when it opens (never `synchronize`).
 */
export function dataSourceOptions(options: DatabaseOptions): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    applicationName: options.applicationName ?? options.schema,
    // Without a listener an idle connection's error would crash the process; TypeORM's own says nothing.
    poolErrorHandler: options.onPoolError ?? (() => undefined),
    extra: { max: options.poolSize ?? 10 },
  };
}

/** The database and schema created when missing, then the DataSource opened and its migrations applied. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  await ensureDatabase(options.url);
  await ensureSchema(options.url, options.schema);
  return new DataSource(dataSourceOptions(options)).initialize();
}
