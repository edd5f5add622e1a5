import { describe, expect, it } from 'vitest';
import { cumulativeFromTotals, cumulativeSeries, goalStanding, niceMax } from './years.js';

describe('cumulativeSeries', () => {
  const days = [
    { date: '2026-01-03', distance: 5000, runs: 1 },
    { date: '2025-12-31', distance: 9000, runs: 1 },
    { date: '2026-02-01', distance: 7000, runs: 2 },
    { date: '2026-12-25', distance: 1000, runs: 1 }, // after today: not yet
  ];
  it('adds up the year’s days and stops on today for the current year', () => {
    expect(cumulativeSeries(days, 2026, '2026-03-01')).toEqual([
      { day: 0, total: 0 },
      { day: 3, total: 5000 },
      { day: 32, total: 12_000 },
      { day: 60, total: 12_000 },
    ]);
  });
  it('runs to 31 December for a past year, and is empty for a future one', () => {
    expect(cumulativeSeries(days, 2025, '2026-03-01')).toEqual([
      { day: 0, total: 0 },
      { day: 365, total: 9000 },
    ]);
    expect(cumulativeSeries(days, 2027, '2026-03-01')).toEqual([]);
  });
});

describe('goalStanding', () => {
  it('compares what is done with an even spread of the goal', () => {
    // 1000 km goal, day 73 of 365 (14 March): even spread 200 km; 250 done → 50 km ahead.
    const standing = goalStanding(1_000_000, 250_000, '2026-03-14', 2026);
    expect(standing.fraction).toBe(0.25);
    expect(standing.ahead).toBeCloseTo(50_000, 6);
    expect(standing.perDayNeeded).toBeCloseTo(750_000 / 292, 6);
  });
  it('needs nothing more once reached', () => {
    expect(goalStanding(100_000, 120_000, '2026-06-01', 2026)).toMatchObject({ fraction: 1.2, perDayNeeded: 0 });
  });
});

describe('niceMax', () => {
  it('rounds up to a readable axis top', () => {
    expect(niceMax(0)).toBe(10);
    expect(niceMax(1234)).toBe(1500);
    expect(niceMax(2000)).toBe(2000);
    expect(niceMax(87)).toBe(100);
  });
});

describe('cumulativeFromTotals', () => {
  it('keeps the days where the total changes, and the last day', () => {
    expect(cumulativeFromTotals([0, 5000, 5000, 8000, 8000])).toEqual([
      { day: 0, total: 0 },
      { day: 2, total: 5000 },
      { day: 4, total: 8000 },
      { day: 5, total: 8000 },
    ]);
    expect(cumulativeFromTotals([])).toEqual([{ day: 0, total: 0 }]);
  });
});
