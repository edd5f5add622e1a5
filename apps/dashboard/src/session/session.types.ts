import 'express-session';
import type { UserProfile } from '@runnerly/data-client';

/** Who is logged in: what the page needs, never the Strava tokens. */
export type SessionUser = UserProfile;

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
