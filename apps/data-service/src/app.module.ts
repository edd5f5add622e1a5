import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@runnerly/auth';
import { DATA_SERVICE_AUDIENCE } from '@runnerly/data-client';
import { DatabaseModule } from '@runnerly/database';
import { PlatformModule } from '@runnerly/platform';
import { BestEffortEntity } from './best-efforts/best-effort.entity.js';
import { BestEffortsModule } from './best-efforts/best-efforts.module.js';
import { DATA_SERVICE_CONFIG, type DataServiceConfig } from './config.js';
import { PersistenceModule } from './database/persistence.module.js';
import { DATA_SCHEMA } from './database/schema.js';
import { GearEntity } from './insights/gear.entity.js';
import { GoalEntity } from './insights/goal.entity.js';
import { InsightsModule } from './insights/insights.module.js';
import { CreateUsersTokensRuns1763890000000 } from './migrations/1763890000000-create-users-tokens-runs.js';
import { CreateBestEfforts1764800000000 } from './migrations/1764800000000-create-best-efforts.js';
import { CreateGearGoals1764900000000 } from './migrations/1764900000000-create-gear-goals.js';
import { BestEffortsStartDate1765000000000 } from './migrations/1765000000000-best-efforts-start-date.js';
import { RunEntity } from './runs/run.entity.js';
import { RunsModule } from './runs/runs.module.js';
import { StravaTokenEntity } from './strava-tokens/strava-token.entity.js';
import { StravaTokensModule } from './strava-tokens/strava-tokens.module.js';
import { UserEntity } from './users/user.entity.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  static forRoot(config: DataServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'data-service', logLevel: config.LOG_LEVEL, logFormat: config.LOG_FORMAT }),
        AuthModule.forRoot({
          issuer: config.TOKEN_DEALER_ISSUER ?? config.TOKEN_DEALER_URL,
          audience: DATA_SERVICE_AUDIENCE,
          jwksUrl: `${config.TOKEN_DEALER_URL}/.well-known/jwks.json`,
          redisUrl: config.REDIS_URL,
          maxTokenLifetimeSeconds: config.DATA_SERVICE_TOKEN_MAX_LIFETIME_SECONDS,
        }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: DATA_SCHEMA,
          entities: [UserEntity, StravaTokenEntity, RunEntity, BestEffortEntity, GearEntity, GoalEntity],
          migrations: [
            CreateUsersTokensRuns1763890000000,
            CreateBestEfforts1764800000000,
            CreateGearGoals1764900000000,
            BestEffortsStartDate1765000000000,
          ],
          poolSize: config.DATABASE_POOL_SIZE,
        }),
        PersistenceModule,
        StravaTokensModule.forRoot(config.STRAVA_TOKEN_ENCRYPTION_KEYS),
        UsersModule,
        RunsModule.forRoot({ maxRunsPerRequest: config.DATA_SERVICE_MAX_RUNS_PER_REQUEST }),
        InsightsModule,
        BestEffortsModule,
      ],
      providers: [{ provide: DATA_SERVICE_CONFIG, useValue: config }],
    };
  }
}
