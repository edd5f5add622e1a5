import jwt from 'jsonwebtoken';
import { InvalidTokenError } from './auth.exception.js';
import {
  type AuthOptions,
  DEFAULT_JWKS_MAX_AGE_MS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  type SigningAlgorithm,
} from './auth.options.js';
import { JwksClient } from './jwks.client.js';
import type { RevocableClaims, RevocationStore } from './revocation.store.js';

/** The claims of a Runnerly access token (RFC 9068). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  client_id: string;
  aud: string | string[];
  scope: string;
  iat: number;
  exp: number;
  nbf?: number;
  jti: string;
}

/** A verified token: its claims and its scopes as a set. */
export interface VerifiedToken {
  claims: AccessTokenClaims;
  scopes: ReadonlySet<string>;
}

/** `checkedIn`: the revocation-mirror generation of the last Redis check (local mode), or when introspected (remote mode, epoch ms). */
interface CacheEntry {
  token: VerifiedToken;
  checkedIn: number | undefined;
  /** What the revocation list is asked about: the claims plus the signing key's id. */
  revocable: RevocableClaims;
}

const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt']);

/**
 * Verifies access tokens locally against the issuer's JWKS. The algorithm list is pinned (the
 * token's own `alg` only selects among them), `typ` must be `at+jwt`, and `iss`, `aud`, `exp`,
 * `nbf` are checked with a small clock tolerance. Tokens that passed the signature check are
 * remembered by their exact text until they expire, so a caller reusing its token costs one map
 * lookup instead of an ECDSA verification, as long as their signing key is still in the JWKS.
 * Revocation (of the token, its client, its signing key) is checked on every use: against Redis the
 * first time, then against the store's live local mirror (see RevocationStore). There is no mode
 * without it: a verifier needs a revocation store, or introspection (which asks the issuer).
 * A token claiming a longer life (`exp - iat`) than the issuer gives is refused.
 */
export class TokenVerifier {
  private readonly algorithms: SigningAlgorithm[];
  private readonly clockTolerance: number;
  private readonly cacheSize: number;
  private readonly maxLifetime: number;
  /** Verified tokens, with the revocation-mirror generation in which they were last checked against Redis. */
  private readonly verified = new Map<string, CacheEntry>();

  constructor(
    private readonly options: AuthOptions,
    private readonly jwks: JwksClient = new JwksClient({
      jwksUrl: options.jwksUrl,
      cooldownMs: options.jwksCooldownMs ?? 30_000,
      maxAgeMs: options.jwksMaxAgeMs ?? DEFAULT_JWKS_MAX_AGE_MS,
      timeoutMs: options.jwksTimeoutMs,
    }),
    private readonly revocations?: RevocationStore,
  ) {
    if (revocations === undefined && options.introspection === undefined) {
      throw new Error(
        'a token verifier needs a revocation store (redisUrl) or introspection: revocation is never skipped',
      );
    }
    this.algorithms = options.algorithms ?? ['ES256'];
    this.clockTolerance = options.clockToleranceSeconds ?? 5;
    this.cacheSize = options.verifiedCacheSize ?? 10_000;
    this.maxLifetime = options.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
    // A revoked signing key leaves the local key set at once, not at the next JWKS refresh.
    revocations?.onKeyRevoked((kid) => this.jwks.forget(kid));
  }

  /** The token's claims, or an InvalidTokenError saying why it is refused. */
  async verify(token: string): Promise<VerifiedToken> {
    return this.verifyKnown(token) ?? this.verifyAfresh(token);
  }

  /**
   * The answer without I/O when there is one: a token verified before, still in date, its key still
   * in the JWKS, checked against Redis in the revocation mirror's current generation, and not
   * revoked in the mirror since (then an InvalidTokenError). Undefined when `verify` must do more:
   * what a caller reusing its token costs, with no promise.
   */
  verifyKnown(token: string): VerifiedToken | undefined {
    // Keys that left the JWKS are noticed even while every request is answered from the cache.
    this.jwks.refreshIfStale();
    const entry = this.cachedEntry(token);
    if (entry === undefined || this.options.introspection !== undefined) return undefined;
    const revocations = this.revocations!;
    const generation = revocations.generation;
    if (generation === undefined || entry.checkedIn !== generation) return undefined;
    // Checked against Redis before, and every revocation since has reached the local mirror.
    if (revocations.isRevokedLocally(entry.revocable)) throw new InvalidTokenError('token revoked');
    return entry.token;
  }

  /** Whether this exact text is a token verified before (still to be checked by `verify`). */
  remembers(token: string): boolean {
    return this.verified.has(token);
  }

  private async verifyAfresh(token: string): Promise<VerifiedToken> {
    let entry = this.cachedEntry(token);
    if (this.options.introspection !== undefined) return this.introspect(token, entry);
    if (entry === undefined) {
      const { verified, kid } = await this.verifySignature(token);
      entry = { token: verified, checkedIn: undefined, revocable: { ...verified.claims, kid } };
      this.remember(token, entry);
    }
    const revocations = this.revocations!;
    const generation = revocations.generation;
    if (await revocations.isRevoked(entry.revocable)) throw new InvalidTokenError('token revoked');
    entry.checkedIn = generation;
    return entry.token;
  }

