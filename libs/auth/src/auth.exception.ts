import { AppException } from '@runnerly/platform';

export enum AuthErrorCode {
  MissingToken = 'missing_token',
  InvalidToken = 'invalid_token',
  InsufficientScope = 'insufficient_scope',
  Unavailable = 'auth_unavailable',
}

function quote(value: string): string {
  return value.replace(/["\\]/g, '');
}

/** RFC 6750 errors: 401 with `WWW-Authenticate` for bad or missing tokens, 403 for missing scope. */
export class AuthException extends AppException<AuthErrorCode> {
  static missingToken(realm: string): AuthException {
    return new AuthException(AuthErrorCode.MissingToken, 'a bearer token is required', 401, undefined, {
      'WWW-Authenticate': `Bearer realm="${quote(realm)}"`,
    });
  }

  static invalidToken(realm: string, reason: string): AuthException {
    return new AuthException(AuthErrorCode.InvalidToken, reason, 401, undefined, {
      'WWW-Authenticate': `Bearer realm="${quote(realm)}", error="invalid_token", error_description="${quote(reason)}"`,
    });
  }

  static insufficientScope(realm: string, required: string[]): AuthException {
    const scope = required.join(' ');
    return new AuthException(
      AuthErrorCode.InsufficientScope,
      `the token lacks the scope: ${scope}`,
      403,
      { required },
      {
        'WWW-Authenticate': `Bearer realm="${quote(realm)}", error="insufficient_scope", scope="${quote(scope)}"`,
      },
    );
  }

  static unavailable(reason: string): AuthException {
    return new AuthException(AuthErrorCode.Unavailable, reason, 503);
  }
}

/** Why a token was refused, before it becomes an HTTP answer. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}
