import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TOKEN_DEALER_CONFIG, type TokenDealerConfig } from '../config.js';
import { KeysService, type PublicJwk, SIGNING_ALGORITHM } from '../keys/keys.service.js';

@ApiTags('discovery')
@Controller('.well-known')
export class WellKnownController {
  constructor(
    @Inject(KeysService) private readonly keys: KeysService,
    @Inject(TOKEN_DEALER_CONFIG) private readonly config: TokenDealerConfig,
  ) {}

  /** Public signing keys; verifiers may cache briefly (they refetch on an unknown kid). */
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  jwks(): { keys: PublicJwk[] } {
    return this.keys.jwks();
  }

  /** RFC 8414 authorization server metadata. */
  @Get('oauth-authorization-server')
  metadata(): Record<string, unknown> {
    const issuer = this.config.TOKEN_DEALER_ISSUER;
    return {
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      grant_types_supported: ['client_credentials'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      token_endpoint_auth_signing_alg_values_supported: [SIGNING_ALGORITHM],
      service_documentation: `${issuer}/docs`,
    };
  }
}
