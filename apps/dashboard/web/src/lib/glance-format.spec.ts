import { describe, expect, it } from 'vitest';
import { dayLabel, plural, roundDistance } from './glance-format.js';

describe('dayLabel', () => {
  it('names the day, the distance in the unit and the runs', () => {
    expect(dayLabel({ date: '2026-03-03', distance: 12_400, runs: 1 }, 'km', 'en-GB')).toBe(
      'Tue 3 Mar 2026: 12.4 km, 1 run',
    );
    expect(dayLabel({ date: '2026-03-03', distance: 16_093.44, runs: 2 }, 'mi', 'en-GB')).toBe(
      'Tue 3 Mar 2026: 10.0 mi, 2 runs',
    );
    expect(dayLabel({ date: '2026-03-04', distance: 0, runs: 0 }, 'km', 'en-GB')).toBe('Wed 4 Mar 2026: no run');
  });
});

describe('numbers', () => {
  it('rounds figures and counts in words', () => {
    expect(roundDistance(1_234_567, 'km', 'en-US')).toBe('1,235 km');
    expect(roundDistance(1_609_344, 'mi', 'en-US')).toBe('1,000 mi');
    expect(plural(1, 'day')).toBe('1 day');
    expect(plural(0, 'day')).toBe('0 days');
  });
});
