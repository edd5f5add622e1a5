import { Logger, type Provider } from '@nestjs/common';
import pg from 'pg';

export const PG_POOL = Symbol('PgPool');
const logger = new Logger('PgPool');

export interface PgPoolOptions {
  url: string;
  max: number;
}

/**
 * The pool the repositories send their hand-written SQL through: bulk upserts with ON CONFLICT and
 * `xmax`, keyset pages and calendar stats read better in SQL, and the hot read path skips the
 * ORM's per-query overhead. TypeORM (DatabaseModule) owns the schema: entities and migrations.
 */
export function pgPoolProvider(options: PgPoolOptions): Provider {
  return {
    provide: PG_POOL,
    useFactory: () => {
      const pool = new pg.Pool({ connectionString: options.url, max: options.max, application_name: 'data-service' });
      // An idle connection dropped by the server (restart, failover) must not crash the process:
      // the pool discards it and the next query opens a new one.
      pool.on('error', (error) => logger.warn(`idle PostgreSQL connection lost: ${error.message}`));
      return pool;
    },
  };
}
