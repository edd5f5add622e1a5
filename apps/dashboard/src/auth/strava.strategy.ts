import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { canReadActivities, parseScopes, type StravaSummaryAthlete } from '@runnerly/strava';
import type { Request } from 'express';
import { Strategy } from 'passport-strava-oauth2';
import { DASHBOARD_CONFIG, type DashboardConfig, STRAVA_SCOPES, stravaCallbackUrl } from '../config.js';
import type { SessionUser } from '../session/session.types.js';
import { AuthService } from './auth.service.js';
import { LoginFailure } from './login.exception.js';

/** The token endpoint's answer beyond the two tokens (passport-oauth hands it over as `params`). */
interface TokenResponse {
  expires_at?: number;
  athlete?: StravaSummaryAthlete;
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Strava login through passport-strava-oauth2, with that package's gaps closed: comma-separated
 * scopes, a random per-login `state` kept in the session and checked on the callback (CSRF), the
 * athlete taken from the token response (its profile call is hard-coded to strava.com and puts the
 * token in the query string: skipped), refusals and unticked scopes reported as such.
 */
@Injectable()
export class StravaStrategy extends PassportStrategy(Strategy, 'strava', 6) {
  constructor(
    @Inject(DASHBOARD_CONFIG) config: DashboardConfig,
    private readonly auth: AuthService,
  ) {
    super({
      clientID: config.STRAVA_CLIENT_ID,
      clientSecret: config.STRAVA_CLIENT_SECRET,
      callbackURL: stravaCallbackUrl(config),
      authorizationURL: `${config.STRAVA_BROWSER_BASE_URL ?? config.STRAVA_BASE_URL}/oauth/authorize`,
      tokenURL: `${config.STRAVA_BASE_URL}/oauth/token`,
      scope: STRAVA_SCOPES,
      scopeSeparator: ',',
      skipUserProfile: true,
      passReqToCallback: true,
    });
  }

  override authorizationParams(): Record<string, string> {
    return { approval_prompt: 'auto' };
  }

  override authenticate(req: Request, options: Record<string, unknown> = {}): void {
    const query = req.query as Record<string, unknown>;
    if (query.code === undefined && query.error === undefined) {
      // The start of a login: a fresh state, remembered in the session until the callback.
      const state = randomBytes(24).toString('base64url');
      req.session.oauthState = state;
      return super.authenticate(req, { ...options, state });
    }
    const expected = req.session.oauthState;
    delete req.session.oauthState;
    if (!expected || typeof query.state !== 'string' || !sameString(expected, query.state)) {
      return this.fail({ reason: LoginFailure.LoginExpired });
    }
    if (query.error !== undefined) {
      return this.fail({ reason: query.error === 'access_denied' ? LoginFailure.AccessDenied : LoginFailure.Failed });
    }
    if (typeof query.scope !== 'string' || !canReadActivities(parseScopes(query.scope))) {
      return this.fail({ reason: LoginFailure.MissingScope });
    }
    return super.authenticate(req, options);
  }

  /** Called by passport-oauth after the code exchange. */
  async validate(req: Request, accessToken: string, refreshToken: string, params: TokenResponse): Promise<SessionUser> {
    return this.auth.completeLogin({
      accessToken,
      refreshToken,
      expiresAt: params.expires_at,
      scope: String((req.query as Record<string, unknown>).scope),
      athlete: params.athlete,
    });
  }
}
