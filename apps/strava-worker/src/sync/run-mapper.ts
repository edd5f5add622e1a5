import type { RunInput, SportType } from '@runnerly/data-client';
import type { StravaSummaryActivity } from '@runnerly/strava';

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
  };
}

export function isRun(activity: Pick<StravaSummaryActivity, 'sport_type'>, runTypes: ReadonlySet<string>): boolean {
  return runTypes.has(activity.sport_type);
}
