import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { InsightsController } from './insights.controller.js';
import { InsightsRepository } from './insights.repository.js';
import { INSIGHTS_CLOCK, InsightsService } from './insights.service.js';

@Module({
  imports: [UsersModule],
  controllers: [InsightsController],
  providers: [{ provide: INSIGHTS_CLOCK, useValue: () => new Date() }, InsightsRepository, InsightsService],
})
export class InsightsModule {}
