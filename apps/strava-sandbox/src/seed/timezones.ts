/** Strava's `timezone` and `utc_offset` for an instant in an IANA zone. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, format);
  }
  return format;
}

/** The zone's offset from UTC at `instant`, in seconds (DST included). */
export function utcOffsetSeconds(zone: string, instant: Date): number {
  const name = formatter(zone)
    .formatToParts(instant)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}

function hhmm(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  return `${sign}${String(Math.floor(abs / 3600)).padStart(2, '0')}:${String(Math.floor((abs % 3600) / 60)).padStart(2, '0')}`;
}

/** `(GMT-08:00) America/Los_Angeles`: Strava writes the zone's standard offset, whatever the date. */
export function stravaTimezone(zone: string, year: number): string {
  const winter = utcOffsetSeconds(zone, new Date(Date.UTC(year, 0, 15)));
  const summer = utcOffsetSeconds(zone, new Date(Date.UTC(year, 6, 15)));
  return `(GMT${hhmm(Math.min(winter, summer))}) ${zone}`;
}

/** An ISO date-time without milliseconds, always with `Z` (Strava writes local times that way too). */
export function stravaDateTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
