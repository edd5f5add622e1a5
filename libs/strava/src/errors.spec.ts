import { describe, expect, it } from 'vitest';
import {
  StravaApiError,
  StravaAppInactiveError,
  StravaForbiddenError,
  StravaInvalidClientError,
  StravaInvalidGrantError,
  StravaMissingScopeError,
  StravaNotFoundError,
  StravaRateLimitError,
  StravaServerError,
  StravaUnauthorizedError,
  toStravaError,
} from './errors.js';

const fault = (message: string, resource: string, field: string, code: string) => ({
  message,
  errors: [{ resource, field, code }],
});

describe('toStravaError', () => {
  const now = new Date('2026-11-23T10:07:00Z');

  it('turns a 429 into a rate-limit error that resets at the next quarter hour', () => {
    const error = toStravaError(
      429,
      fault('Rate Limit Exceeded', 'Application', 'rate limit', 'exceeded'),
      undefined,
      now,
    );
    expect(error).toBeInstanceOf(StravaRateLimitError);
    expect((error as StravaRateLimitError).resetAt.toISOString()).toBe('2026-11-23T10:15:00.000Z');
    expect((error as StravaRateLimitError).scope).toBe('15min');
    expect(error.retryable).toBe(true);
  });

  it('uses the daily reset when told the daily window is full', () => {
    const error = toStravaError(429, {}, undefined, now, () => 'daily') as StravaRateLimitError;
    expect(error.resetAt.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(error.scope).toBe('daily');
  });

  it('tells a missing scope from an invalid token', () => {
    const missing = toStravaError(
      401,
      fault('Authorization Error', 'AccessToken', 'activity:read_permission', 'missing'),
      undefined,
    );
    expect(missing).toBeInstanceOf(StravaMissingScopeError);
    expect((missing as StravaMissingScopeError).missing).toBe('activity:read_permission');
    const invalid = toStravaError(401, fault('Authorization Error', 'Athlete', 'access_token', 'invalid'), undefined);
    expect(invalid).toBeInstanceOf(StravaUnauthorizedError);
    expect(invalid.retryable).toBe(false);
  });

  it('reports bad client credentials as an operator problem', () => {
    const secret = toStravaError(401, fault('Authorization Error', 'Application', '', 'invalid'), undefined);
    expect(secret).toBeInstanceOf(StravaInvalidClientError);
    expect(secret.operatorProblem).toBe(true);
    expect(toStravaError(400, fault('Bad Request', 'Application', 'client_id', 'invalid'), undefined)).toBeInstanceOf(
      StravaInvalidClientError,
    );
  });

  it('reports bad codes and refresh tokens as invalid grants', () => {
    const code = toStravaError(400, fault('Bad Request', 'AuthorizationCode', 'code', 'invalid'), undefined);
    expect(code).toBeInstanceOf(StravaInvalidGrantError);
    expect((code as StravaInvalidGrantError).grant).toBe('authorization_code');
    const refresh = toStravaError(400, fault('Bad Request', 'RefreshToken', 'refresh_token', 'invalid'), undefined);
    expect((refresh as StravaInvalidGrantError).grant).toBe('refresh_token');
  });

  it('recognises the 2026 developer-program 403s', () => {
    const inactive = toStravaError(403, fault('Forbidden', 'Application', 'Status', 'Inactive'), undefined);
    expect(inactive).toBeInstanceOf(StravaAppInactiveError);
    expect((inactive as StravaAppInactiveError).reason).toBe('app_inactive');
    expect(inactive.operatorProblem).toBe(true);
    const limit = toStravaError(
      403,
      fault('limit of connected athletes exceeded', 'Application', 'athletes', 'limit exceeded'),
      undefined,
    );
    expect((limit as StravaAppInactiveError).reason).toBe('athlete_limit');
    expect(toStravaError(403, fault('Forbidden', 'Activity', 'id', 'forbidden'), undefined)).toBeInstanceOf(
      StravaForbiddenError,
    );
  });

  it('maps 404, 5xx and the rest', () => {
    expect(toStravaError(404, fault('Record Not Found', 'Activity', 'id', 'invalid'), undefined)).toBeInstanceOf(
      StravaNotFoundError,
    );
    const server = toStravaError(502, '<html>bad gateway</html>', undefined);
    expect(server).toBeInstanceOf(StravaServerError);
    expect(server.retryable).toBe(true);
    expect(toStravaError(400, fault('Bad Request', 'Activity', 'per_page', 'invalid'), undefined)).toBeInstanceOf(
      StravaApiError,
    );
  });
});
