import type { CalendarCell } from './calendar.js';
import { dayAsDate } from './days.js';
import { formatDistance, type Unit } from './units.js';

const formats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(locale?: string): Intl.DateTimeFormat {
  const key = locale ?? '';
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
    formats.set(key, format);
  }
  return format;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "Tue 3 Mar 2026: 12.4 km, 1 run" (the order of the date's parts follows the locale). */
export function dayLabel(cell: Pick<CalendarCell, 'date' | 'distance' | 'runs'>, unit: Unit, locale?: string): string {
  const when = dayFormat(locale).format(dayAsDate(cell.date)).replace(/,/g, '');
  if (cell.runs === 0) return `${when}: no run`;
  return `${when}: ${formatDistance(cell.distance, unit, 1)}, ${plural(cell.runs, 'run')}`;
}

/** A whole distance for figures and axes: "1,234 km". */
export function roundDistance(meters: number, unit: Unit, locale?: string): string {
  const value = meters / (unit === 'km' ? 1000 : 1609.344);
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value)} ${unit}`;
}
