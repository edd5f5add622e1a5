import { type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { HealthService } from '@runnerly/platform';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ensureDatabase, ensureSchema } from './ensure-database.js';

export interface DatabaseOptions {
  url: string;
  /** The PostgreSQL schema this service owns; its tables and migrations table live there. */
  schema: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  poolSize?: number;
}

/**
 * TypeORM on PostgreSQL the Runnerly way: the database and schema created if missing, explicit
 * migrations applied at start (never `synchronize`), and a readiness check.
 */
@Module({})
export class DatabaseModule implements OnModuleInit {
  constructor(
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    private readonly health: HealthService,
  ) {}

  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            type: 'postgres',
            url: options.url,
            schema: options.schema,
            entities: options.entities,
            migrations: options.migrations,
            migrationsTableName: 'migrations',
            migrationsRun: true,
            migrationsTransactionMode: 'each',
            synchronize: false,
            extra: { max: options.poolSize ?? 10, application_name: options.schema },
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            await ensureDatabase(options.url);
            await ensureSchema(options.url, options.schema);
            return new DataSource(dataSourceOptions!).initialize();
          },
        }),
      ],
    };
  }

  onModuleInit(): void {
    this.health.register('postgres', () => this.dataSource.query('SELECT 1'));
  }
}
