import { describe, expect, it } from 'vitest';
import {
  formatDistance,
  formatDuration,
  formatElevation,
  formatHours,
  formatPace,
  parseDistance,
  parseUnit,
} from './units.js';

describe('units and formats', () => {
  it('formats distances in km and miles', () => {
    expect(formatDistance(10_000, 'km')).toBe('10.00 km');
    expect(formatDistance(1609.344 * 3.1, 'mi')).toBe('3.10 mi');
  });

  it('formats durations with and without hours', () => {
    expect(formatDuration(605)).toBe('10:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(59.6)).toBe('1:00');
  });

  it('formats pace per km and per mile', () => {
    expect(formatPace(10_000, 3000, 'km')).toBe('5:00 /km');
    expect(formatPace(1609.344, 480, 'mi')).toBe('8:00 /mi');
    expect(formatPace(0, 100, 'km')).toBe('–');
  });

  it('formats elevation and hours', () => {
    expect(formatElevation(100, 'km')).toBe('100 m');
    expect(formatElevation(100, 'mi')).toBe('328 ft');
    expect(formatHours(5 * 3600 + 7 * 60)).toBe('5 h 07 min');
    expect(formatHours(1500)).toBe('25 min');
  });

  it('reads a typed distance as whole metres, within its bound', () => {
    expect(parseDistance('10', 'km', 100)).toBe(10_000);
    expect(parseDistance('1', 'mi', 100)).toBe(1609);
    expect(parseDistance('100', 'km', 100)).toBe(100_000);
    for (const typed of ['', '0', '-5', 'ten', 'Infinity', '100.5'])
      expect(parseDistance(typed, 'km', 100)).toBeUndefined();
  });

  it('reads a stored unit, defaulting to km', () => {
    expect(parseUnit('mi')).toBe('mi');
    expect(parseUnit(null)).toBe('km');
    expect(parseUnit('furlongs')).toBe('km');
  });
});
