import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { safeEqual } from '@runnerly/config';
import { canReadActivities, parseScopes, type StravaSummaryAthlete } from '@runnerly/strava';
import type { Request } from 'express';
import { Strategy } from 'passport-strava-oauth2';
import { DASHBOARD_CONFIG, type DashboardConfig, REQUESTED_STRAVA_SCOPES, stravaCallbackUrl } from '../config.js';
import type { SessionUser } from '../session/session.types.js';
import { AuthService } from './auth.service.js';
import { LoginFailure } from './login.exception.js';

/** The token endpoint's answer beyond the two tokens (passport-oauth hands it over as `params`). */
interface TokenResponse {
  expires_at?: number;
  athlete?: StravaSummaryAthlete;
}

/** What the guards tell the strategy: the start of a login (the route decides, never the query). */
export interface StravaAuthenticateOptions {
  start?: boolean;
}

/**
 * Strava login through passport-strava-oauth2, with that package's gaps closed: comma-separated
 * scopes, a random per-login `state` kept in the session and checked on the callback (CSRF), the
 * athlete taken from the token response (its profile call is hard-coded to strava.com and puts the
 * token in the query string: skipped), refusals and unticked scopes reported as such.
 */
@Injectable()
export class StravaStrategy extends PassportStrategy(Strategy, 'strava', 6) {
  private readonly callbackUrl: string;
  private readonly loginTtlMs: number;

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
      skipUserProfile: true,
      passReqToCallback: true,
    });
    this.callbackUrl = stravaCallbackUrl(config);
    this.loginTtlMs = config.DASHBOARD_LOGIN_TTL_SECONDS * 1000;
  }

  override authorizationParams(): Record<string, string> {
    return { approval_prompt: 'auto' };
  }

  override authenticate(
    req: Request,
    { start, ...options }: StravaAuthenticateOptions & Record<string, unknown> = {},
  ): void {
    if (start) {
      // The start of a login: a fresh state, remembered in the session until the callback. Not
      // super.authenticate, which exchanges any `code` in the query, at the start too.
      const state = randomBytes(24).toString('base64url');
      req.session.oauthState = state;
      // A session that only holds a login in progress lives minutes from this start, in Redis and
      // in the browser (requests do not extend it); the login gives a new session with the full
      // lifetime. A runner already logged in keeps theirs.
      if (!req.session.user) {
        req.session.cookie.maxAge = this.loginTtlMs;
        req.session.loginExpiresAt = Date.now() + this.loginTtlMs;
      }
      return this.redirect(
        this._oauth2.getAuthorizeUrl({
          ...this.authorizationParams(),
          response_type: 'code',
          redirect_uri: this.callbackUrl,
          scope: REQUESTED_STRAVA_SCOPES.join(','),
          state,
        }),
      );
    }
    const query = req.query as Record<string, unknown>;
    const expected = req.session.oauthState;
    delete req.session.oauthState;
    if (!expected || typeof query.state !== 'string' || !safeEqual(expected, query.state)) {
      return this.fail({ reason: LoginFailure.LoginExpired });
    }
    if (query.error !== undefined) {
      return this.fail({ reason: query.error === 'access_denied' ? LoginFailure.AccessDenied : LoginFailure.Failed });
    }
    // passport-oauth would start a new authorization (without our state) on a callback with no code.
    if (typeof query.code !== 'string' || query.code === '') return this.fail({ reason: LoginFailure.Failed });
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
