import { type DynamicModule, Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { HealthService } from '@runnerly/platform';
import type { DataSource } from 'typeorm';
import { type DatabaseOptions, dataSourceOptions, openDatabase } from './data-source.js';

const logger = new Logger('Database');

/**
 * TypeORM on PostgreSQL the Runnerly way (see `openDatabase`), its DataSource injectable, and a
 * readiness check on its pool.
 */
@Module({})
export class DatabaseModule implements OnModuleInit {
  constructor(
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    private readonly health: HealthService,
  ) {}

  static forRoot(options: DatabaseOptions): DynamicModule {
    const database: DatabaseOptions = {
      ...options,
      onPoolError: (error) => logger.warn(`idle PostgreSQL connection lost: ${error.message}`),
    };
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(database),
          dataSourceFactory: () => openDatabase(database),
        }),
      ],
    };
  }

  onModuleInit(): void {
    this.health.register('postgres', () => this.dataSource.query('SELECT 1'));
  }
}
