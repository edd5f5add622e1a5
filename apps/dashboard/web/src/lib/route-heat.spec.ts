import { describe, expect, it } from 'vitest';
import { areaSize, boundsOf, fitBounds, haversine, mainCluster, mercator } from './route-heat.js';

describe('mercator', () => {
  it('puts (0, 0) in the middle, north up, east right', () => {
    expect(mercator([0, 0])).toEqual([0.5, 0.5]);
    const [x, y] = mercator([35.67, 139.69]);
    expect(x).toBeGreaterThan(0.5);
    expect(y).toBeLessThan(0.5);
    expect(mercator([-33.89, 151.27])[1]).toBeGreaterThan(0.5);
  });
});

describe('fitBounds', () => {
  it('keeps the aspect and centres the routes in the box', () => {
    const bounds = { minX: 0, minY: 0, maxX: 2, maxY: 1 };
    const { scale, dx, dy } = fitBounds(bounds, 200, 200, 0);
    expect(scale).toBe(100);
    expect([0 * scale + dx, 2 * scale + dx]).toEqual([0, 200]);
    expect([0 * scale + dy, 1 * scale + dy]).toEqual([50, 150]);
  });
});

describe('mainCluster', () => {
  it('leaves out a far-away trip so home stays readable', () => {
    const home = [0.1, 0.2] as [number, number];
    const near = (d: number): Array<[number, number]> => [
      [home[0] + d, home[1]],
      [home[0] + d, home[1] + 0.0001],
    ];
    const trip: Array<[number, number]> = [
      [0.8, 0.3],
      [0.8001, 0.3],
    ];
    const kept = mainCluster([near(0), near(0.0001), trip, near(-0.0002)]);
    expect(kept).toHaveLength(3);
    expect(kept).not.toContain(trip);
    expect(boundsOf(kept)!.maxX).toBeLessThan(0.2);
  });
});

describe('distances', () => {
  it('measures a degree of latitude as about 111 km, and the size of an area', () => {
    expect(haversine([0, 0], [1, 0])).toBeCloseTo(111_195, -2);
    const [x1, y1] = mercator([52.5, 13.3]);
    const [x2, y2] = mercator([52.51, 13.4]);
    const size = areaSize({ minX: x1, minY: y2, maxX: x2, maxY: y1 });
    expect(size.height).toBeCloseTo(1112, -1);
    expect(size.width).toBeCloseTo(6770, -2);
  });
});
