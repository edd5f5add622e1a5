import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { AppException } from '@runnerly/platform';

/** RFC 6749 §5.2 error codes (+ RFC 8707 invalid_target and our lockout). */
export enum OAuthErrorCode {
  InvalidRequest = 'invalid_request',
  InvalidClient = 'invalid_client',
  InvalidGrant = 'invalid_grant',
  UnauthorizedClient = 'unauthorized_client',
  UnsupportedGrantType = 'unsupported_grant_type',
  InvalidScope = 'invalid_scope',
  InvalidTarget = 'invalid_target',
  UnsupportedTokenType = 'unsupported_token_type',
  TooManyAttempts = 'too_many_attempts',
}

/** An OAuth error: answered as `{error, error_description, message}` (RFC 6749 and Runnerly shapes at once). */
export class OAuthException extends AppException<OAuthErrorCode> {
  static invalidRequest(description: string): OAuthException {
    return new OAuthException(OAuthErrorCode.InvalidRequest, description, 400);
  }

  /** 401 with a challenge for the scheme the client used (Basic when it sent none). */
  static invalidClient(description = 'client authentication failed'): OAuthException {
    return new OAuthException(OAuthErrorCode.InvalidClient, description, 401, undefined, {
      'WWW-Authenticate': 'Basic realm="token-dealer", charset="UTF-8"',
    });
  }

  static tooManyAttempts(retryAfterSeconds: number): OAuthException {
    return new OAuthException(OAuthErrorCode.TooManyAttempts, 'too many failed authentication attempts; retry later', 429, undefined, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}

/** Writes OAuth errors per RFC 6749 §5.2, with `Cache-Control: no-store`. */
@Catch(OAuthException)
export class OAuthExceptionFilter implements ExceptionFilter {
  catch(error: OAuthException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{
      status(code: number): unknown;
      header(name: string, value: string): unknown;
      send(body: unknown): unknown;
    }>();
    for (const [name, value] of Object.entries({ ...error.headers, 'Cache-Control': 'no-store', Pragma: 'no-cache' })) reply.header(name, value);
    reply.status(error.status);
    reply.send({ error: error.code, error_description: error.message, message: error.message });
  }
}
