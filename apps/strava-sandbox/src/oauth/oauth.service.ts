import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { safeEqual } from '@runnerly/config';
import { STRAVA_OAUTH_SCOPES, type StravaTokenResponseBody } from '@runnerly/strava';
import { AthletesService } from '../athletes/athletes.service.js';
import { ClockService } from '../common/clock.service.js';
import { Faults } from '../common/strava-fault.js';
import { STRAVA_SANDBOX_CONFIG, type StravaSandboxConfig } from '../config.js';
import { SettingsService } from '../settings/settings.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';

export const ACCESS_TOKEN_TTL_SECONDS = 6 * 3600;
/** A refresh returns the same access token while it has more than this left. */
export const SAME_TOKEN_THRESHOLD_SECONDS = 3600;
const CODE_TTL_SECONDS = 600;

export interface AccessGrant {
  token: string;
  /** The authorization (code exchange) this token descends from, through refreshes. */
  pairId: number;
  athleteId: number;
  scopes: string[];
  expiresAt: number;
}

interface RefreshGrant {
  token: string;
  pairId: number;
  athleteId: number;
  scopes: string[];
  /** The access token the last exchange or refresh handed out with this refresh token. */
  accessToken: string;
}

interface AuthorizationCode {
  athleteId: number;
  scopes: string[];
  expiresAt: number;
}

export interface AuthorizeRequest {
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  approvalPrompt: 'auto' | 'force';
}

const newToken = () => randomBytes(20).toString('hex');

/** Strava's OAuth for the sandbox's one application: codes, token pairs, refresh and rotation, revocation. */
@Injectable()
export class OAuthService {
  private codes = new Map<string, AuthorizationCode>();
  private accessGrants = new Map<string, AccessGrant>();
  private refreshGrants = new Map<string, RefreshGrant>();
  private nextPairId = 1;

  constructor(
    @Inject(STRAVA_SANDBOX_CONFIG) private readonly config: StravaSandboxConfig,
    private readonly athletes: AthletesService,
    private readonly settings: SettingsService,
    private readonly clock: ClockService,
    private readonly webhooks: WebhooksService,
  ) {}

  get clientId(): string {
    return this.config.STRAVA_CLIENT_ID;
  }

  reset(): void {
    this.codes.clear();
    this.accessGrants.clear();
    this.refreshGrants.clear();
  }

  /** 400 for an unknown client_id; 401 for a wrong secret (when one is required). */
  checkClient(clientId: string | undefined, clientSecret?: string | null): void {
    if (clientId !== this.config.STRAVA_CLIENT_ID) throw Faults.invalidClientId();
    if (clientSecret === null) return;
    if (!safeEqual(clientSecret ?? '', this.config.STRAVA_CLIENT_SECRET)) throw Faults.invalidClientSecret();
  }

  /** Validates `/oauth/authorize` parameters the way Strava does (comma-separated scopes only). */
  parseAuthorizeRequest(input: {
    clientId?: string;
    redirectUri?: string;
    responseType?: string;
    scope?: string;
    state?: string;
    approvalPrompt?: string;
  }): AuthorizeRequest {
    this.checkClient(input.clientId, null);
    if (!input.redirectUri) throw Faults.invalidParameter('Application', 'redirect_uri');
    let redirect: URL;
    try {
      redirect = new URL(input.redirectUri);
    } catch {
      throw Faults.invalidParameter('Application', 'redirect_uri');
    }
    if (redirect.protocol !== 'http:' && redirect.protocol !== 'https:')
      throw Faults.invalidParameter('Application', 'redirect_uri');
    if (input.responseType !== 'code') throw Faults.invalidParameter('Application', 'response_type');
    const approvalPrompt = input.approvalPrompt ?? 'auto';
    if (approvalPrompt !== 'auto' && approvalPrompt !== 'force')
      throw Faults.invalidParameter('Application', 'approval_prompt');
    const scopes = (input.scope ?? 'read').split(',');
    if (scopes.some((scope) => !(STRAVA_OAUTH_SCOPES as readonly string[]).includes(scope)))
      throw Faults.invalidParameter('Authorize', 'scope');
    return { redirectUri: input.redirectUri, scopes: [...new Set(scopes)], state: input.state, approvalPrompt };
  }

