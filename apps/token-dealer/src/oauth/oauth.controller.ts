import { Body, Controller, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ApiZodResponse, clientAddressKey } from '@runnerly/platform';
import { clientCredentials, formParams } from './client-credentials.js';
import {
  IntrospectionResponseSchema,
  OAuthErrorSchema,
  TokenOperationSchema,
  TokenRequestSchema,
  TokenResponseSchema,
} from './oauth.dto.js';
import { type IntrospectionResponse, OAuthService, type TokenResponse } from './oauth.service.js';

interface OAuthRequest {
  ip: string;
  socket: { remoteAddress?: string };
  headers: Record<string, string | string[] | undefined>;
}

function authorizationHeader(request: OAuthRequest): string | undefined {
  const value = request.headers.authorization;
  return Array.isArray(value) ? value[0] : value;
}

/** Whom failed authentications are counted against (the proxy-resolved address, else the socket's). */
function callerAddress(request: OAuthRequest): string {
  return clientAddressKey(request.ip, request.socket.remoteAddress);
}

@ApiTags('oauth')
@ApiBasicAuth()
@ApiConsumes('application/x-www-form-urlencoded')
@Controller('oauth')
export class OAuthController {
  constructor(@Inject(OAuthService) private readonly oauth: OAuthService) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiZodBody(TokenRequestSchema)
  @ApiZodResponse(200, TokenResponseSchema, 'an access token (RFC 9068 JWT)')
  @ApiZodResponse(400, OAuthErrorSchema, 'RFC 6749 §5.2 error')
  @ApiZodResponse(401, OAuthErrorSchema, 'invalid_client')
  async token(@Req() request: OAuthRequest, @Body() body: unknown): Promise<TokenResponse> {
    const params = formParams(body);
    const client = await this.oauth.authenticate(clientCredentials(authorizationHeader(request), params), () =>
      callerAddress(request),
    );
    return this.oauth.issue(client, { grantType: params.grant_type, scope: params.scope, audience: params.audience });
  }

  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiZodBody(TokenOperationSchema)
  @ApiZodResponse(200, IntrospectionResponseSchema, 'RFC 7662 introspection')
  async introspect(@Req() request: OAuthRequest, @Body() body: unknown): Promise<IntrospectionResponse> {
    const params = formParams(body);
    const caller = await this.oauth.authenticate(clientCredentials(authorizationHeader(request), params), () =>
      callerAddress(request),
    );
    return this.oauth.introspect(caller, params.token);
  }

  @Post('revoke')
  @HttpCode(200)
  @ApiZodBody(TokenOperationSchema)
  async revoke(@Req() request: OAuthRequest, @Body() body: unknown): Promise<Record<string, never>> {
    const params = formParams(body);
    const caller = await this.oauth.authenticate(clientCredentials(authorizationHeader(request), params), () =>
      callerAddress(request),
    );
    await this.oauth.revoke(caller, params.token, params.token_type_hint);
    return {};
  }
}