  /** The cache entry of a token verified before, unless it expired or its signing key left the JWKS (then forgotten). */
  private cachedEntry(token: string): CacheEntry | undefined {
    const entry = this.verified.get(token);
    if (entry === undefined) return undefined;
    if (
      entry.token.claims.exp + this.clockTolerance <= Date.now() / 1000 ||
      // Its signing key left the JWKS (revoked, or retired past its tokens' lifetime): verify afresh.
      (entry.revocable.kid !== undefined && !this.jwks.has(entry.revocable.kid))
    ) {
      this.verified.delete(token);
      return undefined;
    }
    return entry;
  }

  /** Forgets the verified-token cache (tests; key compromise). */
  clearCache(): void {
    this.verified.clear();
  }

  get jwksClient(): JwksClient {
    return this.jwks;
  }

  private async verifySignature(token: string): Promise<{ verified: VerifiedToken; kid: string }> {
    const decoded = jwt.decode(token, { complete: true });
    if (decoded === null || typeof decoded.payload === 'string') throw new InvalidTokenError('malformed token');
    const { header } = decoded;
    if (!this.algorithms.includes(header.alg as SigningAlgorithm)) {
      throw new InvalidTokenError(`algorithm ${String(header.alg)} is not accepted`);
    }
    if (typeof header.typ !== 'string' || !ACCESS_TOKEN_TYPES.has(header.typ.toLowerCase())) {
      throw new InvalidTokenError('not an access token (typ must be at+jwt)');
    }
    if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > 200) {
      throw new InvalidTokenError('token without a key id');
    }
    // A revoked key's tokens are refused before they can make us fetch the JWKS.
    if (this.revocations?.isKeyRevokedLocally(header.kid)) throw new InvalidTokenError('token revoked (signing key)');
    let key;
    try {
      key = await this.jwks.getKey(header.kid);
    } catch (error) {
      throw new Error(`cannot load the issuer keys: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    if (key === undefined) throw new InvalidTokenError('unknown signing key');
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: this.algorithms,
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.clockTolerance,
      }) as jwt.JwtPayload;
    } catch (error) {
      throw new InvalidTokenError(describeJwtError(error));
    }
    const claims = checkClaims(payload);
    if (claims.iat > Date.now() / 1000 + this.clockTolerance) throw new InvalidTokenError('token issued in the future');
    this.checkLifetime(claims);
    return { verified: { claims, scopes: new Set(claims.scope.split(' ').filter(Boolean)) }, kid: header.kid };
  }

  /** Remote mode: the token-dealer's RFC 7662 answer, cached briefly. */
  private async introspect(token: string, cached: CacheEntry | undefined): Promise<VerifiedToken> {
    const { url, clientId, clientSecret, cacheSeconds = 10, timeoutMs = 3000 } = this.options.introspection!;
    const now = Date.now();
    if (cached !== undefined && (cached.checkedIn ?? 0) + cacheSeconds * 1000 > now) return cached.token;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`introspection answered ${response.status}`);
    const answer = (await response.json()) as { active?: boolean } & Partial<AccessTokenClaims>;
    if (answer.active !== true) {
      this.verified.delete(token);
      throw new InvalidTokenError('token not active');
    }
    const audiences = Array.isArray(answer.aud) ? answer.aud : [answer.aud];
    if (!audiences.includes(this.options.audience)) throw new InvalidTokenError('token not meant for this audience');
    if (answer.iss !== this.options.issuer) throw new InvalidTokenError('token from an unknown issuer');
    const claims = checkClaims(answer as jwt.JwtPayload);
    this.checkLifetime(claims);
    const verified: VerifiedToken = { claims, scopes: new Set(claims.scope.split(' ').filter(Boolean)) };
    this.remember(token, { token: verified, checkedIn: now, revocable: claims });
    return verified;
  }

  /** A token claiming a longer life than the issuer gives was not minted by its normal path (a stolen key, a bug). */
  private checkLifetime(claims: AccessTokenClaims): void {
    if (claims.exp - claims.iat > this.maxLifetime + this.clockTolerance) {
      throw new InvalidTokenError('token lifetime longer than the issuer gives');
    }
  }

  private remember(token: string, entry: CacheEntry): void {
    if (this.verified.size >= this.cacheSize) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, entry);
  }
}

function describeJwtError(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'token expired';
  if (error instanceof jwt.NotBeforeError) return 'token not yet valid';
  if (error instanceof jwt.JsonWebTokenError) {
    if (error.message.startsWith('jwt audience invalid')) return 'token not meant for this audience';
    if (error.message.startsWith('jwt issuer invalid')) return 'token from an unknown issuer';
    if (error.message === 'invalid signature') return 'invalid signature';
    return 'invalid token';
  }
  return 'invalid token';
}

function checkClaims(payload: jwt.JwtPayload): AccessTokenClaims {
  const { sub, exp, iat, jti } = payload;
  const clientId = payload.client_id as unknown;
  const scope = (payload.scope as unknown) ?? '';
  if (typeof exp !== 'number') throw new InvalidTokenError('token without expiry');
  if (typeof iat !== 'number') throw new InvalidTokenError('token without issue time');
  if (typeof sub !== 'string' || typeof clientId !== 'string') throw new InvalidTokenError('token without client');
  if (typeof jti !== 'string' || jti.length === 0) throw new InvalidTokenError('token without id');
  if (typeof scope !== 'string') throw new InvalidTokenError('malformed scope');
  return payload as AccessTokenClaims;
}
