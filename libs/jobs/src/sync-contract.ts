// The sync's vocabulary: the worker writes it, the dashboard serves it and its page reads it. Plain
// TypeScript with no imports, so that the page can import it (`@runnerly/jobs/sync-contract`) alone.

export enum SyncStatus {
  Queued = 'queued',
  Running = 'running',
  Done = 'done',
  Failed = 'failed',
}

/** Why a sync stopped (`lastError.code`); the page tells the runner what each means. */
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

export interface SyncProgress {
  pages: number;
  activities: number;
}

/** An athlete's sync as the dashboard's API shows it (`/api/sync`; `idle`: never synced). Timestamps are ISO 8601 UTC. */
export interface SyncView {
  status: `${SyncStatus}` | 'idle';
  requestedAt: string | null;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  /** Runs new to Runnerly in the last finished (or the running) sync. */
  runsAdded: number;
  progress: SyncProgress;
  lastError: { code: `${SyncErrorCode}`; message: string } | null;
  /** Set while the sync waits for Strava (rate limit, or the app refused). */
  waitingUntil: string | null;
}
