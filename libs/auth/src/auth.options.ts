/** Where a resource service gets its trust from, and how strictly it checks tokens. */
export interface AuthOptions {
  /** Expected `iss` claim: the token-dealer's issuer URL. */
  issuer: string;
  /** This service's audience: tokens must carry it in `aud`. */
  audience: string;
  /** The token-dealer's JWKS (`{issuer}/.well-known/jwks.json`). */
  jwksUrl: string;
  /**
   * The revocation store (the token-dealer's Redis): revoked token ids, clients and signing keys.
   * Required unless `introspection` is set: a guard never runs without a revocation check, and
   * answers 503 while the store cannot be read.
   */
  redisUrl?: string;
  /** Signature algorithms accepted; pinned, never read from the token. Default `['ES256']`. */
  algorithms?: SigningAlgorithm[];
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. Default 5. */
  clockToleranceSeconds?: number;
  /**
   * Longest accepted `exp - iat` (plus the clock tolerance): a token claiming a longer life than the
   * issuer gives is refused. Default 900 s, the token-dealer's TOKEN_DEALER_TOKEN_TTL_SECONDS.
   */
  maxTokenLifetimeSeconds?: number;
  /** Bound on one JWKS fetch. Default 3 s. */
  jwksTimeoutMs?: number;
  /** Least time between two JWKS fetches triggered by an unknown `kid`. Default 30 s. */
  jwksCooldownMs?: number;
  /**
   * Age after which a fetched JWKS is refreshed in the background (still served meanwhile). Default
   * 30 s: under the token-dealer's 60 s publish lead, so a new key is known before it signs, and a
   * key that left the JWKS stops vouching for cached tokens within that time.
   */
  jwksMaxAgeMs?: number;
  /** Verified tokens remembered (by their exact text) to skip the signature check. Default 10 000. */
  verifiedCacheSize?: number;
  /**
   * Remote mode: ask the token-dealer (RFC 7662) instead of verifying locally. Slower (one call
   * per new token, answers cached up to `cacheSeconds`), but a revocation or a deleted client is
   * seen without Redis. The client must be the token's audience or hold `tokens:introspect`.
   */
  introspection?: { url: string; clientId: string; clientSecret: string; cacheSeconds?: number; timeoutMs?: number };
  /** Request paths that never need a token (health, metrics, docs). */
  publicPathPrefixes?: string[];
}

export type SigningAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512';

export const AUTH_OPTIONS = Symbol('AuthOptions');

export const DEFAULT_JWKS_MAX_AGE_MS = 30_000;

/** The token-dealer's default token lifetime (TOKEN_DEALER_TOKEN_TTL_SECONDS). */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 900;

export const DEFAULT_PUBLIC_PATH_PREFIXES = ['/health/', '/metrics', '/docs', '/openapi'];
