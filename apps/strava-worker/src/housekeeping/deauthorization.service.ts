import { Inject, Injectable } from '@nestjs/common';
import type { DataServiceClient } from '@runnerly/data-client';
import { ServiceClientError } from '@runnerly/service-client';
import { StravaInvalidGrantError, StravaMissingScopeError, StravaUnauthorizedError } from '@runnerly/strava';
import { DATA_SERVICE, STRAVA_GATEWAY } from '../common/tokens.js';
import type { StravaGateway } from '../rate-limit/strava-gateway.js';

/** Asks Strava, with the athlete's own stored token, whether they really took Runnerly's access away. */
@Injectable()
export class DeauthorizationService {
  constructor(
    @Inject(DATA_SERVICE) private readonly data: DataServiceClient,
    @Inject(STRAVA_GATEWAY) private readonly strava: StravaGateway,
  ) {}

  /**
   * True only when Runnerly holds no token for the user, or Strava refuses the stored access token
   * (401 on GET /athlete, the cheapest call) and then its refresh (invalid_grant). A refresh that
   * works is stored (Strava may have rotated the pair) and means the athlete is still authorized.
   */
  async isRevoked(userId: string): Promise<boolean> {
    let token;
    try {
      token = await this.data.getStravaToken(userId);
    } catch (error) {
      if (error instanceof ServiceClientError && error.status === 404) return true;
      throw error;
    }
    try {
      await this.strava.call('get_athlete', (client) => client.getAthlete(token.accessToken));
      return false;
    } catch (error) {
      if (!(error instanceof StravaUnauthorizedError) || error instanceof StravaMissingScopeError) throw error;
    }
    try {
      const fresh = await this.strava.client.refresh(token.refreshToken, token.scope);
      await this.data.putStravaToken(userId, { ...fresh, scope: fresh.scope ?? token.scope ?? '' });
      return false;
    } catch (error) {
      if (error instanceof StravaInvalidGrantError) return true;
      throw error;
    }
  }
}
