import { describe, expect, it } from 'vitest';
import { decodePolyline, routePath } from './polyline.js';

describe('decodePolyline', () => {
  it("decodes Google's reference example", () => {
    expect(decodePolyline('_p~iF~ps|U_ulLnnqC_mqNvxq`@')).toEqual([
      [38.5, -120.2],
      [40.7, -120.95],
      [43.252, -126.453],
    ]);
  });

  it('gives nothing for an empty string and stops cleanly on a truncated one', () => {
    expect(decodePolyline('')).toEqual([]);
    expect(decodePolyline('_p~iF~ps|U_ulL')).toEqual([[38.5, -120.2]]);
  });
});

describe('routePath', () => {
  it('fits the route in the box, north up, keeping its proportions', () => {
    // A 0.01° square at the equator: the path must be a square, centred in a wide box.
    const path = routePath(
      [
        [0, 0],
        [0.01, 0],
        [0.01, 0.01],
        [0, 0.01],
      ],
      200,
      100,
      0,
    );
    expect(path).toBe('M50.0 100.0 L50.0 0.0 L150.0 0.0 L150.0 100.0');
  });

  it('draws a single point without dividing by zero', () => {
    expect(routePath([[1, 1]], 10, 10)).toBe('M5.0 5.0');
    expect(routePath([], 10, 10)).toBe('');
  });
});
