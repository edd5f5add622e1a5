import type { RunInput, SportType, StravaShoe } from '@runnerly/data-client';
import type { StravaSummaryActivity, StravaSummaryGear } from '@runnerly/strava';

/** Strava's SummaryActivity → the contract's run. Strava writes the local time with a bogus `Z`. */
export function toRun(activity: StravaSummaryActivity): RunInput {
  return {
    stravaId: activity.id,
    name: activity.name,
    sportType: activity.sport_type as SportType,
    startDate: activity.start_date,
    startDateLocal: activity.start_date_local.replace(/Z$/, ''),
    timezone: activity.timezone || null,
    distance: activity.distance,
    movingTime: activity.moving_time,
    elapsedTime: activity.elapsed_time,
    totalElevationGain: activity.total_elevation_gain,
    averageSpeed: activity.average_speed,
    maxSpeed: activity.max_speed,
    averageHeartrate: activity.has_heartrate && activity.average_heartrate ? activity.average_heartrate : null,
    maxHeartrate: activity.has_heartrate && activity.max_heartrate ? activity.max_heartrate : null,
    summaryPolyline: activity.map?.summary_polyline || null,
    gearId: isGearId(activity.gear_id) ? activity.gear_id : null,
  };
}

const GEAR_ID = /^[A-Za-z0-9_-]{1,64}$/;
const isGearId = (id: unknown): id is string => typeof id === 'string' && GEAR_ID.test(id);

/**
 * The athlete's shoes from the detailed `/athlete` (SummaryGear), as the data-service stores
 * them: what it would refuse (an id that is no gear id) is left out, a name cut to size.
 */
export function toShoes(shoes: readonly StravaSummaryGear[]): StravaShoe[] {
  return shoes
    .filter((shoe) => isGearId(shoe.id))
    .map((shoe) => ({
      id: shoe.id,
      name: String(shoe.name ?? shoe.id)
        .replaceAll('\u0000', '')
        .slice(0, 255),
      primary: shoe.primary === true,
      retired: shoe.retired === true,
      distance: Number.isFinite(shoe.distance) && shoe.distance >= 0 ? shoe.distance : 0,
    }));
}

export function isRun(activity: Pick<StravaSummaryActivity, 'sport_type'>, runTypes: ReadonlySet<string>): boolean {
  return runTypes.has(activity.sport_type);
}
