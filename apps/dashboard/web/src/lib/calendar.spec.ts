import { describe, expect, it } from 'vitest';
import { calendarRange, levelOf, levelThresholds, monthStarts, moveInGrid, weekGrid } from './calendar.js';
import { addDays, dayOfYear, mondayOf, weekdayIndex } from './days.js';

describe('days', () => {
  it('counts Monday first and crosses years and leap days without a time zone', () => {
    expect(weekdayIndex('2026-03-02')).toBe(0); // Monday
    expect(weekdayIndex('2026-03-08')).toBe(6); // Sunday
    expect(mondayOf('2026-03-08')).toBe('2026-03-02');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30'); // over a European DST change
    expect(dayOfYear('2024-12-31')).toBe(366);
  });
});

describe('calendarRange', () => {
  it('covers 53 whole weeks from a Monday to today', () => {
    const { from, to } = calendarRange('2026-12-01'); // a Tuesday
    expect(weekdayIndex(from)).toBe(0);
    expect(from).toBe('2025-12-01');
    expect(to).toBe('2026-12-01');
  });
});

describe('weekGrid', () => {
  const today = '2026-12-02'; // Wednesday
  const days = [
    { date: '2026-12-02', distance: 12_400, runs: 1 },
    { date: '2026-11-30', distance: 3000, runs: 2 },
    { date: '2025-11-01', distance: 50_000, runs: 1 }, // before the range: not drawn, not scaled
  ];
  const grid = weekGrid(days, today);

  it('has 53 columns of 7 days, Monday first, nothing after today', () => {
    expect(grid).toHaveLength(53);
    expect(grid.every((week) => week.length === 7)).toBe(true);
    const last = grid.at(-1)!;
    expect(last.map((cell) => cell?.date ?? null)).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      null,
      null,
      null,
      null,
    ]);
    expect(grid[0]![0]!.date).toBe('2025-12-01');
  });

  it('puts each day’s distance and runs in its cell, with levels by the runner’s own quartiles', () => {
    const last = grid.at(-1)!;
    expect(last[0]).toMatchObject({ distance: 3000, runs: 2 });
    expect(last[1]).toMatchObject({ distance: 0, runs: 0, level: 0 });
    expect(last[2]).toMatchObject({ distance: 12_400, runs: 1 });
    expect(last[2]!.level).toBeGreaterThan(last[0]!.level);
    expect(last[0]!.level).toBeGreaterThan(0);
  });

  it('labels months where they start', () => {
    const starts = monthStarts(grid);
    expect(starts[0]!.date).toBe('2025-12-01');
    expect(starts.at(-1)!.date).toBe('2026-12-01');
    expect(starts).toHaveLength(13);
  });
});

describe('levels', () => {
  it('steps up at the quartiles of the days with runs', () => {
    const thresholds = levelThresholds(
      [1, 2, 3, 4, 5, 6, 7, 8].map((km) => ({ date: 'x', distance: km * 1000, runs: 1 })),
    );
    expect(thresholds).toEqual([3000, 5000, 7000]);
    expect(levelOf(0, 0, thresholds)).toBe(0);
    expect(levelOf(1000, 1, thresholds)).toBe(1);
    expect(levelOf(3000, 1, thresholds)).toBe(2);
    expect(levelOf(6000, 1, thresholds)).toBe(3);
    expect(levelOf(9000, 1, thresholds)).toBe(4);
    expect(levelOf(0, 1, thresholds)).toBe(1); // a run without distance (treadmill without a sensor) still shows
  });
});

describe('moveInGrid', () => {
  const grid = weekGrid([], '2026-12-02');
  it('moves by day and week, stays inside, and never lands after today', () => {
    expect(moveInGrid('ArrowDown', { week: 0, day: 0 }, grid)).toEqual({ week: 0, day: 1 });
    expect(moveInGrid('ArrowLeft', { week: 0, day: 3 }, grid)).toEqual({ week: 0, day: 3 });
    expect(moveInGrid('ArrowRight', { week: 51, day: 6 }, grid)).toEqual({ week: 52, day: 2 });
    expect(moveInGrid('End', { week: 52, day: 0 }, grid)).toEqual({ week: 52, day: 2 });
    expect(moveInGrid('PageUp', { week: 2, day: 4 }, grid)).toEqual({ week: 0, day: 4 });
    expect(moveInGrid('Tab', { week: 2, day: 4 }, grid)).toBeUndefined();
  });
});
