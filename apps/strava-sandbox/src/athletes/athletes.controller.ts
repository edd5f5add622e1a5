import { Controller, Get, Header, Headers, Param, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { StravaDetailedActivity } from '@runnerly/strava';
import { bearer, param, type Params, params } from '../common/params.js';
import { Faults } from '../common/strava-fault.js';
import { type AccessGrant, OAuthService } from '../oauth/oauth.service.js';
import { shoeIds } from '../seed/world.js';
import { activityStreams, type ActivityStreams } from '../seed/streams.js';
import { AthletesService } from './athletes.service.js';

function integer(query: Params, name: string, min: number): number | undefined {
  const raw = param(query, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw Faults.invalidParameter('Activity', name);
  return value;
}

/** The stream types the sandbox keeps (Strava's swagger lists more; an activity lacking one leaves it out). */
const STREAM_TYPES = ['time', 'distance', 'latlng', 'altitude', 'heartrate'] as const satisfies ReadonlyArray<
  keyof ActivityStreams
>;

/** `/api/v3/athlete`, `/api/v3/athlete/activities`, `/api/v3/activities/{id}` and its streams. */
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
    const activity = this.readableActivity(this.authenticate(authorization, query), id);
    return { ...activity, resource_state: 3 };
  }

  /**
   * Strava's StreamSet: with `key_by_type=true` an object keyed by stream type, otherwise an array
   * of streams each carrying its `type`. Types the activity lacks, or nobody asked for, are left
   * out, except `distance`, the series every stream is indexed by, which Strava always sends.
   * A manual activity has no streams: 404, as Strava answers.
   */
  @Get('activities/:id/streams')
  @Header('content-type', 'application/json; charset=utf-8')
  streams(
    @Headers('authorization') authorization: string | undefined,
    @Query() query: Params,
    @Param('id') id: string,
  ): string {
    const activity = this.readableActivity(this.authenticate(authorization, query), id);
    const streams = activityStreams(activity);
    if (!streams) throw Faults.notFound('Activity');
    const asked = new Set(
      params(query, 'keys')
        .flatMap((value) => value.split(','))
        .map((key) => key.trim()),
    );
    const size = streams.time.length;
    const sent = STREAM_TYPES.filter((type) => streams[type] !== undefined && (asked.has(type) || type === 'distance'));
    const stream = (type: (typeof STREAM_TYPES)[number]) => ({
      data: streams[type],
      series_type: 'distance',
      original_size: size,
      resolution: 'high',
    });
    if (param(query, 'key_by_type') === 'true')
      return JSON.stringify(Object.fromEntries(sent.map((type) => [type, stream(type)])));
    return JSON.stringify(sent.map((type) => ({ type, ...stream(type) })));
  }

  /** An activity the token may read: the athlete's own, private ones only with activity:read_all. */
  private readableActivity(grant: AccessGrant, id: string): StravaDetailedActivity {
    const includePrivate = grant.scopes.includes('activity:read_all');
    if (!includePrivate && !grant.scopes.includes('activity:read'))
      throw Faults.missingScope('activity:read_permission');
    const activity = this.athletes.findActivity(Number(id));
    if (!activity || activity.athlete.id !== grant.athleteId || (activity.private && !includePrivate))
      throw Faults.notFound('Activity');
    return activity;
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
