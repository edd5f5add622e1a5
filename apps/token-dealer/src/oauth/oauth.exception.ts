import { type ArgumentsHost, Catch } from '@nestjs/common';
import { AllExceptionsFilter, AppException, toErrorResponse } from '@runnerly/platform';

/** RFC 6749 §5.2 error codes (+ RFC 8707 invalid_target and our throttling of wrong secrets). */
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
    return new OAuthException(
      OAuthErrorCode.TooManyAttempts,
      'too many failed authentication attempts from this address; retry later (the right secret is always accepted)',
      429,
      undefined,
      {
        'Retry-After': String(retryAfterSeconds),
      },
    );
  }
}

/** What the framework refused on an OAuth endpoint before it ran (a body that is no form, too large, of a wrong type). */
function refusedRequest(error: unknown): OAuthException | undefined {
  const { status, body } = toErrorResponse(error);
  return status >= 400 && status < 500
    ? new OAuthException(OAuthErrorCode.InvalidRequest, body.message, status)
    : undefined;
}

/**
 * Writes the errors of the OAuth endpoints per RFC 6749 §5.2, with `Cache-Control: no-store`: their
 * OAuthExceptions, and what the framework refuses before the endpoint runs as `invalid_request` with
 * its HTTP status (413, 415, 400). Every other error and route keeps the platform's answers.
 */
@Catch()
export class OAuthExceptionFilter extends AllExceptionsFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const route = http.getRequest<{ routeOptions?: { url?: string } }>().routeOptions?.url;
    const oauthError =
      error instanceof OAuthException ? error : route?.startsWith('/oauth/') ? refusedRequest(error) : undefined;
    if (oauthError === undefined) {
      super.catch(error, host);
      return;
    }
    const reply = http.getResponse<{
      status(code: number): unknown;
      header(name: string, value: string): unknown;
      send(body: unknown): unknown;
    }>();
    for (const [name, value] of Object.entries({
      ...oauthError.headers,
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
    }))
      reply.header(name, value);
    reply.status(oauthError.status);
    reply.send({ error: oauthError.code, error_description: oauthError.message, message: oauthError.message });
  }
}
