import { randomUUID } from 'node:crypto';
import type { AccessTokenClaims, RevocationStore } from '@runnerly/auth';
import jwt from 'jsonwebtoken';
import type { Counter } from 'prom-client';
import type { ClientEntity } from '../clients/client.entity.js';
import { type ClientsService, parseScopes } from '../clients/clients.service.js';
import { type KeysService, SIGNING_ALGORITHM } from '../keys/keys.service.js';
import type { FailureThrottle } from './failure-throttle.js';
import { OAuthErrorCode, OAuthException } from './oauth.exception.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface IntrospectionResponse {
  active: boolean;
  scope?: string;
  client_id?: string;
  sub?: string;
  aud?: string | string[];
  iss?: string;
  exp?: number;
  iat?: number;
  jti?: string;
  token_type?: 'Bearer';
}

export interface OAuthServiceOptions {
  issuer: string;
  tokenTtlSeconds: number;
}

export interface OAuthMetrics {
  issued: Counter<'client_id' | 'audience'>;
  failures: Counter<'reason'>;
}

/** Scope that lets a client introspect tokens it neither holds nor is the audience of. */
export const INTROSPECT_SCOPE = 'tokens:introspect';

/** The client-credentials grant, introspection (RFC 7662) and revocation (RFC 7009). */
export class OAuthService {
  constructor(
    private readonly clients: ClientsService,
    private readonly keys: KeysService,
    private readonly throttle: FailureThrottle,
    private readonly revocations: RevocationStore,
    private readonly metrics: OAuthMetrics,
    private readonly options: OAuthServiceOptions,
  ) {}

  /**
   * Authenticates the calling client. The secret is checked first (one keyed hash, constant time),
   * so the right secret is accepted whatever failures came before, from any address; only a wrong
   * one is counted, and answered 429 with Retry-After once its address (or this client from that
   * address) is past its failure budget. `address` is asked for only then.
   */
  async authenticate(credentials: ClientCredentials | undefined, address: () => string): Promise<ClientEntity> {
    if (credentials === undefined) {
      this.metrics.failures.inc({ reason: 'no_credentials' });
      throw OAuthException.invalidClient('client authentication required (client_secret_basic or client_secret_post)');
    }
    const { client, known } = await this.clients.authenticate(credentials.clientId, credentials.clientSecret);
    if (client !== null) return client;
    // Without Redis a wrong secret is still a plain 401, not a 500 (and /health/ready says Redis is down).
    const retryAfter = await this.throttle
      .recordFailure(address(), known ? credentials.clientId : undefined)
      .catch(() => 0);
    if (retryAfter > 0) {
      this.metrics.failures.inc({ reason: 'throttled' });
      throw OAuthException.tooManyAttempts(retryAfter);
    }
    this.metrics.failures.inc({ reason: 'bad_credentials' });
    throw OAuthException.invalidClient();
  }

  /** A signed RFC 9068 access token for `client`, narrowed to the requested scope and audience. */
  issue(client: ClientEntity, params: { grantType?: string; scope?: string; audience?: string }): TokenResponse {
    if (params.grantType === undefined) throw OAuthException.invalidRequest('grant_type is required');
    if (params.grantType !== 'client_credentials') {
      this.metrics.failures.inc({ reason: 'unsupported_grant_type' });
      throw new OAuthException(OAuthErrorCode.UnsupportedGrantType, 'only client_credentials is supported', 400);
    }
    const scopes = this.narrowScope(client, params.scope);
    const audience = this.pickAudience(client, params.audience);
    // Tokens issued up to the second of the client's last secret rotation are revoked (see
    // ClientsService.rotateSecret): those of the new secret start at the next second (verifiers
    // tolerate an `iat` a few seconds ahead).
    const now = Math.max(Math.floor(Date.now() / 1000), Math.floor(client.secretRotatedAt.getTime() / 1000) + 1);
    const { kid, privateKey } = this.keys.signingKey();
    const scope = scopes.join(' ');
    const claims: AccessTokenClaims = {
      iss: this.options.issuer,
      sub: client.id,
      client_id: client.id,
      aud: audience,
      scope,
      iat: now,
      exp: now + this.options.tokenTtlSeconds,
      jti: randomUUID(),
    };
    const token = jwt.sign(claims, privateKey, {
      algorithm: SIGNING_ALGORITHM,
      header: { alg: SIGNING_ALGORITHM, typ: 'at+jwt', kid },
    });
    this.metrics.issued.inc({ client_id: client.id, audience });
    return { access_token: token, token_type: 'Bearer', expires_in: this.options.tokenTtlSeconds, scope };
  }

