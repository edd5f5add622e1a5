import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AthletesService } from '../athletes/athletes.service.js';
import { bearer, mergeParams, param, params } from '../common/params.js';
import { Faults } from '../common/strava-fault.js';
import { renderConsentPage } from './consent-page.js';
import { OAuthService } from './oauth.service.js';

/** Strava's OAuth endpoints: consent page, token exchange and refresh, deauthorization. */
@ApiExcludeController()
@Controller()
export class OAuthController {
  constructor(
    private readonly oauth: OAuthService,
    private readonly athletes: AthletesService,
  ) {}

  /**
   * The consent page. For automated tests, `sandbox_athlete_id` + `sandbox_decision=approve|deny`
   * (+ optional comma-separated `sandbox_scope`, the scopes left ticked) decide without a page.
   */
  @Get('oauth/authorize')
  authorize(@Query() query: Record<string, string | string[]>, @Res() reply: FastifyReply): void {
    const request = this.oauth.parseAuthorizeRequest({
      clientId: param(query, 'client_id'),
      redirectUri: param(query, 'redirect_uri'),
      responseType: param(query, 'response_type'),
      scope: param(query, 'scope'),
      state: param(query, 'state'),
      approvalPrompt: param(query, 'approval_prompt'),
    });
    const decision = param(query, 'sandbox_decision');
    if (decision === 'approve' || decision === 'deny') {
      const athleteId = Number(param(query, 'sandbox_athlete_id') ?? this.athletes.list()[0]!.profile.id);
      const scope = param(query, 'sandbox_scope');
      const location = this.oauth.decide(request, {
        approve: decision === 'approve',
        athleteId,
        granted: scope === undefined ? undefined : scope.split(','),
      });
      void reply.redirect(location, 302);
      return;
    }
    void reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(renderConsentPage(this.oauth.clientId, request, this.athletes.list()));
  }

  /** The consent form's submission. */
  @Post('oauth/authorize')
  submitConsent(@Body() body: Record<string, string | string[]>, @Res() reply: FastifyReply): void {
    const request = this.oauth.parseAuthorizeRequest({
      clientId: param(body, 'client_id'),
      redirectUri: param(body, 'redirect_uri'),
      responseType: param(body, 'response_type'),
      scope: param(body, 'requested_scope'),
      state: param(body, 'state'),
      approvalPrompt: param(body, 'approval_prompt'),
    });
    const location = this.oauth.decide(request, {
      approve: param(body, 'decision') === 'authorize',
      athleteId: Number(param(body, 'athlete_id')),
      granted: params(body, 'scope'),
    });
    void reply.redirect(location, 302);
  }

  /** Both paths Strava documents; parameters from the query string, urlencoded or multipart body. */
  @Post(['oauth/token', 'api/v3/oauth/token'])
  @HttpCode(200)
  token(@Query() query: unknown, @Body() body: unknown) {
    const input = mergeParams(query, body);
    this.oauth.checkClient(param(input, 'client_id'), param(input, 'client_secret') ?? '');
    const grantType = param(input, 'grant_type');
    if (grantType === 'authorization_code') return this.oauth.exchangeCode(param(input, 'code'));
    if (grantType === 'refresh_token') return this.oauth.refresh(param(input, 'refresh_token'));
    throw Faults.invalidGrantType();
  }

  /** Strava's announced replacement for deauthorize: HTTP Basic client auth, body `token`. */
  @Post('oauth/revoke')
  @HttpCode(200)
  revoke(@Headers('authorization') authorization: string | undefined, @Body() body: unknown): Record<string, never> {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    const [clientId, ...secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
    if (!basic) throw Faults.invalidClientSecret();
    let credentials: [string, string];
    try {
      credentials = [decodeURIComponent(clientId ?? ''), decodeURIComponent(secret.join(':'))];
    } catch {
      // A malformed %-escape (URIError) authenticates no client.
      throw Faults.invalidClientSecret();
    }
    this.oauth.checkClient(...credentials);
    this.oauth.revoke(param(mergeParams({}, body), 'token'));
    return {};
  }

  @Post('oauth/deauthorize')
  @HttpCode(200)
  deauthorize(
    @Headers('authorization') authorization: string | undefined,
    @Query() query: unknown,
    @Body() body: unknown,
  ) {
    return this.oauth.deauthorize(bearer(authorization) ?? param(mergeParams(query, body), 'access_token'));
  }
}
