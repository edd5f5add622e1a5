import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/** What a repository sends SQL through: the pool, or one connection inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export const FOREIGN_KEY_VIOLATION = '23503';

export function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Hand-written SQL on the one pool, the pg.Pool TypeORM's driver opened (DatabaseModule: sized
 * DATABASE_POOL_SIZE, the one readiness checks): bulk upserts with ON CONFLICT and `xmax`, keyset
 * pages and calendar stats read better in SQL, and the hot path skips the ORM's per-query work.
 * TypeORM owns the schema (entities and migrations) and the transactions.
 */
@Injectable()
export class Db implements Queryable {
  private readonly pool: pg.Pool;

  constructor(private readonly dataSource: DataSource) {
    this.pool = (dataSource.driver as PostgresDriver).master as pg.Pool;
  }

  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(text, values);
  }

  /** Runs `fn` in one TypeORM transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async ({ queryRunner }) => fn((await queryRunner!.connect()) as pg.PoolClient));
  }
}
