export { AUTH_REQUEST_KEY, CurrentToken, Public, Scopes } from './auth.decorators.js';
export { AuthErrorCode, AuthException, InvalidTokenError } from './auth.exception.js';
export { AuthGuard } from './auth.guard.js';
export { AuthModule } from './auth.module.js';
export {
  AUTH_OPTIONS,
  type AuthOptions,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  type SigningAlgorithm,
} from './auth.options.js';
export { type Jwk, JwksClient } from './jwks.client.js';
export {
  REVOCATION_CHANNEL,
  type RevocableClaims,
  RevocationStore,
  revokedClientKey,
  revokedJtiKey,
  revokedKidKey,
} from './revocation.store.js';
export { type AccessTokenClaims, TokenVerifier, type VerifiedToken } from './token-verifier.js';
