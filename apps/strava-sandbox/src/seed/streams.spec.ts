import { computeBestEfforts } from '@runnerly/best-efforts';
import { decodePolyline } from '@runnerly/strava';
import { describe, expect, it } from 'vitest';
import { activityStreams, plantedSegment } from './streams.js';
import { generateWorld } from './world.js';

describe('activityStreams', () => {
  const world = generateWorld(42, 2, new Date('2026-11-23T00:00:00Z'));
  const runs = world.activities.filter((a) => a.sport_type.endsWith('Run'));

  it('is deterministic and agrees with the activity: distance, elapsed and moving time', () => {
    for (const activity of runs.slice(0, 80)) {
      const streams = activityStreams(activity)!;
      expect(activityStreams(structuredClone(activity))).toEqual(streams);
      const n = streams.time.length;
      expect(streams.distance).toHaveLength(n);
      expect(streams.altitude).toHaveLength(n);
      expect(streams.time[0]).toBe(0);
      expect(streams.time[n - 1]).toBe(activity.elapsed_time);
      expect(streams.distance[n - 1]).toBe(activity.distance);
      // One sample a moving second; the stop is one gap of elapsed − moving seconds.
      expect(n - 1).toBe(activity.moving_time);
      const gaps = streams.time.slice(1).map((t, i) => t - streams.time[i]!);
      expect(Math.max(...gaps)).toBe(1 + activity.elapsed_time - activity.moving_time);
      for (let i = 1; i < n; i += 1) expect(streams.distance[i]!).toBeGreaterThanOrEqual(streams.distance[i - 1]!);
      if (activity.has_heartrate) expect(streams.heartrate).toHaveLength(n);
      else expect(streams.heartrate).toBeUndefined();
    }
  });

  it('follows the summary polyline; runs without GPS have no latlng; manual activities no streams', () => {
    const withGps = runs.find((a) => a.map.summary_polyline)!;
    const streams = activityStreams(withGps)!;
    const polyline = decodePolyline(withGps.map.summary_polyline!);
    expect(streams.latlng![0]![0]).toBeCloseTo(polyline[0]![0], 4);
    expect(streams.latlng![streams.latlng!.length - 1]![1]).toBeCloseTo(polyline[polyline.length - 1]![1], 4);
    const treadmill = runs.find((a) => !a.map.summary_polyline)!;
    expect(activityStreams(treadmill)!.latlng).toBeUndefined();
    const manual = world.activities.find((a) => a.manual)!;
    expect(activityStreams(manual)).toBeUndefined();
  });

  it('plants a few fastest segments, and the best-efforts engine finds each to the second', () => {
    const planted = runs.map((activity) => ({ activity, segment: plantedSegment(activity) })).filter((p) => p.segment);
    expect(planted.length).toBeGreaterThan(runs.length / 40);
    expect(planted.length).toBeLessThan(runs.length / 10);
    for (const { activity, segment } of planted) {
      const streams = activityStreams(activity)!;
      const result = computeBestEfforts(streams, {
        distance: activity.distance,
        elapsedTime: activity.elapsed_time,
        movingTime: activity.moving_time,
      });
      expect(result.source).toBe('streams');
      const found = result.efforts.find((effort) => effort.distance === segment!.distance)!;
      expect(Math.abs(found.elapsedTime - segment!.elapsedTime), `activity ${activity.id}`).toBeLessThanOrEqual(1);
      expect(Math.abs(found.startOffset - segment!.startOffset)).toBeLessThanOrEqual(1);
    }
  });
});
