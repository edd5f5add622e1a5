import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { BestEffortsController } from './best-efforts.controller.js';
import { BestEffortsRepository } from './best-efforts.repository.js';
import { BestEffortsService } from './best-efforts.service.js';

@Module({
  imports: [UsersModule],
  controllers: [BestEffortsController],
  providers: [BestEffortsRepository, BestEffortsService],
})
export class BestEffortsModule {}
