import { describe, expect, it } from 'vitest';
import { formatRelative, wallClock } from './time.js';

describe('formatRelative', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  it('says how long ago, in words', () => {
    expect(formatRelative(new Date('2026-11-23T09:59:50Z'), now, 'en')).toBe('just now');
    expect(formatRelative(new Date('2026-11-23T09:55:00Z'), now, 'en')).toBe('5 minutes ago');
    expect(formatRelative(new Date('2026-11-23T07:00:00Z'), now, 'en')).toBe('3 hours ago');
    expect(formatRelative(new Date('2026-11-22T10:00:00Z'), now, 'en')).toBe('yesterday');
  });
});

describe('wallClock', () => {
  it('keeps the local wall-clock fields, with or without a trailing Z', () => {
    const date = wallClock('2026-11-20T07:12:30Z');
    expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes()]).toEqual([
      2026, 10, 20, 7, 12,
    ]);
    expect(wallClock('2026-01-02T23:59:00').getDate()).toBe(2);
  });
});
