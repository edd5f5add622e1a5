import { type DynamicModule, Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { RunsBatchPipe } from './runs-batch.pipe.js';
import { RunsController } from './runs.controller.js';
import { RUNS_OPTIONS, type RunsOptions } from './runs.options.js';
import { RunsRepository } from './runs.repository.js';
import { RunsService } from './runs.service.js';

@Module({})
export class RunsModule {
  static forRoot(options: RunsOptions): DynamicModule {
    return {
      module: RunsModule,
      imports: [UsersModule],
      controllers: [RunsController],
      providers: [{ provide: RUNS_OPTIONS, useValue: options }, RunsBatchPipe, RunsRepository, RunsService],
    };
  }
}
