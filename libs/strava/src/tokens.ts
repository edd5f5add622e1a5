import type { StravaTokenSet } from './strava.types.js';

/** Refresh this long before expiry, so a token never dies in the middle of a sync. */
export const DEFAULT_EXPIRY_MARGIN_SECONDS = 15 * 60;

/** Whether the access token expires within `marginSeconds` (or already has). */
export function isExpiring(
  tokens: Pick<StravaTokenSet, 'expiresAt'>,
  marginSeconds = DEFAULT_EXPIRY_MARGIN_SECONDS,
  now = new Date(),
): boolean {
  return tokens.expiresAt - marginSeconds <= Math.floor(now.getTime() / 1000);
}

/** Whether Strava gave back a different pair (the caller must then persist it). */
export function tokensChanged(before: StravaTokenSet, after: StravaTokenSet): boolean {
  return (
    before.accessToken !== after.accessToken ||
    before.refreshToken !== after.refreshToken ||
    before.expiresAt !== after.expiresAt
  );
}

/** Parses the `scope` query parameter of Strava's redirect (`read,activity:read_all`). */
export function parseScopes(scope: string | null | undefined): string[] {
  return (scope ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Whether a granted scope list lets the token read the athlete's activities. */
export function canReadActivities(scopes: string[]): boolean {
  return scopes.includes('activity:read') || scopes.includes('activity:read_all');
}
