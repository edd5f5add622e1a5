import { Inject, Injectable } from '@nestjs/common';
import type { DataServiceClient } from '@runnerly/data-client';
import { ServiceClientError } from '@runnerly/service-client';
import { StravaInvalidGrantError, StravaMissingScopeError, StravaUnauthorizedError } from '@runnerly/strava';
import type { SyncStateStore } from '@runnerly/jobs';
import { DATA_SERVICE, STRAVA_GATEWAY, SYNC_STATE } from '../common/tokens.js';
import type { StravaGateway } from '../rate-limit/strava-gateway.js';
import { RequestShare } from '../rate-limit/strava-rate-limiter.js';

/** What Strava says of a deauthorization event's athlete. */
export enum DeauthorizationCheck {
  /** Strava refused the athlete's tokens: the event is true. */
  Revoked = 'revoked',
  /** Strava took the athlete's tokens: the event is false. */
  StillAuthorized = 'still_authorized',
  /** No tokens to ask with, and no earlier refusal on record: the event cannot be confirmed. */
  Unconfirmed = 'unconfirmed',
}

/** Asks Strava, with the athlete's own stored token, whether they really took Runnerly's access away. */
@Injectable()
export class DeauthorizationService {
  constructor(
    @Inject(DATA_SERVICE) private readonly data: DataServiceClient,
    @Inject(STRAVA_GATEWAY) private readonly strava: StravaGateway,
    @Inject(SYNC_STATE) private readonly state: SyncStateStore,
  ) {}

  /**
   * Revoked only when Strava refuses the stored access token (401 on GET /athlete, the cheapest call)
   * and then its refresh (invalid_grant), or already did so: a sync that met invalid_grant dropped
   * the tokens and noted it. A refresh that works is stored (Strava may have rotated the pair) and
   * means the athlete is still authorized. No tokens for another reason (the athlete never granted
   * activity access): nothing to ask Strava with, so unconfirmed.
   */
  async check(userId: string): Promise<DeauthorizationCheck> {
    let token;
    try {
      token = await this.data.getStravaToken(userId);
    } catch (error) {
      if (error instanceof ServiceClientError && error.status === 404) {
        return (await this.state.wasRevoked(userId)) ? DeauthorizationCheck.Revoked : DeauthorizationCheck.Unconfirmed;
      }
      throw error;
    }
    try {
      await this.strava.call(
        'get_athlete',
        (client) => client.getAthlete(token.accessToken),
        undefined,
        RequestShare.Events,
      );
      return DeauthorizationCheck.StillAuthorized;
    } catch (error) {
      if (!(error instanceof StravaUnauthorizedError) || error instanceof StravaMissingScopeError) throw error;
    }
    try {
      const fresh = await this.strava.client.refresh(token.refreshToken, token.scope);
      await this.data.putStravaToken(userId, { ...fresh, scope: fresh.scope ?? token.scope ?? '' });
      return DeauthorizationCheck.StillAuthorized;
    } catch (error) {
      if (error instanceof StravaInvalidGrantError) return DeauthorizationCheck.Revoked;
      throw error;
    }
  }
}
