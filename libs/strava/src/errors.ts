import { type RateLimitScope, type StravaRateLimits, stravaWindow } from './rate-limit.js';
import type { StravaFault } from './strava.types.js';

/**
 * Every failure the client reports. `retryable`: trying again later may succeed (rate limit,
 * 5xx, timeout, network). `operatorProblem`: the app's configuration or Strava program status is
 * at fault, not the runner — surface it, never retry it in a loop.
 */
export class StravaError extends Error {
  readonly retryable: boolean = false;
  readonly operatorProblem: boolean = false;

  constructor(
    message: string,
    readonly status?: number,
    readonly fault?: StravaFault,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 429, or usage already at the limit: wait until `resetAt` (Strava sends no Retry-After). */
export class StravaRateLimitError extends StravaError {
  override readonly retryable = true;

  constructor(
    readonly resetAt: Date,
    readonly scope: RateLimitScope,
    readonly rateLimits?: StravaRateLimits,
    fault?: StravaFault,
    /** False when the client refused to send the request because usage was already at the limit. */
    readonly sent = true,
  ) {
    super(`Strava rate limit (${scope}) exceeded until ${resetAt.toISOString()}`, sent ? 429 : undefined, fault);
  }
}

/** 401 on an athlete token: invalid, expired or revoked (the athlete deauthorized the app). */
export class StravaUnauthorizedError extends StravaError {}

/** 401 because the athlete did not grant the scope (e.g. field `activity:read_permission`). */
export class StravaMissingScopeError extends StravaError {
  constructor(
    readonly missing: string,
    status?: number,
    fault?: StravaFault,
  ) {
    super(`Strava token lacks permission ${missing}`, status, fault);
  }
}

/** 400 or 401 about the application's credentials (bad client_id or client_secret). */
export class StravaInvalidClientError extends StravaError {
  override readonly operatorProblem = true;
}

/** 400: a bad or already used authorization code, or a bad refresh token. */
export class StravaInvalidGrantError extends StravaError {
  constructor(
    readonly grant: 'authorization_code' | 'refresh_token',
    status?: number,
    fault?: StravaFault,
  ) {
    super(
      `Strava rejected the ${grant === 'authorization_code' ? 'authorization code' : 'refresh token'}`,
      status,
      fault,
    );
  }
}

/**
 * 403 from Strava's 2026 developer program: the app is inactive (its owner has no subscription)
 * or it reached its limit of connected athletes.
 */
export class StravaAppInactiveError extends StravaError {
  override readonly operatorProblem = true;

  constructor(
    readonly reason: 'app_inactive' | 'athlete_limit',
    status?: number,
    fault?: StravaFault,
  ) {
    super(
      reason === 'app_inactive'
        ? 'The Strava application is inactive (its owner needs a Strava subscription)'
        : 'The Strava application reached its limit of connected athletes',
      status,
      fault,
    );
  }
}

/** Another 403: the token may not see this resource. */
export class StravaForbiddenError extends StravaError {}

export class StravaNotFoundError extends StravaError {}

export class StravaServerError extends StravaError {
  override readonly retryable = true;
}

export class StravaTimeoutError extends StravaError {
  override readonly retryable = true;
}

/** Strava could not be reached (connection refused, DNS, reset). */
export class StravaNetworkError extends StravaError {
  override readonly retryable = true;
}

/** The athlete pressed Cancel on the consent page (`error=access_denied`). */
export class StravaAccessDeniedError extends StravaError {
  constructor(readonly error = 'access_denied') {
    super(`The athlete did not authorize the application (${error})`);
  }
}

/** Anything else Strava answered with (e.g. a 400 on a bad parameter). */
export class StravaApiError extends StravaError {}

function isFault(body: unknown): body is StravaFault {
  return typeof body === 'object' && body !== null && Array.isArray((body as StravaFault).errors);
}

/** Maps a non-2xx answer to its typed error. `resetAt` is computed from `now`. */
export function toStravaError(
  status: number,
  body: unknown,
  rateLimits: StravaRateLimits | undefined,
  now = new Date(),
  rateLimitScope: () => RateLimitScope = () => '15min',
): StravaError {
  const fault = isFault(body) ? body : undefined;
  const first = fault?.errors[0];
  const message = fault?.message ?? (typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`);
  const detail = first ? `${message}: ${first.resource}.${first.field} ${first.code}` : message;
  if (status === 429) {
    const scope = rateLimitScope();
    return new StravaRateLimitError(stravaWindow(scope, now).resetAt, scope, rateLimits, fault);
  }
  if (status === 401) {
    if (first?.code === 'missing' || first?.field.endsWith('_permission')) {
      return new StravaMissingScopeError(first?.field ?? 'unknown', status, fault);
    }
    if (first?.resource === 'Application')
      return new StravaInvalidClientError(`Strava rejected the client secret (${detail})`, status, fault);
    return new StravaUnauthorizedError(`Strava rejected the access token (${detail})`, status, fault);
  }
  if (status === 403) {
    const inactive = fault?.errors.some(
      (e) => e.resource === 'Application' && e.field === 'Status' && e.code === 'Inactive',
    );
    if (inactive) return new StravaAppInactiveError('app_inactive', status, fault);
    const text = `${message} ${JSON.stringify(fault?.errors ?? [])}`.toLowerCase();
    if (text.includes('limit of connected athletes')) return new StravaAppInactiveError('athlete_limit', status, fault);
    return new StravaForbiddenError(`Strava refused access (${detail})`, status, fault);
  }
  if (status === 400) {
    if (first?.resource === 'AuthorizationCode')
      return new StravaInvalidGrantError('authorization_code', status, fault);
    if (first?.resource === 'RefreshToken') return new StravaInvalidGrantError('refresh_token', status, fault);
    if (first?.resource === 'Application')
      return new StravaInvalidClientError(`Strava rejected the client id (${detail})`, status, fault);
  }
  if (status === 404) return new StravaNotFoundError(`Strava resource not found (${detail})`, status, fault);
  if (status >= 500) return new StravaServerError(`Strava server error ${status}`, status, fault);
  return new StravaApiError(`Strava answered ${status} (${detail})`, status, fault);
}
