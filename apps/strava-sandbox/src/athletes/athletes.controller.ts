import { Controller, Get, Header, Headers, Param, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { StravaDetailedActivity } from '@runnerly/strava';
import { bearer, param, type Params } from '../common/params.js';
import { Faults } from '../common/strava-fault.js';
import { type AccessGrant, OAuthService } from '../oauth/oauth.service.js';
import { shoeIds } from '../seed/world.js';
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
      ...this.gear(athlete.profile.id),
    };
  }

  /** DetailedGear, for the token's athlete's own gear (SummaryGear plus brand, model, description). */
  @Get('gear/:id')
  gearById(
    @Headers('authorization') authorization: string | undefined,
    @Query() query: Params,
    @Param('id') id: string,
  ) {
    const grant = this.authenticate(authorization, query);
    const { shoes, bikes } = this.gear(grant.athleteId);
    const gear = [...shoes, ...bikes].find((item) => item.id === id);
    if (!gear) throw Faults.notFound('Gear');
    const [brand_name, model_name] = id.startsWith('b')
      ? ['Canyon', 'Endurace']
      : gear.name === 'Race flats'
        ? ['Nike', 'Vaporfly 3']
        : ['ASICS', 'Novablast 4'];
    return {
      ...gear,
      resource_state: 3,
      brand_name,
      model_name,
      ...(id.startsWith('b') ? { frame_type: 3 } : {}),
      description: null,
      converted_distance: Math.round(gear.distance / 100) / 10,
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

  /** The athlete's gear as Strava summarises it (SummaryGear), distances summed from their activities. */
  private gear(athleteId: number) {
    const summary = (id: string, name: string, primary: boolean) => ({
      id,
      primary,
      name,
      resource_state: 2,
      retired: false,
      distance: this.athletes.gearDistance(athleteId, id),
    });
    const [trainers, flats] = shoeIds(athleteId);
    return {
      bikes: [summary(`b${athleteId % 100_000}1`, 'Road bike', true)],
      shoes: [summary(trainers, 'Daily trainers', true), summary(flats, 'Race flats', false)],
    };
  }

  /** The header, as Strava wants; `?access_token=` still works until 2027 (and is counted). */
  private authenticate(authorization: string | undefined, query: Params): AccessGrant {
    return this.oauth.authenticate(bearer(authorization) ?? param(query, 'access_token'));
  }
}