  /**
   * The athlete's decision, as the redirect back to the app: a code and the granted scopes
   * (`read` always, plus whatever requested scope the athlete left ticked), or access_denied.
   */
  decide(request: AuthorizeRequest, decision: { approve: boolean; athleteId?: number; granted?: string[] }): string {
    const target = new URL(request.redirectUri);
    if (request.state !== undefined) target.searchParams.set('state', request.state);
    const athlete = decision.athleteId === undefined ? undefined : this.athletes.find(decision.athleteId);
    if (!decision.approve || !athlete) {
      target.searchParams.set('error', 'access_denied');
      return target.toString();
    }
    const ticked = decision.granted ?? request.scopes;
    const scopes = ['read', ...request.scopes.filter((scope) => scope !== 'read' && ticked.includes(scope))];
    const code = newToken();
    this.codes.set(code, {
      athleteId: athlete.profile.id,
      scopes,
      expiresAt: this.clock.nowSeconds() + CODE_TTL_SECONDS,
    });
    target.searchParams.set('code', code);
    // Strava writes the scope list with literal commas (and colons).
    target.search = `${target.search}&scope=${scopes.map((scope) => encodeURIComponent(scope).replace(/%3A/gi, ':')).join(',')}`;
    return target.toString();
  }

  /** `grant_type=authorization_code`: single use, short-lived, and bound to the athlete limit. */
  exchangeCode(code: string | undefined): StravaTokenResponseBody {
    const grant = code === undefined ? undefined : this.codes.get(code);
    if (!grant || !code) throw Faults.invalidCode();
    this.codes.delete(code);
    if (grant.expiresAt < this.clock.nowSeconds()) throw Faults.invalidCode();
    const { athleteLimit } = this.settings.get().program;
    const connected = this.connectedAthletes();
    if (athleteLimit !== null && !connected.has(grant.athleteId) && connected.size >= athleteLimit)
      throw Faults.athleteLimit();
    const pairId = this.nextPairId++;
    const access = this.issueAccess(grant.athleteId, grant.scopes, pairId);
    const refresh: RefreshGrant = {
      token: newToken(),
      pairId,
      athleteId: grant.athleteId,
      scopes: grant.scopes,
      accessToken: access.token,
    };
    this.refreshGrants.set(refresh.token, refresh);
    const athlete = this.athletes.find(grant.athleteId)!;
    return { ...this.tokenBody(access, refresh.token), athlete: { ...athlete.profile } };
  }

  /**
   * `grant_type=refresh_token`, Strava's rules: the same access token while it has more than an
   * hour left; otherwise a new one (the old one keeps working until it expires) and, with
   * rotation on, a new refresh token that invalidates the old one at once.
   */
  refresh(refreshToken: string | undefined): StravaTokenResponseBody {
    const grant = refreshToken === undefined ? undefined : this.refreshGrants.get(refreshToken);
    if (!grant) throw Faults.invalidRefreshToken();
    const current = this.accessGrants.get(grant.accessToken);
    if (current && current.expiresAt - this.clock.nowSeconds() > SAME_TOKEN_THRESHOLD_SECONDS) {
      return this.tokenBody(current, grant.token);
    }
    const access = this.issueAccess(grant.athleteId, grant.scopes, grant.pairId);
    grant.accessToken = access.token;
    if (this.settings.get().rotateRefreshTokens) {
      this.refreshGrants.delete(grant.token);
      grant.token = newToken();
      this.refreshGrants.set(grant.token, grant);
    }
    return this.tokenBody(access, grant.token);
  }

  /** The grant behind a bearer token, or Strava's 401. */
  authenticate(accessToken: string | undefined): AccessGrant {
    const grant = accessToken === undefined ? undefined : this.accessGrants.get(accessToken);
    if (!grant || grant.expiresAt <= this.clock.nowSeconds()) throw Faults.invalidAccessToken();
    return grant;
  }

