/**
 * Calendar days as `YYYY-MM-DD` strings: the athlete's local days, as the API gives them. The
 * arithmetic runs on UTC dates, so that no time zone or daylight-saving change shifts a day.
 */
export type IsoDay = string;

const DAY_MS = 86_400_000;

function toUtc(day: IsoDay): number {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
}

function fromUtc(ms: number): IsoDay {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The browser's local calendar day holding `now` (the runner's today). */
export function localDay(now: Date): IsoDay {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function addDays(day: IsoDay, days: number): IsoDay {
  return fromUtc(toUtc(day) + days * DAY_MS);
}

export function daysBetween(from: IsoDay, to: IsoDay): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** 0 for Monday … 6 for Sunday. */
export function weekdayIndex(day: IsoDay): number {
  return (new Date(toUtc(day)).getUTCDay() + 6) % 7;
}

export function mondayOf(day: IsoDay): IsoDay {
  return addDays(day, -weekdayIndex(day));
}

export function yearOf(day: IsoDay): number {
  return Number(day.slice(0, 4));
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** 1 on 1 January. */
export function dayOfYear(day: IsoDay): number {
  return daysBetween(`${day.slice(0, 4)}-01-01`, day) + 1;
}

/** A Date whose local fields are the day's (for Intl formatting without a time-zone shift). */
export function dayAsDate(day: IsoDay): Date {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return new Date(y!, m! - 1, d!);
}
