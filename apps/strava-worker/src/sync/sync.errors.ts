/** Why a sync stopped, as the dashboard shows it (`SyncState.lastError.code`). */
export enum SyncErrorCode {
  /** Strava refused the athlete's refresh token: they revoked access. */
  Revoked = 'strava_revoked',
  /** The athlete did not grant `activity:read`. */
  MissingScope = 'strava_missing_scope',
  /** Runnerly holds no Strava tokens for this user (or the user is gone). */
  NotConnected = 'not_connected',
  /** The Strava application is inactive or over its athlete limit: an operator problem. */
  AppInactive = 'strava_app_inactive',
  StravaUnavailable = 'strava_unavailable',
  DataServiceUnavailable = 'data_service_unavailable',
  /** No token for calling the data-service: the token-dealer is down or refuses the worker. */
  TokenDealerUnavailable = 'token_dealer_unavailable',
  Internal = 'internal',
}

/** A sync that retrying cannot fix. */
export class SyncAbortedError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SyncAbortedError';
  }
}

/** The worker is stopping: the sync saved its place and hands its job back. */
export class SyncHandedBackError extends Error {
  constructor() {
    super('worker stopping: sync handed back');
    this.name = 'SyncHandedBackError';
  }
}
