import 'express-session';

/** Who is logged in: what the page needs, never the Strava tokens. */
export interface SessionUser {
  id: string;
  stravaAthleteId: number;
  firstname: string;
  lastname: string;
  city: string | null;
  country: string | null;
  profileImageUrl: string | null;
}

declare module 'express-session' {
  interface SessionData {
    user?: SessionUser;
    /** Per-session token for state-changing requests (logout, sync). */
    csrfToken?: string;
    /** The `state` sent with the Strava authorization request that is under way. */
    oauthState?: string;
    /** When a session that only holds a login in progress ends (epoch ms), whatever requests it sees. */
    loginExpiresAt?: number;
  }
}
