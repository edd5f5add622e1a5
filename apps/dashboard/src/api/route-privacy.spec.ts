import { decodePolyline, encodePolyline, type LatLng } from '@runnerly/strava/polyline';
import { describe, expect, it } from 'vitest';
import { capPoints, haversine, privateRoute, trimRoute } from './route-privacy.js';

/** A straight line north from (48, 2): `count` points `step` metres apart. */
function line(count: number, step: number): LatLng[] {
  const degrees = step / 111_195;
  return Array.from({ length: count }, (_, i) => [48 + i * degrees, 2] as LatLng);
}

const length = (points: readonly LatLng[]) =>
  points.slice(1).reduce((sum, point, i) => sum + haversine(points[i]!, point), 0);

describe('route privacy', () => {
  it('measures metres along the ground', () => {
    expect(haversine([48, 2], [48.01, 2])).toBeCloseTo(1112, 0);
  });

  it('hides exactly the first and last 200 m, the cuts interpolated between points', () => {
    const route = line(11, 100); // 1 km
    const trimmed = trimRoute(route, 200);
    expect(length(trimmed)).toBeCloseTo(600, 1);
    expect(haversine(route[0]!, trimmed[0]!)).toBeCloseTo(200, 1);
    expect(haversine(route.at(-1)!, trimmed.at(-1)!)).toBeCloseTo(200, 1);
    // A cut inside a segment: 150 m in lies halfway between the second and third points.
    const cut = trimRoute(route, 150);
    expect(haversine(route[0]!, cut[0]!)).toBeCloseTo(150, 1);
    expect(cut).toHaveLength(9);
  });

  it('hides a route no longer than both zones whole, and nothing at 0 m', () => {
    expect(trimRoute(line(4, 100), 200)).toEqual([]);
    expect(trimRoute(line(5, 100), 0)).toEqual(line(5, 100));
    expect(privateRoute(encodePolyline(line(4, 100)), 200)).toBeUndefined();
  });

  it('bounds the points of a route, keeping both ends', () => {
    const route = line(1000, 10);
    const capped = capPoints(route, 300);
    expect(capped).toHaveLength(300);
    expect(capped[0]).toEqual(route[0]);
    expect(capped.at(-1)).toEqual(route.at(-1));
  });

  it('gives back an encoded polyline whose ends lie 200 m inside the original', () => {
    const route = line(21, 100);
    const shown = decodePolyline(privateRoute(encodePolyline(route), 200)!);
    expect(haversine(route[0]!, shown[0]!)).toBeGreaterThan(199);
    expect(haversine(route.at(-1)!, shown.at(-1)!)).toBeGreaterThan(199);
  });
});
