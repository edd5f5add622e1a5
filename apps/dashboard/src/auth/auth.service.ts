import { Injectable, Logger } from '@nestjs/common';
import { DataServiceClient } from '@runnerly/data-client';
import { SyncQueue, SyncReason } from '@runnerly/jobs';
import { currentRequestId, MetricsService } from '@runnerly/platform';
import type { StravaSummaryAthlete } from '@runnerly/strava';
import type { SessionUser } from '../session/session.types.js';
import { LoginException, LoginFailure } from './login.exception.js';

export interface StravaLogin {
  accessToken: string;
  refreshToken: string;
  expiresAt: number | undefined;
  /** What the athlete granted, as the callback reported it (`read,activity:read_all`). */
  scope: string;
  athlete: StravaSummaryAthlete | undefined;
}

function profileImage(athlete: StravaSummaryAthlete): string | null {
  // Strava sends a relative placeholder ("avatar/athlete/large.png") when there is no picture.
  return /^https?:\/\//.test(athlete.profile_medium ?? '') ? athlete.profile_medium : null;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly logins;

  constructor(
    private readonly data: DataServiceClient,
    private readonly syncQueue: SyncQueue,
    metrics: MetricsService,
  ) {
    this.logins = metrics.counter({
      name: 'dashboard_logins_total',
      help: 'Strava logins by outcome',
      labelNames: ['outcome'],
    });
  }

  /** After the code exchange: the athlete and their tokens to the data-service, then a first sync. */
  async completeLogin(login: StravaLogin): Promise<SessionUser> {
    const { athlete } = login;
    if (!athlete?.id || login.expiresAt === undefined) {
      throw new LoginException(LoginFailure.Failed, 'the Strava token response carried no athlete');
    }
    const user = await this.data.upsertUser({
      stravaAthleteId: athlete.id,
      firstname: athlete.firstname ?? '',
      lastname: athlete.lastname ?? '',
      city: athlete.city || null,
      country: athlete.country || null,
      profileImageUrl: profileImage(athlete),
      strava: {
        accessToken: login.accessToken,
        refreshToken: login.refreshToken,
        expiresAt: login.expiresAt,
        scope: login.scope,
      },
    });
    await this.syncQueue.requestSync(user.id, { reason: SyncReason.Connected, requestId: currentRequestId() });
    this.logger.log({ userId: user.id, stravaAthleteId: athlete.id }, 'athlete logged in');
    this.recordOutcome('success');
    return {
      id: user.id,
      stravaAthleteId: user.stravaAthleteId,
      firstname: user.firstname,
      lastname: user.lastname,
      city: user.city,
      country: user.country,
      profileImageUrl: user.profileImageUrl,
    };
  }

  recordOutcome(outcome: string): void {
    this.logins.inc({ outcome });
  }
}
