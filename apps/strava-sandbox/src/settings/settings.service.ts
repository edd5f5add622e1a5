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

/** Strava having a bad moment on one API path: 5xx answers or answers that never come in time. */
export interface FaultRule {
  /** The API path below `/api/v3/`, e.g. `athlete/activities`. */
  path: string;
  /** 500: Strava's own JSON error; 502, 503, 504: the HTML page of Strava's edge, without rate-limit headers. */
  status?: 500 | 502 | 503 | 504;
  /** Holds the request this long before answering it normally (longer than the client waits). */
  hangMs?: number;
  /** Matching requests let through before the first faulty answer. */
  afterRequests: number;
  /** Faulty answers to give; then the rule is spent. */
  count: number;
}

/** A rule and what it has done so far (shown by `GET /_sandbox/settings`). */
export interface ActiveFault extends FaultRule {
  /** Matching requests seen while the rule was live. */
  seen: number;
  /** Faulty answers given. */
  injected: number;
}

export interface SandboxSettings {
  rateLimits: RateLimitSettings;
  shortPages: ShortPageSettings;
  program: ProgramSettings;
  /** Whether a refresh that issues a new access token also rotates the refresh token. */
  rotateRefreshTokens: boolean;
  webhookRetryDelayMs: number;
  faults: ActiveFault[];
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
    /** Replaces the fault rules (`[]` clears them); their counts start again. */
    faults?: FaultRule[];
  }): SandboxSettings {
    this.current = {
      rateLimits: { ...this.current.rateLimits, ...patch.rateLimits },
      shortPages: { ...this.current.shortPages, ...patch.shortPages },
      program: { ...this.current.program, ...patch.program },
      rotateRefreshTokens: patch.rotateRefreshTokens ?? this.current.rotateRefreshTokens,
      webhookRetryDelayMs: patch.webhookRetryDelayMs ?? this.current.webhookRetryDelayMs,
      faults: patch.faults?.map((rule) => ({ ...rule, seen: 0, injected: 0 })) ?? this.current.faults,
    };
    return this.current;
  }

  /**
   * Counts an API request on `path` (below `/api/v3/`) against every live rule and returns the
   * fault it gets, if any (the first rule due, in order).
   */
  takeFault(path: string): FaultRule | undefined {
    let due: ActiveFault | undefined;
    for (const rule of this.current.faults) {
      if (rule.path !== path || rule.injected >= rule.count) continue;
      rule.seen += 1;
      if (!due && rule.seen > rule.afterRequests) due = rule;
    }
    if (due) due.injected += 1;
    return due;
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
      faults: [],
    };
  }
}
