import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { QueueStatsService } from './queue-stats.service.js';

@ApiTags('operations')
@Controller('queues')
export class QueuesController {
  constructor(private readonly stats: QueueStatsService) {}

  @Get()
  @ApiOperation({ summary: 'Job counts per queue and the Strava request budget (the UI is at /queues/board)' })
  overview() {
    return this.stats.overview();
  }
}
