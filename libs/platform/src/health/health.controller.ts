import { Controller, Get, HttpStatus, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { AppException } from '../errors.js';
import { isOperatorRequest } from '../operator.js';
import { HealthService, type Readiness } from './health.service.js';

/** Express's response and Fastify's reply both have `status(code)`. */
interface StatusSetter {
  status(code: number): unknown;
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * 200 when every dependency answers, 503 otherwise. The public listener says only that
   * (`{status}`): which dependency is down, and its error, are for the operator listener.
   */
  @Get('ready')
  @ApiOperation({ summary: 'Ready when every dependency answers; details only on the operator listener' })
  async ready(
    @Req() req: IncomingMessage | { raw: IncomingMessage },
    @Res({ passthrough: true }) res: StatusSetter,
  ): Promise<Readiness | Pick<Readiness, 'status'>> {
    const readiness = await this.health.readiness();
    if (!isOperatorRequest(req)) {
      if (readiness.status !== 'ok') res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: readiness.status };
    }
    if (readiness.status !== 'ok') {
      const down = Object.keys(readiness.checks).filter((name) => readiness.checks[name]?.status === 'down');
      throw new AppException(
        'not_ready',
        `not ready: ${down.join(', ')} down`,
        HttpStatus.SERVICE_UNAVAILABLE,
        readiness,
      );
    }
    return readiness;
  }
}
