import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, currentRequestId, ZodPipe } from '@runnerly/platform';
import { WebhookAck, WebhookChallengeQuery, WebhookChallengeResponse, WebhookEvent } from './webhook.dto.js';
import { WebhookService } from './webhook.service.js';
import { WebhookRateLimitGuard } from './webhook-rate-limit.guard.js';

@ApiTags('strava webhook')
@Controller('strava/webhook')
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Get()
  @ApiOperation({ summary: 'Strava push-subscription handshake' })
  @ApiZodQuery(WebhookChallengeQuery)
  @ApiZodResponse(200, WebhookChallengeResponse)
  challenge(@Query(new ZodPipe(WebhookChallengeQuery)) query: z.output<typeof WebhookChallengeQuery>) {
    return this.webhooks.verifyChallenge(query['hub.verify_token'], query['hub.challenge']);
  }

  @Post()
  @HttpCode(200)
  @UseGuards(WebhookRateLimitGuard)
  @ApiOperation({
    summary:
      "A Strava event of the app's current push subscription: queued as a hint, answered at once (403 for another subscription or none, 429 beyond the rate limit)",
  })
  @ApiZodBody(WebhookEvent)
  @ApiZodResponse(200, WebhookAck)
  async event(@Body(new ZodPipe(WebhookEvent)) event: z.output<typeof WebhookEvent>) {
    const action = await this.webhooks.accept(event, currentRequestId());
    return { status: 'accepted' as const, action };
  }
}
