import type { CalendarDay } from '@runnerly/data-client/contract';
import { addDays, daysBetween, type IsoDay, mondayOf } from './days.js';

/** One day of `GET /api/calendar` (only days with runs are listed). */
export type { CalendarDay };

export interface CalendarCell extends CalendarDay {
  /** 0: no run; 1–4: the colour step of the distance. */
  level: number;
}

export const CALENDAR_WEEKS = 53;

/** The days the heatmap shows: 53 whole weeks, Monday first, the last one holding `today`. */
export function calendarRange(today: IsoDay, weeks = CALENDAR_WEEKS): { from: IsoDay; to: IsoDay } {
  return { from: addDays(mondayOf(today), -7 * (weeks - 1)), to: today };
}

/**
 * The distances where the colour steps up: the quartiles of the days with runs, so that the scale
 * follows the runner's own habits (a 5 km day is a big one for some, a rest day for others).
 * Three ascending thresholds; a day at or above `thresholds[i]` gets level i + 2.
 */
export function levelThresholds(days: CalendarDay[]): [number, number, number] {
  const distances = days
    .map((day) => day.distance)
    .filter((distance) => distance > 0)
    .sort((a, b) => a - b);
  if (distances.length === 0) return [0, 0, 0];
  const at = (q: number) => distances[Math.min(distances.length - 1, Math.floor(q * distances.length))]!;
  return [at(0.25), at(0.5), at(0.75)];
}

export function levelOf(distance: number, runs: number, thresholds: [number, number, number]): number {
  if (runs <= 0 && distance <= 0) return 0;
  let level = 1;
  for (const threshold of thresholds) if (threshold > 0 && distance >= threshold) level += 1;
  return level;
}

/**
 * The grid of the heatmap: `weeks` columns of 7 days (Monday first), oldest week first, with every
 * day from `from` up to `today` (days without runs at level 0) and `null` after today.
 */
export function weekGrid(
  days: CalendarDay[],
  today: IsoDay,
  weeks = CALENDAR_WEEKS,
): Array<Array<CalendarCell | null>> {
  const { from } = calendarRange(today, weeks);
  const byDate = new Map(days.map((day) => [day.date.slice(0, 10), day]));
  const thresholds = levelThresholds(days.filter((day) => day.date >= from && day.date <= today));
  const grid: Array<Array<CalendarCell | null>> = [];
  for (let w = 0; w < weeks; w += 1) {
    const column: Array<CalendarCell | null> = [];
    for (let d = 0; d < 7; d += 1) {
      const date = addDays(from, w * 7 + d);
      if (daysBetween(date, today) < 0) {
        column.push(null);
        continue;
      }
      const day = byDate.get(date);
      const distance = day?.distance ?? 0;
      const runs = day?.runs ?? 0;
      column.push({ date, distance, runs, level: levelOf(distance, runs, thresholds) });
    }
    grid.push(column);
  }
  return grid;
}

/** Where a key press moves the focus in the grid (week = column, day = row); undefined: not ours. */
export function moveInGrid(
  key: string,
  position: { week: number; day: number },
  grid: Array<Array<CalendarCell | null>>,
): { week: number; day: number } | undefined {
  const { week, day } = position;
  const candidates: Record<string, { week: number; day: number }> = {
    ArrowRight: { week: week + 1, day },
    ArrowLeft: { week: week - 1, day },
    ArrowDown: { week, day: day + 1 },
    ArrowUp: { week, day: day - 1 },
    Home: { week, day: 0 },
    End: { week, day: 6 },
    PageUp: { week: week - 4, day },
    PageDown: { week: week + 4, day },
  };
  const next = candidates[key];
  if (!next) return undefined;
  const lastWeek = grid.length - 1;
  let target = { week: Math.max(0, Math.min(lastWeek, next.week)), day: Math.max(0, Math.min(6, next.day)) };
  // Days after today are not cells: stop on the last real day.
  while (grid[target.week]?.[target.day] === null && (target.day > 0 || target.week > 0)) {
    target = target.day > 0 ? { week: target.week, day: target.day - 1 } : { week: target.week - 1, day: 6 };
  }
  return target;
}

/** The month labels above the grid: the first week column of each month, with the month's first day. */
export function monthStarts(grid: Array<Array<CalendarCell | null>>): Array<{ week: number; date: IsoDay }> {
  const starts: Array<{ week: number; date: IsoDay }> = [];
  grid.forEach((column, week) => {
    const first = column.find((cell) => cell && cell.date.endsWith('-01'));
    if (first) starts.push({ week, date: first.date });
  });
  return starts;
}
