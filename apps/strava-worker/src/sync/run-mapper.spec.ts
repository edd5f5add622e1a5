import type { StravaSummaryActivity } from '@runnerly/strava';
import { describe, expect, it } from 'vitest';
import { isRun, toRun, toShoes } from './run-mapper.js';

const activity = {
  id: 12345678901,
  name: 'Lunch Run',
  sport_type: 'TrailRun',
  type: 'Run',
  start_date: '2026-05-02T12:15:09Z',
  start_date_local: '2026-05-02T05:15:09Z',
  timezone: '(GMT-08:00) America/Los_Angeles',
  distance: 10_123.4,
  moving_time: 3_100,
  elapsed_time: 3_300,
  total_elevation_gain: 210,
  average_speed: 3.26,
  max_speed: 5.1,
  has_heartrate: true,
  average_heartrate: 151.2,
  max_heartrate: 181,
  map: { id: 'a1', summary_polyline: 'abc', resource_state: 2 },
  gear_id: 'g12345',
} as unknown as StravaSummaryActivity;

describe('toRun', () => {
  it('maps Strava’s summary activity to the contract’s run, dropping the bogus Z of local time', () => {
    expect(toRun(activity)).toEqual({
      stravaId: 12345678901,
      name: 'Lunch Run',
      sportType: 'TrailRun',
      startDate: '2026-05-02T12:15:09Z',
      startDateLocal: '2026-05-02T05:15:09',
      timezone: '(GMT-08:00) America/Los_Angeles',
      distance: 10_123.4,
      movingTime: 3_100,
      elapsedTime: 3_300,
      totalElevationGain: 210,
      averageSpeed: 3.26,
      maxSpeed: 5.1,
      averageHeartrate: 151.2,
      maxHeartrate: 181,
      summaryPolyline: 'abc',
      gearId: 'g12345',
    });
  });

  it('leaves out what Strava does not know: no heart rate, no GPS', () => {
    const bare = {
      ...activity,
      has_heartrate: false,
      average_heartrate: undefined,
      map: { id: 'a2', summary_polyline: null, resource_state: 2 },
    };
    expect(toRun(bare as StravaSummaryActivity)).toMatchObject({
      averageHeartrate: null,
      maxHeartrate: null,
      summaryPolyline: null,
    });
  });

  it('maps no gear, or a gear id the data-service would refuse, to null', () => {
    expect(toRun({ ...activity, gear_id: null }).gearId).toBeNull();
    expect(toRun({ ...activity, gear_id: 'g/../1' }).gearId).toBeNull();
  });

  it('keeps the configured sport types only', () => {
    const runs = new Set(['Run', 'TrailRun', 'VirtualRun']);
    expect(isRun(activity, runs)).toBe(true);
    expect(isRun({ sport_type: 'Ride' }, runs)).toBe(false);
  });
});

describe('toShoes', () => {
  it('maps SummaryGear to stored shoes, leaving out bad ids and cutting long names', () => {
    expect(
      toShoes([
        { id: 'g1', name: 'Daily', primary: true, retired: false, distance: 812_000, resource_state: 2 },
        { id: 'g2', name: 'x'.repeat(300), primary: false, distance: -1, resource_state: 2 },
        { id: 'bad id', name: 'Nope', primary: false, retired: false, distance: 1, resource_state: 2 },
      ]),
    ).toEqual([
      { id: 'g1', name: 'Daily', primary: true, retired: false, distance: 812_000 },
      { id: 'g2', name: 'x'.repeat(255), primary: false, retired: false, distance: 0 },
    ]);
  });
});
