import { Injectable } from '@nestjs/common';
import { stravaWindow } from '@runnerly/strava';
import { ClockService } from '../common/clock.service.js';
import { SettingsService } from '../settings/settings.service.js';

interface Usage {
  windowStart: number;
  dayStart: number;
  overall15min: number;
  overallDaily: number;
  read15min: number;
  readDaily: number;
}

export interface RateLimitDecision {
  limited: boolean;
  headers: Record<string, string>;
}

/**
 * Per-application usage in Strava's windows: 15 minutes starting at :00/:15/:30/:45 UTC, and the
 * UTC day. Every request counts, the rejected ones too; "read" counts everything but uploads.
 */
@Injectable()
export class RateLimitService {
  private usage: Usage = this.fresh(0);

  constructor(
    private readonly settings: SettingsService,
    private readonly clock: ClockService,
  ) {}

  reset(): void {
    this.usage = this.fresh(this.clock.now().getTime());
  }

  /** Counts one request and says whether it is over a limit, with the four headers to send. */
  record(isUpload = false): RateLimitDecision {
    const usage = this.current();
    usage.overall15min += 1;
    usage.overallDaily += 1;
    if (!isUpload) {
      usage.read15min += 1;
      usage.readDaily += 1;
    }
    const limits = this.settings.get().rateLimits;
    const limited =
      usage.overall15min > limits.overall15min ||
      usage.overallDaily > limits.overallDaily ||
      (!isUpload && (usage.read15min > limits.read15min || usage.readDaily > limits.readDaily));
    return { limited, headers: this.headers() };
  }

  /** Admin: sets the current usage (both overall and read). */
  setUsage(fifteenMinute?: number, daily?: number): void {
    const usage = this.current();
    if (fifteenMinute !== undefined) usage.overall15min = usage.read15min = fifteenMinute;
    if (daily !== undefined) usage.overallDaily = usage.readDaily = daily;
  }

  snapshot(): {
    limits: ReturnType<SettingsService['get']>['rateLimits'];
    usage: Omit<Usage, 'windowStart' | 'dayStart'>;
  } {
    const { windowStart: _w, dayStart: _d, ...usage } = this.current();
    return { limits: this.settings.get().rateLimits, usage };
  }

  headers(): Record<string, string> {
    const usage = this.current();
    const limits = this.settings.get().rateLimits;
    return {
      'X-RateLimit-Limit': `${limits.overall15min},${limits.overallDaily}`,
      'X-RateLimit-Usage': `${usage.overall15min},${usage.overallDaily}`,
      'X-ReadRateLimit-Limit': `${limits.read15min},${limits.readDaily}`,
      'X-ReadRateLimit-Usage': `${usage.read15min},${usage.readDaily}`,
    };
  }

  private current(): Usage {
    const now = this.clock.now().getTime();
    const { windowStart, dayStart } = this.fresh(now);
    if (dayStart !== this.usage.dayStart) this.usage = this.fresh(now);
    else if (windowStart !== this.usage.windowStart) {
      this.usage = { ...this.usage, windowStart, overall15min: 0, read15min: 0 };
    }
    return this.usage;
  }

  private fresh(now: number): Usage {
    return {
      windowStart: stravaWindow('15min', now).start.getTime(),
      dayStart: stravaWindow('daily', now).start.getTime(),
      overall15min: 0,
      overallDaily: 0,
      read15min: 0,
      readDaily: 0,
    };
  }
}
