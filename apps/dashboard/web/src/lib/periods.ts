import type { StatsItem, StatsPeriod } from '@runnerly/data-client/contract';

/** One row of `GET /api/stats`: totals of one calendar period (weeks start on Monday). */
export type PeriodTotals = StatsItem;
export type Period = StatsPeriod;

function isoDate(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** The first day (local calendar, `YYYY-MM-DD`) of the period holding `day`. */
export function periodStart(day: Date, period: Period): string {
  switch (period) {
    case 'week': {
      const monday = new Date(day.getFullYear(), day.getMonth(), day.getDate());
      monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7));
      return isoDate(monday);
    }
    case 'month':
      return isoDate(new Date(day.getFullYear(), day.getMonth(), 1));
    case 'year':
      return isoDate(new Date(day.getFullYear(), 0, 1));
  }
}

const EMPTY = { count: 0, distance: 0, movingTime: 0, elevationGain: 0 };

/** The totals of the period holding `today` (zeros when there was no run in it). */
export function currentTotals(items: PeriodTotals[], period: Period, today: Date): PeriodTotals {
  const start = periodStart(today, period);
  return items.find((item) => item.periodStart.slice(0, 10) === start) ?? { periodStart: start, ...EMPTY };
}

/**
 * The last `weeks` weeks up to the one holding `today`, oldest first, each with its totals: weeks
 * without runs are there too (with zeros), so that a chart shows the gaps.
 */
export function weeklySeries(items: PeriodTotals[], weeks: number, today: Date): PeriodTotals[] {
  const byStart = new Map(items.map((item) => [item.periodStart.slice(0, 10), item]));
  const monday = new Date(`${periodStart(today, 'week')}T00:00:00`);
  const series: PeriodTotals[] = [];
  for (let i = weeks - 1; i >= 0; i -= 1) {
    const start = new Date(monday);
    start.setDate(monday.getDate() - 7 * i);
    const key = isoDate(start);
    series.push({ ...EMPTY, ...byStart.get(key), periodStart: key });
  }
  return series;
}
