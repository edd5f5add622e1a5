import type { SyncErrorCode } from '@runnerly/jobs/sync-contract';

/** What went wrong, in words for the runner, by the error code the dashboard uses. */
export interface Problem {
  title: string;
  text: string;
  /** Operator problems are not the runner's to fix: say so and do not suggest changing anything. */
  operator?: boolean;
}

export const LOGIN_PROBLEMS: Record<string, Problem> = {
  access_denied: {
    title: 'You did not connect Strava',
    text: 'You pressed Cancel on Strava, so Runnerly cannot see your runs. Nothing was saved. Connect again whenever you like.',
  },
  missing_scope: {
    title: 'Runnerly needs to see your activities',
    text: 'The permission to view your activities was unticked on Strava. Connect again and leave “View data about your activities” ticked: without it there are no runs to show.',
  },
  login_expired: {
    title: 'That login did not complete',
    text: 'The Strava login expired or was opened twice. Please start again.',
  },
  strava_unavailable: {
    title: 'Strava did not answer',
    text: 'Strava could not be reached just now. Please try again in a minute.',
  },
  strava_app_inactive: {
    title: 'Runnerly cannot reach Strava right now',
    text: 'This is a problem on our side, not yours: Runnerly’s Strava connection is currently inactive. The people running Runnerly need to fix it; please try again later.',
    operator: true,
  },
  strava_athlete_limit: {
    title: 'Runnerly is full on Strava’s side',
    text: 'This is a problem on our side, not yours: Strava limits how many athletes Runnerly may connect, and that limit is reached. The people running Runnerly need to raise it; please try again later.',
    operator: true,
  },
};

export function loginProblem(code: string): Problem {
  return (
    LOGIN_PROBLEMS[code] ?? {
      title: 'The Strava login did not work',
      text: 'Something went wrong while connecting to Strava. Please try again.',
    }
  );
}

const SAVING_RETRIED: Problem = {
  title: 'Runnerly could not save your runs',
  text: 'It will try again by itself in a moment.',
};

const SYNC_PROBLEMS: Partial<Record<`${SyncErrorCode}`, Problem>> = {
  strava_revoked: {
    title: 'Strava access was withdrawn',
    text: 'Strava no longer lets Runnerly read your activities. Log out and log in with Strava again to reconnect.',
  },
  not_connected: {
    title: 'Strava is not connected',
    text: 'Runnerly holds no Strava connection for you. Log out and log in with Strava again.',
  },
  strava_missing_scope: {
    title: 'Runnerly may not read your activities',
    text: 'Log out and log in with Strava again, leaving “View data about your activities” ticked.',
  },
  strava_unavailable: { title: 'Strava is not answering', text: 'Runnerly will try again by itself in a moment.' },
  // Runnerly's own services: the data-service, or the token-dealer the worker needs to reach it.
  data_service_unavailable: SAVING_RETRIED,
  token_dealer_unavailable: SAVING_RETRIED,
};

/** A sync problem, by the worker's error code; operator problems are told as such. */
export function syncProblem(code: string, message: string): Problem {
  const operator = LOGIN_PROBLEMS[code];
  if (operator?.operator) return operator;
  return (
    SYNC_PROBLEMS[code as `${SyncErrorCode}`] ?? {
      title: 'The last sync failed',
      text: message || 'Please try again in a moment.',
    }
  );
}
