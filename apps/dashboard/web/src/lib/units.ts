export type Unit = 'km' | 'mi';

export const METERS_PER_MILE = 1609.344;
const FEET_PER_METER = 3.28084;
export const UNIT_STORAGE_KEY = 'runnerly.unit';

/** The unit kept from an earlier visit; km when nothing (or nonsense) is stored. */
export function parseUnit(stored: string | null | undefined): Unit {
  return stored === 'mi' ? 'mi' : 'km';
}

function metersPerUnit(unit: Unit): number {
  return unit === 'km' ? 1000 : METERS_PER_MILE;
}

export function formatDistance(meters: number, unit: Unit, digits = 2): string {
  return `${(meters / metersPerUnit(unit)).toFixed(digits)} ${unit}`;
}

/** 3725 → "1:02:05", 605 → "10:05". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.round(totalSeconds);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Time per km or per mile: "5:03 /km". Nothing sensible without distance. */
export function formatPace(meters: number, seconds: number, unit: Unit): string {
  if (!(meters > 0) || !(seconds > 0)) return '–';
  const perUnit = Math.round((seconds / meters) * metersPerUnit(unit));
  return `${Math.floor(perUnit / 60)}:${String(perUnit % 60).padStart(2, '0')} /${unit}`;
}

export function formatElevation(meters: number, unit: Unit): string {
  return unit === 'km' ? `${Math.round(meters)} m` : `${Math.round(meters * FEET_PER_METER)} ft`;
}

/** Total hours and minutes for a period: "5 h 07 min". */
export function formatHours(totalSeconds: number): string {
  const minutes = Math.round(totalSeconds / 60);
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
}

/** The distance in the unit, as a number (for charts). */
export function toUnit(meters: number, unit: Unit): number {
  return meters / metersPerUnit(unit);
}

/**
 * A distance the runner typed in their unit, as whole metres; undefined unless it is a number
 * above 0 and at most `max` (in that unit).
 */
export function parseDistance(value: string, unit: Unit, max: number): number | undefined {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || number > max) return undefined;
  return Math.round(number * metersPerUnit(unit));
}
