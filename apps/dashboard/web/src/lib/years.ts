import type { CalendarDay } from './calendar.js';
import { dayOfYear, daysInYear, type IsoDay, yearOf } from './days.js';

/** A point of a cumulative line: metres run from 1 January up to and including day `day` of the year. */
export interface CumulativePoint {
  day: number;
  total: number;
}

/**
 * The cumulative distance through `year`, as the corners of a step line: a point at the start, one
 * on each day with runs, and one on the last day (31 December, or `today` for the current year).
 */
export function cumulativeSeries(days: CalendarDay[], year: number, today: IsoDay): CumulativePoint[] {
  const last = yearOf(today) === year ? dayOfYear(today) : daysInYear(year);
  if (yearOf(today) < year) return [];
  const points: CumulativePoint[] = [{ day: 0, total: 0 }];
  let total = 0;
  const inYear = days
    .filter((day) => yearOf(day.date) === year && day.date.slice(0, 10) <= today)
    .sort((a, b) => (a.date < b.date ? -1 : 1));
  for (const day of inYear) {
    total += day.distance;
    points.push({ day: dayOfYear(day.date), total });
  }
  if (points.at(-1)!.day < last) points.push({ day: last, total });
  return points;
}

/** Where the runner stands against a yearly goal on `today`. */
export interface GoalStanding {
  /** 0–1+ of the goal done. */
  fraction: number;
  /** Metres the runner is ahead (+) or behind (−) an even spread of the goal over the year. */
  ahead: number;
  /** Metres a day needed from tomorrow to reach the goal (0 when reached). */
  perDayNeeded: number;
}

export function goalStanding(goal: number, done: number, today: IsoDay, year: number): GoalStanding {
  const total = daysInYear(year);
  const elapsed = yearOf(today) > year ? total : yearOf(today) < year ? 0 : dayOfYear(today);
  const left = total - elapsed;
  return {
    fraction: goal > 0 ? done / goal : 0,
    ahead: done - (goal * elapsed) / total,
    perDayNeeded: done >= goal ? 0 : left > 0 ? (goal - done) / left : goal - done,
  };
}

/** A round top for a chart axis, at or above `value` (10 when there is nothing). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 10;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * magnitude >= value - 1e-9)!;
  return step * magnitude;
}

/** The corners of a step line from the API's cumulative metres per day (day 1 first). */
export function cumulativeFromTotals(cumulative: number[]): CumulativePoint[] {
  const points: CumulativePoint[] = [{ day: 0, total: 0 }];
  cumulative.forEach((total, index) => {
    if (total !== points.at(-1)!.total) points.push({ day: index + 1, total });
  });
  if (cumulative.length > 0 && points.at(-1)!.day < cumulative.length) {
    points.push({ day: cumulative.length, total: cumulative.at(-1)! });
  }
  return points;
}
