import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { MetricsService } from './metrics.service.js';

/** Express's response and Fastify's reply both have `header(name, value)`. */
interface HeaderSetter {
  header(name: string, value: string): unknown;
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res({ passthrough: true }) res: HeaderSetter): Promise<string> {
    res.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