  async introspect(caller: ClientEntity, token: string | undefined): Promise<IntrospectionResponse> {
    if (token === undefined || token === '') throw OAuthException.invalidRequest('token is required');
    const claims = this.verifyOwnToken(token, false);
    if (claims === undefined) return { active: false };
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const allowed =
      caller.id === claims.client_id || audiences.includes(caller.id) || caller.scopes.includes(INTROSPECT_SCOPE);
    if (!allowed) return { active: false };
    if (await this.revocations.isRevoked(claims)) return { active: false };
    // A token outlives neither its client nor a change of its client's identity.
    if ((await this.clients.find(claims.client_id)) === null) return { active: false };
    const { scope, client_id, sub, aud, iss, exp, iat, jti } = claims;
    return { active: true, scope, client_id, sub, aud, iss, exp, iat, jti, token_type: 'Bearer' };
  }

  /** Revokes one of the caller's own tokens until it expires; unknown or invalid tokens are ignored (RFC 7009 §2.2). */
  async revoke(caller: ClientEntity, token: string | undefined, hint: string | undefined): Promise<void> {
    if (token === undefined || token === '') throw OAuthException.invalidRequest('token is required');
    if (hint !== undefined && hint !== 'access_token') {
      throw new OAuthException(OAuthErrorCode.UnsupportedTokenType, 'only access tokens can be revoked', 400);
    }
    const claims = this.verifyOwnToken(token, true);
    if (claims === undefined || claims.exp * 1000 < Date.now()) return;
    if (claims.client_id !== caller.id) {
      throw new OAuthException(OAuthErrorCode.UnauthorizedClient, 'the token was issued to another client', 400);
    }
    await this.revocations.revokeToken(claims.jti, claims.exp);
  }

  private verifyOwnToken(token: string, ignoreExpiration: boolean): AccessTokenClaims | undefined {
    const decoded = jwt.decode(token, { complete: true });
    if (decoded === null || typeof decoded.header.kid !== 'string' || decoded.header.typ !== 'at+jwt') return undefined;
    const key = this.keys.publicKey(decoded.header.kid);
    if (key === undefined) return undefined;
    try {
      const claims = jwt.verify(token, key, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: this.options.issuer,
        ignoreExpiration,
      }) as AccessTokenClaims;
      return typeof claims.jti === 'string' && typeof claims.client_id === 'string' ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  private narrowScope(client: ClientEntity, requested: string | undefined): string[] {
    if (requested === undefined || requested.trim() === '') return client.scopes;
    const scopes = parseScopes(requested);
    const denied = scopes.filter((scope) => !client.scopes.includes(scope));
    if (denied.length > 0) {
      this.metrics.failures.inc({ reason: 'invalid_scope' });
      throw new OAuthException(
        OAuthErrorCode.InvalidScope,
        `scope not allowed for this client: ${denied.join(' ')}`,
        400,
      );
    }
    return scopes;
  }

  private pickAudience(client: ClientEntity, requested: string | undefined): string {
    if (requested === undefined || requested === '') {
      if (client.audiences.length === 1) return client.audiences[0]!;
      throw new OAuthException(OAuthErrorCode.InvalidTarget, 'audience is required (the client may call several)', 400);
    }
    if (!client.audiences.includes(requested)) {
      this.metrics.failures.inc({ reason: 'invalid_target' });
      throw new OAuthException(OAuthErrorCode.InvalidTarget, `audience not allowed for this client: ${requested}`, 400);
    }
    return requested;
  }
}
