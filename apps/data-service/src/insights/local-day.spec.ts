import { describe, expect, it } from 'vitest';
import { dayOfYear, daysInYear, ianaZone, localDate } from './local-day.js';

describe('the athlete’s local day', () => {
  it('reads the IANA zone out of Strava’s timezone, refusing what Node does not know', () => {
    expect(ianaZone('(GMT+09:00) Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(ianaZone('(GMT-08:00) America/Los_Angeles')).toBe('America/Los_Angeles');
    expect(ianaZone('(GMT+00:00) Not/AZone')).toBeUndefined();
    expect(ianaZone('Asia/Tokyo')).toBeUndefined();
    expect(ianaZone(null)).toBeUndefined();
  });

  it('gives the date on the zone’s wall clock', () => {
    const instant = new Date('2026-03-01T15:30:00Z');
    expect(localDate(instant, 'Asia/Tokyo')).toBe('2026-03-02');
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2026-03-01');
    expect(localDate(new Date('2026-01-01T02:00:00Z'), 'America/New_York')).toBe('2025-12-31');
    expect(localDate(instant, undefined)).toBe('2026-03-01');
  });

  it('counts days of the year', () => {
    expect(dayOfYear('2026-01-01')).toBe(1);
    expect(dayOfYear('2024-12-31')).toBe(366);
    expect(dayOfYear('2026-03-01')).toBe(60);
    expect(daysInYear(2024)).toBe(366);
    expect(daysInYear(2100)).toBe(365);
  });
});
