import { Controller, Get, Header, Headers, Param, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { StravaDetailedActivity } from '@runnerly/strava';
import { bearer, param, type Params } from '../common/params.js';
import { Faults } from '../common/strava-fault.js';
import { type AccessGrant, OAuthService } from '../oauth/oauth.service.js';
import { AthletesService } from './athletes.service.js';

function integer(query: Params, name: string, min: number): number | undefined {
  const raw = param(query, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw Faults.invalidParameter('Activity', name);
  return value;
}

/** `/api/v3/athlete`, `/api/v3/athlete/activities`, `/api/v3/activities/{id}`. */
@ApiExcludeController()
@Controller('api/v3')
export class AthletesController {
  constructor(
    private readonly oauth: OAuthService,
    private readonly athletes: AthletesService,
  ) {}

  @Get('athlete')
  athlete(@Headers('authorization') authorization: string | undefined, @Query() query: Params) {
    const grant = this.authenticate(authorization, query);
    const athlete = this.athletes.find(grant.athleteId)!;
    if (!grant.scopes.includes('profile:read_all')) return athlete.profile;
    return {
      ...athlete.profile,
      resource_state: 3,
      follower_count: 12 + (athlete.profile.id % 90),
      friend_count: 9 + (athlete.profile.id % 70),
      measurement_preference: athlete.measurementPreference,
      ftp: null,
      weight: athlete.weight,
      clubs: [],
      bikes: [
        {
          id: `b${athlete.profile.id % 100_000}1`,
          primary: true,
          name: 'Road bike',
          resource_state: 2,
          distance: 4_210_000,
        },
      ],
      shoes: [
        {
          id: `g${athlete.profile.id % 100_000}1`,
          primary: true,
          name: 'Daily trainers',
          resource_state: 2,
          distance: 812_000,
        },
        {
          id: `g${athlete.profile.id % 100_000}2`,
          primary: false,
          name: 'Race flats',
          resource_state: 2,
          distance: 204_000,
        },
      ],
    };
  }

  /** Needs activity:read; private activities only with activity:read_all. */
  @Get('athlete/activities')
  @Header('content-type', 'application/json; charset=utf-8')
  activities(@Headers('authorization') authorization: string | undefined, @Query() query: Params): string {
    const grant = this.authenticate(authorization, query);
    const includePrivate = grant.scopes.includes('activity:read_all');
    if (!includePrivate && !grant.scopes.includes('activity:read'))
      throw Faults.missingScope('activity:read_permission');
    return this.athletes.listActivitiesJson(grant.athleteId, {
      before: integer(query, 'before', 0),
      after: integer(query, 'after', 0),
      page: integer(query, 'page', 1) ?? 1,
      perPage: Math.min(integer(query, 'per_page', 1) ?? 30, 200),
      includePrivate,
    });
  }

  @Get('activities/:id')
  activity(
    @Headers('authorization') authorization: string | undefined,
    @Query() query: Params,
    @Param('id') id: string,
  ): StravaDetailedActivity {
    const grant = this.authenticate(authorization, query);
    const includePrivate = grant.scopes.includes('activity:read_all');
    if (!includePrivate && !grant.scopes.includes('activity:read'))
      throw Faults.missingScope('activity:read_permission');
    const activity = this.athletes.findActivity(Number(id));
    if (!activity || activity.athlete.id !== grant.athleteId || (activity.private && !includePrivate))
      throw Faults.notFound('Activity');
    return { ...activity, resource_state: 3 };
  }

  /** The header, as Strava wants; `?access_token=` still works until 2027 (and is counted). */
  private authenticate(authorization: string | undefined, query: Params): AccessGrant {
    return this.oauth.authenticate(bearer(authorization) ?? param(query, 'access_token'));
  }
}
