import { describe, expect, it } from 'vitest';
import { decodePolyline, encodePolyline, type LatLng } from './polyline.js';

const GOOGLE_EXAMPLE = '_p~iF~ps|U_ulLnnqC_mqNvxq`@';
const points: LatLng[] = [
  [38.5, -120.2],
  [40.7, -120.95],
  [43.252, -126.453],
];

describe('polyline', () => {
  it("round-trips Google's reference example", () => {
    expect(encodePolyline(points)).toBe(GOOGLE_EXAMPLE);
    expect(decodePolyline(GOOGLE_EXAMPLE)).toEqual(points);
  });

  it('gives nothing for an empty string and stops cleanly on a truncated one', () => {
    expect(decodePolyline('')).toEqual([]);
    expect(decodePolyline('_p~iF~ps|U_ulL')).toEqual([[38.5, -120.2]]);
  });

  it('returns the points decoded before the cut, wherever the string is cut, and never throws', () => {
    // The example's three points end after 10, 18 and 27 characters.
    for (let length = 0; length <= GOOGLE_EXAMPLE.length; length += 1) {
      const whole = [10, 18, 27].filter((end) => end <= length).length;
      expect(decodePolyline(GOOGLE_EXAMPLE.slice(0, length)), `cut at ${length}`).toEqual(points.slice(0, whole));
    }
    expect(() => decodePolyline('\u0000~~~~ not a polyline \uffff')).not.toThrow();
  });

  it('takes another precision (polyline6)', () => {
    expect(decodePolyline(encodePolyline(points, 6), 6)).toEqual(points);
  });
});
