import { AppException } from '@runnerly/platform';
import { StravaAppInactiveError, StravaError, StravaInvalidGrantError, toStravaError } from '@runnerly/strava';

/** Why a Strava login did not complete: the page explains each one to the runner. */
export enum LoginFailure {
  /** The athlete pressed Cancel on Strava. */
  AccessDenied = 'access_denied',
  /** The athlete unticked the activity permission. */
  MissingScope = 'missing_scope',
  /** No matching `state` (expired, replayed or forged callback) or an already used code. */
  LoginExpired = 'login_expired',
  StravaUnavailable = 'strava_unavailable',
  /** Operator problems (Strava's developer program), not the runner's. */
  StravaAppInactive = 'strava_app_inactive',
  StravaAthleteLimit = 'strava_athlete_limit',
  /** Runnerly's own services (data-service, Redis) failed while saving the login. */
  RunnerlyUnavailable = 'runnerly_unavailable',
  Failed = 'login_failed',
}

export class LoginException extends AppException<LoginFailure> {
  constructor(code: LoginFailure, message: string = code, cause?: unknown) {
    super(code, message, 400);
    if (cause !== undefined) this.cause = cause;
  }

  /**
   * passport-oauth wraps a failed token exchange as `InternalOAuthError` with `oauthError =
   * {statusCode, data}` (the raw Strava answer): classify it like the Strava client does.
   */
  static fromError(error: unknown): LoginException {
    if (error instanceof LoginException) return error;
    const oauthError = (error as { oauthError?: { statusCode?: number; data?: string } } | undefined)?.oauthError;
    if (oauthError && typeof oauthError.statusCode === 'number') {
      let body: unknown = oauthError.data;
      try {
        body = JSON.parse(oauthError.data ?? '');
      } catch {
        // not JSON: classified by status alone
      }
      return LoginException.fromStravaError(toStravaError(oauthError.statusCode, body, undefined), error);
    }
    if (oauthError) return new LoginException(LoginFailure.StravaUnavailable, 'Strava could not be reached', error);
    if (error instanceof StravaError) return LoginException.fromStravaError(error, error);
    return new LoginException(LoginFailure.RunnerlyUnavailable, 'saving the login failed', error);
  }

  private static fromStravaError(error: StravaError, cause: unknown): LoginException {
    if (error instanceof StravaAppInactiveError) {
      const code = error.reason === 'athlete_limit' ? LoginFailure.StravaAthleteLimit : LoginFailure.StravaAppInactive;
      return new LoginException(code, error.message, cause);
    }
    if (error instanceof StravaInvalidGrantError)
      return new LoginException(LoginFailure.LoginExpired, 'authorization code rejected', cause);
    if (error.retryable) return new LoginException(LoginFailure.StravaUnavailable, error.message, cause);
    return new LoginException(LoginFailure.Failed, error.message, cause);
  }

  /** Problems the operator must fix (logged as errors, counted in metrics). */
  get operatorProblem(): boolean {
    return this.code === LoginFailure.StravaAppInactive || this.code === LoginFailure.StravaAthleteLimit;
  }
}
