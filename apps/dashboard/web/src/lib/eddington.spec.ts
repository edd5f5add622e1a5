import { describe, expect, it } from 'vitest';
import { distanceByDay, eddington } from './eddington.js';
import { METERS_PER_MILE } from './units.js';

describe('eddington', () => {
  it('is the largest n with n days of at least n, and says how many days the next needs', () => {
    // 5 days: 10, 8, 5, 4, 3 km → E = 4 (four days ≥ 4 km); E = 5 needs 5 days ≥ 5 km: 3 done, 2 to go.
    expect(eddington([10_000, 8000, 5000, 4000, 3000], 1000)).toEqual({ number: 4, nextNeeded: 2 });
    expect(eddington([], 1000)).toEqual({ number: 0, nextNeeded: 1 });
    expect(eddington([999], 1000)).toEqual({ number: 0, nextNeeded: 1 });
    expect(eddington([1000], 1000)).toEqual({ number: 1, nextNeeded: 2 });
  });

  it('gives a smaller number in miles than in km for the same days', () => {
    const days = Array.from({ length: 30 }, (_, i) => 5000 + i * 1000);
    expect(eddington(days, 1000).number).toBe(17); // 18 days ≥ 17 km, 17 days ≥ 18 km
    expect(eddington(days, METERS_PER_MILE).number).toBe(13); // 14 days ≥ 13 mi (20.9 km), 12 ≥ 14 mi
  });

  it('adds up the runs of one local day', () => {
    const days = distanceByDay([
      { startDateLocal: '2026-03-03T23:30:00Z', distance: 6000 },
      { startDateLocal: '2026-03-03T07:00:00Z', distance: 4000 },
      { startDateLocal: '2026-03-04T00:10:00Z', distance: 2000 },
    ]);
    expect([...days]).toEqual([
      ['2026-03-03', 10_000],
      ['2026-03-04', 2000],
    ]);
  });
});
