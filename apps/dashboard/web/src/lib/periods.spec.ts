import { describe, expect, it } from 'vitest';
import { currentTotals, periodStart, weeklySeries } from './periods.js';

const wednesday = new Date(2026, 10, 25, 18, 30); // 2026-11-25, a Wednesday

describe('periodStart', () => {
  it('starts weeks on Monday, months and years on the 1st', () => {
    expect(periodStart(wednesday, 'week')).toBe('2026-11-23');
    expect(periodStart(new Date(2026, 10, 29), 'week')).toBe('2026-11-23'); // Sunday
    expect(periodStart(new Date(2026, 10, 23), 'week')).toBe('2026-11-23'); // Monday itself
    expect(periodStart(wednesday, 'month')).toBe('2026-11-01');
    expect(periodStart(wednesday, 'year')).toBe('2026-01-01');
  });
});

describe('weeklySeries', () => {
  it('fills the weeks without runs with zeros, oldest first, across a year end', () => {
    const series = weeklySeries(
      [
        { periodStart: '2026-11-23', count: 2, distance: 15_000, movingTime: 4500, elevationGain: 80 },
        { periodStart: '2026-11-09T00:00:00.000Z', count: 1, distance: 5000, movingTime: 1500, elevationGain: 10 },
        { periodStart: '2025-01-06', count: 9, distance: 99_000, movingTime: 1, elevationGain: 1 },
      ],
      3,
      wednesday,
    );
    expect(series.map((week) => [week.periodStart, week.distance])).toEqual([
      ['2026-11-09', 5000],
      ['2026-11-16', 0],
      ['2026-11-23', 15_000],
    ]);
    expect(weeklySeries([], 2, new Date(2027, 0, 2)).map((week) => week.periodStart)).toEqual([
      '2026-12-21',
      '2026-12-28',
    ]);
  });
});

describe('currentTotals', () => {
  it('picks the period holding today, or zeros', () => {
    const items = [{ periodStart: '2026-11-01', count: 4, distance: 30_000, movingTime: 9000, elevationGain: 200 }];
    expect(currentTotals(items, 'month', wednesday).count).toBe(4);
    expect(currentTotals(items, 'year', wednesday)).toMatchObject({ periodStart: '2026-01-01', count: 0, distance: 0 });
  });
});
