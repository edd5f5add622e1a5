/**
 * The athlete's local calendar: Strava's `timezone` (`(GMT+09:00) Asia/Tokyo`) names the IANA zone
 * after the offset; "today" is the date on the wall clock there.
 */

const IANA_ZONE = /^\(GMT[+-]\d{2}:\d{2}\)\s+(\S+)$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The IANA zone of a Strava `timezone`, or undefined when it names none Node knows. */
export function ianaZone(stravaTimezone: string | null | undefined): string | undefined {
  const zone = IANA_ZONE.exec(stravaTimezone?.trim() ?? '')?.[1];
  if (zone === undefined) return undefined;
  return formatter(zone) ? zone : undefined;
}

function formatter(zone: string): Intl.DateTimeFormat | undefined {
  let format = formatters.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      return undefined;
    }
    if (formatters.size > 1000) formatters.clear();
    formatters.set(zone, format);
  }
  return format;
}

/** `YYYY-MM-DD` on the wall clock of `zone` (UTC when unknown) at `now`. */
export function localDate(now: Date, zone: string | undefined): string {
  const parts = (zone ? formatter(zone) : undefined)?.formatToParts(now);
  if (!parts) return now.toISOString().slice(0, 10);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** 1 for 1 January. */
export function dayOfYear(date: string): number {
  const year = Number(date.slice(0, 4));
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
}
