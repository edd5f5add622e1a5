import { describe, expect, it } from 'vitest';
import { routePath } from './route-path.js';

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
