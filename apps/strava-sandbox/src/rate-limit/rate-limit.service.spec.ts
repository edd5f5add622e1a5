import { parseConfig } from '@runnerly/config';
import { describe, expect, it, vi } from 'vitest';
import { ClockService } from '../common/clock.service.js';
import { StravaSandboxConfigSchema } from '../config.js';
import { SettingsService } from '../settings/settings.service.js';
import { RateLimitService } from './rate-limit.service.js';

function setup(now: string) {
  vi.useFakeTimers({ now: new Date(now), toFake: ['Date'] });
  const clock = new ClockService();
  const settings = new SettingsService(
    parseConfig(StravaSandboxConfigSchema, { STRAVA_SANDBOX_RATE_LIMIT_15MIN: '2' }),
  );
  return { clock, settings, limits: new RateLimitService(settings, clock) };
}

describe('RateLimitService', () => {
  it('limits per quarter hour UTC and starts a new window at :15', () => {
    const { clock, limits } = setup('2026-11-23T10:14:00Z');
    limits.reset();
    expect(limits.record().limited).toBe(false);
    expect(limits.record().limited).toBe(false);
    const third = limits.record();
    expect(third.limited).toBe(true);
    expect(third.headers['X-RateLimit-Usage']).toBe('3,3');
    clock.advance(60); // 10:15:00
    const next = limits.record();
    expect(next.limited).toBe(false);
    expect(next.headers).toEqual({
      'X-RateLimit-Limit': '2,2000',
      'X-RateLimit-Usage': '1,4',
      'X-ReadRateLimit-Limit': '100,1000',
      'X-ReadRateLimit-Usage': '1,4',
    });
    vi.useRealTimers();
  });

  it('resets the daily count at midnight UTC', () => {
    const { clock, limits, settings } = setup('2026-11-23T23:59:30Z');
    settings.update({ rateLimits: { overall15min: 5000, read15min: 5000, readDaily: 5000 } });
    limits.reset();
    limits.setUsage(undefined, 1999);
    expect(limits.record().limited).toBe(false);
    expect(limits.record().limited).toBe(true);
    clock.advance(60);
    expect(limits.record().headers['X-RateLimit-Usage']).toBe('1,1');
    vi.useRealTimers();
  });
});
