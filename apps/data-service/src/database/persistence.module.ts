import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import { Db } from './db.js';
import { PG_POOL, type PgPoolOptions, pgPoolProvider } from './pg-pool.provider.js';

/** The SQL access shared by the feature repositories. */
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  static forRoot(options: PgPoolOptions): DynamicModule {
    return { module: PersistenceModule, global: true, providers: [pgPoolProvider(options), Db], exports: [Db, PG_POOL] };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
