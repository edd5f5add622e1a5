import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppException } from '../errors.js';
import { HealthService } from './health.service.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    const readiness = await this.health.readiness();
    if (readiness.status !== 'ok') {
      const down = Object.keys(readiness.checks).filter((name) => readiness.checks[name]?.status === 'down');
      throw new AppException('not_ready', `not ready: ${down.join(', ')} down`, HttpStatus.SERVICE_UNAVAILABLE, readiness);
    }
    return readiness;
  }
}
