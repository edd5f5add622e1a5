/** "just now", "5 minutes ago", "yesterday"… for the last sync time. */
export function formatRelative(when: Date, now: Date, locale?: string): string {
  const seconds = Math.round((when.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['minute', 60],
    ['hour', 3600],
    ['day', 86_400],
  ];
  for (const [unit, size] of steps.reverse()) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds / 60), 'minute');
}

/**
 * A run's local wall-clock start (`2026-11-20T07:12:00`, no offset: the time where it was run) as
 * a Date whose local fields are those numbers, so that formatting never shifts it by a time zone.
 */
export function wallClock(startDateLocal: string): Date {
  const [date = '', time = '00:00:00'] = startDateLocal.replace(/Z$/, '').split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm, ss] = time.split(':').map((part) => Number.parseInt(part, 10));
  return new Date(y!, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0, ss ?? 0);
}