  /** `/oauth/deauthorize`: every token of the athlete for this app stops working. */
  deauthorize(accessToken: string | undefined): { access_token: string } {
    const grant = this.authenticate(accessToken);
    this.revokeAthlete(grant.athleteId);
    return { access_token: grant.token };
  }

  /**
   * `/oauth/revoke` (announced for 2027-06-01, RFC 7009 style): revoking either token of a pair
   * revokes both (and the older access tokens of the same pair). Unknown tokens are ignored.
   */
  revoke(token: string | undefined): void {
    const pairId =
      (token && (this.accessGrants.get(token)?.pairId ?? this.refreshGrants.get(token)?.pairId)) || undefined;
    if (pairId === undefined) return;
    let athleteId: number | undefined;
    for (const [key, grant] of this.accessGrants) {
      if (grant.pairId === pairId) {
        athleteId = grant.athleteId;
        this.accessGrants.delete(key);
      }
    }
    for (const [key, grant] of this.refreshGrants) {
      if (grant.pairId === pairId) this.refreshGrants.delete(key);
    }
    if (athleteId !== undefined && !this.connectedAthletes().has(athleteId)) {
      this.webhooks.publish({
        object_type: 'athlete',
        object_id: athleteId,
        aspect_type: 'update',
        updates: { authorized: 'false' },
        owner_id: athleteId,
      });
    }
  }

  /** Revokes the athlete's tokens and tells the app through its push subscription. */
  revokeAthlete(athleteId: number): number {
    const wasConnected = this.connectedAthletes().has(athleteId);
    let revoked = 0;
    for (const [token, grant] of this.accessGrants) {
      if (grant.athleteId === athleteId) {
        this.accessGrants.delete(token);
        revoked += 1;
      }
    }
    for (const [token, grant] of this.refreshGrants) {
      if (grant.athleteId === athleteId) this.refreshGrants.delete(token);
    }
    if (wasConnected) {
      this.webhooks.publish({
        object_type: 'athlete',
        object_id: athleteId,
        aspect_type: 'update',
        updates: { authorized: 'false' },
        owner_id: athleteId,
      });
    }
    return revoked;
  }

  /** Admin: makes access tokens expire `inSeconds` from now (0: already expired). */
  expire(target: { accessToken?: string; athleteId?: number }, inSeconds: number): number {
    let count = 0;
    for (const grant of this.accessGrants.values()) {
      if (grant.token === target.accessToken || grant.athleteId === target.athleteId) {
        grant.expiresAt = this.clock.nowSeconds() + inSeconds;
        count += 1;
      }
    }
    return count;
  }

  /** Admin: a token pair for an athlete without the consent page (for tests and demos). */
  mint(athleteId: number, scopes: string[]): StravaTokenResponseBody {
    const code = this.decide(
      { redirectUri: 'http://sandbox.invalid/', scopes, state: undefined, approvalPrompt: 'force' },
      { approve: true, athleteId },
    );
    return this.exchangeCode(new URL(code).searchParams.get('code') ?? undefined);
  }

  connectedAthletes(): Set<number> {
    return new Set([...this.refreshGrants.values()].map((grant) => grant.athleteId));
  }

  private issueAccess(athleteId: number, scopes: string[], pairId: number): AccessGrant {
    const grant: AccessGrant = {
      token: newToken(),
      pairId,
      athleteId,
      scopes,
      expiresAt: this.clock.nowSeconds() + ACCESS_TOKEN_TTL_SECONDS,
    };
    this.accessGrants.set(grant.token, grant);
    return grant;
  }

  private tokenBody(access: AccessGrant, refreshToken: string): StravaTokenResponseBody {
    return {
      token_type: 'Bearer',
      expires_at: access.expiresAt,
      expires_in: Math.max(0, access.expiresAt - this.clock.nowSeconds()),
      refresh_token: refreshToken,
      access_token: access.token,
    };
  }
}
