import { decodePolyline } from '@runnerly/strava';
import { describe, expect, it } from 'vitest';
import { stravaTimezone, utcOffsetSeconds } from './timezones.js';
import { generateWorld } from './world.js';

describe('generateWorld', () => {
  const end = new Date('2026-11-23T00:00:00Z');
  const world = generateWorld(42, 4, end);

  it('is deterministic for a seed', () => {
    const again = generateWorld(42, 4, end);
    expect(again.activities.length).toBe(world.activities.length);
    expect(again.activities[123]).toEqual(world.activities[123]);
    expect(generateWorld(7, 4, end).activities[0]).not.toEqual(world.activities[0]);
  });

  it('gives each athlete hundreds of runs over about three years, other sports mixed in', () => {
    expect(world.athletes).toHaveLength(4);
    for (const athlete of world.athletes) {
      const mine = world.activities.filter((a) => a.athlete.id === athlete.profile.id);
      const runs = mine.filter((a) => a.sport_type.endsWith('Run'));
      expect(runs.length).toBeGreaterThan(300);
      expect(mine.length - runs.length).toBeGreaterThan(50);
      const first = Date.parse(mine[0]!.start_date);
      expect((end.getTime() - first) / 86_400_000).toBeGreaterThan(1000);
    }
  });

  it('writes realistic, well-formed activities', () => {
    const ids = new Set(world.activities.map((a) => a.id));
    expect(ids.size).toBe(world.activities.length);
    for (const activity of world.activities) {
      expect(Number.isSafeInteger(activity.id)).toBe(true);
      expect(activity.start_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(activity.start_date_local).toMatch(/Z$/);
      expect(Date.parse(activity.start_date_local) - Date.parse(activity.start_date)).toBe(activity.utc_offset * 1000);
      if (activity.sport_type === 'Run') {
        const pace = activity.moving_time / (activity.distance / 1000);
        expect(pace).toBeGreaterThan(200);
        expect(pace).toBeLessThan(500);
      }
      if (activity.map.summary_polyline) {
        const points = decodePolyline(activity.map.summary_polyline);
        expect(points[0]![0]).toBeCloseTo((activity.start_latlng as number[])[0]!, 4);
      } else {
        expect(activity.start_latlng).toEqual([]);
      }
      if (activity.has_heartrate) expect(activity.max_heartrate).toBeGreaterThan(activity.average_heartrate!);
    }
    expect(world.activities.some((a) => a.has_heartrate)).toBe(true);
    expect(world.activities.some((a) => a.private)).toBe(true);
  });

  it("writes Strava's timezone label with the standard offset and utc_offset with DST", () => {
    expect(stravaTimezone('America/Los_Angeles', 2026)).toBe('(GMT-08:00) America/Los_Angeles');
    expect(stravaTimezone('Australia/Sydney', 2026)).toBe('(GMT+10:00) Australia/Sydney');
    expect(utcOffsetSeconds('America/Los_Angeles', new Date('2026-07-01T12:00:00Z'))).toBe(-25200);
    expect(utcOffsetSeconds('Europe/Berlin', new Date('2026-01-01T12:00:00Z'))).toBe(3600);
  });
});
