import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { mergeParams, param } from '../common/params.js';
import { Faults } from '../common/strava-fault.js';
import { OAuthService } from '../oauth/oauth.service.js';
import { WebhooksService } from './webhooks.service.js';

/** Strava's push subscription API: one subscription per application. */
@ApiExcludeController()
@Controller('api/v3/push_subscriptions')
export class PushSubscriptionsController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly oauth: OAuthService,
  ) {}

  @Post()
  @HttpCode(201)
  create(@Query() query: unknown, @Body() body: unknown) {
    const input = mergeParams(query, body);
    this.oauth.checkClient(param(input, 'client_id'), param(input, 'client_secret') ?? '');
    const callbackUrl = param(input, 'callback_url');
    const verifyToken = param(input, 'verify_token');
    if (!callbackUrl) throw Faults.missingParameter('callback_url');
    if (!verifyToken) throw Faults.missingParameter('verify_token');
    return this.webhooks.create(callbackUrl, verifyToken);
  }

  @Get()
  view(@Query() query: unknown) {
    const input = mergeParams(query, {});
    this.oauth.checkClient(param(input, 'client_id'), param(input, 'client_secret') ?? '');
    return this.webhooks.view(Number(this.oauth.clientId));
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id') id: string, @Query() query: unknown, @Body() body: unknown): void {
    const input = mergeParams(query, body);
    this.oauth.checkClient(param(input, 'client_id'), param(input, 'client_secret') ?? '');
    this.webhooks.delete(Number(id));
  }
}
