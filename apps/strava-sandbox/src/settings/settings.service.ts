import { Inject, Injectable } from '@nestjs/common';
import { STRAVA_SANDBOX_CONFIG, type StravaSandboxConfig } from '../config.js';

export interface RateLimitSettings {
  overall15min: number;
  overallDaily: number;
  read15min: number;
  readDaily: number;
}

export interface ShortPageSettings {
  /** Every Nth page comes back short before the end; 0 turns it off. */
  every: number;
  /** How much of the page a short page holds (0..1). */
  fraction: number;
}

export interface ProgramSettings {
  /** Strava's 2026 program: the owner has no subscription, every call answers 403. */
  appInactive: boolean;
  /** How many athletes may be connected at once (Standard tier: about 10); null: no limit. */
  athleteLimit: number | null;
}

export interface SandboxSettings {
  rateLimits: RateLimitSettings;
  shortPages: ShortPageSettings;
  program: ProgramSettings;
  /** Whether a refresh that issues a new access token also rotates the refresh token. */
  rotateRefreshTokens: boolean;
  webhookRetryDelayMs: number;
}

/** The sandbox's switchable behaviour, starting from the configuration; the admin API changes it. */
@Injectable()
export class SettingsService {
  private current: SandboxSettings;

  constructor(@Inject(STRAVA_SANDBOX_CONFIG) private readonly config: StravaSandboxConfig) {
    this.current = this.defaults();
  }

  get(): SandboxSettings {
    return this.current;
  }

  update(patch: {
    rateLimits?: Partial<RateLimitSettings>;
    shortPages?: Partial<ShortPageSettings>;
    program?: Partial<ProgramSettings>;
    rotateRefreshTokens?: boolean;
    webhookRetryDelayMs?: number;
  }): SandboxSettings {
    this.current = {
      rateLimits: { ...this.current.rateLimits, ...patch.rateLimits },
      shortPages: { ...this.current.shortPages, ...patch.shortPages },
      program: { ...this.current.program, ...patch.program },
      rotateRefreshTokens: patch.rotateRefreshTokens ?? this.current.rotateRefreshTokens,
      webhookRetryDelayMs: patch.webhookRetryDelayMs ?? this.current.webhookRetryDelayMs,
    };
    return this.current;
  }

  reset(): void {
    this.current = this.defaults();
  }

  private defaults(): SandboxSettings {
    return {
      rateLimits: {
        overall15min: this.config.STRAVA_SANDBOX_RATE_LIMIT_15MIN,
        overallDaily: this.config.STRAVA_SANDBOX_RATE_LIMIT_DAILY,
        read15min: this.config.STRAVA_SANDBOX_READ_RATE_LIMIT_15MIN,
        readDaily: this.config.STRAVA_SANDBOX_READ_RATE_LIMIT_DAILY,
      },
      shortPages: { every: this.config.STRAVA_SANDBOX_SHORT_PAGE_EVERY, fraction: 0.5 },
      program: { appInactive: false, athleteLimit: null },
      rotateRefreshTokens: true,
      webhookRetryDelayMs: this.config.STRAVA_SANDBOX_WEBHOOK_RETRY_DELAY_MS,
    };
  }
}
