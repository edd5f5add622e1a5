import { type RateLimitScope, type StravaRateLimits, stravaWindow } from '@runnerly/strava';
import type { RedisClient } from '@runnerly/platform';
import type { Clock } from '../common/clock.js';

export interface RateLimiterOptions {
  /** Requests allowed per short window (Strava: 15 min) and per long window (Strava: a day). */
  shortLimit: number;
  longLimit: number;
  /** Window lengths. Strava's windows are aligned on the epoch: :00/:15/:30/:45 and midnight UTC. */
  shortWindowMs?: number;
  longWindowMs?: number;
  /**
   * Whether usage and limits read from Strava's headers count too (other apps' workers, requests
   * before a restart). Only meaningful when the windows are Strava's own.
   */
  trustHeaders?: boolean;
  /** Most of the short window one athlete may use while other athletes' syncs wait (percent; default 100). */
  athleteSharePercent?: number;
  /**
   * Most of each window that requests made on a webhook event's word (activity rechecks,
   * deauthorization checks) may use, for all athletes together (percent; default 100): forged
   * events, however many and whoever they name, leave the rest to everyone's syncs.
   */
  eventSharePercent?: number;
  /**
   * Most of each window the best-efforts enrichment (a streams request per run) may use, for all
   * athletes together (percent; default 100): a history of a thousand runs waits for later windows
   * (the next day's, once the daily share is spent) instead of taking the syncs' budget.
   */
  enrichmentSharePercent?: number;
  /** Key prefix; it must hold a hash tag (`…{tag}…`) for a Redis Cluster (default `runnerly:{strava-rate}:`). */
  prefix?: string;
}

/** A class of requests held to its own share of each window, whoever the athlete. */
export enum RequestShare {
  /** Made on a webhook event's word. */
  Events = 'events',
  /** The best-efforts enrichment. */
  Enrichment = 'enrichment',
}

/** Nothing may be asked of Strava before `until`: jobs that need Strava wait (they do not fail). */
export class StravaPausedError extends Error {
  constructor(
    readonly until: Date,
    readonly reason: 'rate_limit' | 'app_inactive',
    message: string,
  ) {
    super(message);
    this.name = 'StravaPausedError';
  }
}

/** The application's budget for a window is spent: no request before the window resets. */
export class RateBudgetExhaustedError extends StravaPausedError {
  constructor(
    readonly resetAt: Date,
    readonly scope: RateLimitScope,
  ) {
    super(resetAt, 'rate_limit', `Strava rate limit (${scope}) reached; window resets at ${resetAt.toISOString()}`);
    this.name = 'RateBudgetExhaustedError';
  }
}

/**
 * One athlete used their share of the window while other syncs wait: their job steps aside (it is
 * parked with its checkpoint until the window resets), it does not fail.
 */
export class AthleteShareExceededError extends Error {
  constructor(readonly until: Date) {
    super(`the athlete used their share of Strava's window; resuming at ${until.toISOString()}`);
    this.name = 'AthleteShareExceededError';
  }
}

/** Requests made on webhook events' word used their share of a window: the job waits for its reset. */
export class EventShareExceededError extends AthleteShareExceededError {
  constructor(until: Date) {
    super(until);
    this.message = `webhook-driven requests used their share of Strava's window; resuming at ${until.toISOString()}`;
    this.name = 'EventShareExceededError';
  }
}

/** Enrichment requests used their share of a window: the job waits for its reset (the next day for the daily one). */
export class EnrichmentShareExceededError extends AthleteShareExceededError {
  constructor(
    until: Date,
    readonly scope: RateLimitScope,
  ) {
    super(until);
    this.message = `best-efforts enrichment used its share of Strava's ${scope} window; resuming at ${until.toISOString()}`;
    this.name = 'EnrichmentShareExceededError';
  }
}

/** Who a request is for, so one athlete cannot take the whole window while others wait. */
export interface AthleteShare {
  id: string;
  /** Whether other athletes' syncs are waiting (only then is the share enforced). */
  othersWaiting: () => Promise<boolean>;
}

export interface BudgetSnapshot {
  scope: RateLimitScope;
  usage: number;
  limit: number;
  resetAt: Date;
}

// Reserves one request in both windows, or says which window is full. Atomic, so any number of
// worker processes share one budget. With an athlete (KEYS[4], ARGV[8] is 1), their own use of the
// short window is counted too, and refused (3) at ARGV[5] percent of the short limit when ARGV[6]
// is 1 (others wait). A request of a share class (events, enrichment: KEYS[5], KEYS[6], the class's
// use of each window; ARGV[9] is 1) is refused (4 short, 5 daily) at ARGV[7] percent of either
// limit. Unused KEYS are placeholders with the same hash tag: a cluster wants every key on one slot.
const ACQUIRE = `
local shortLimit = tonumber(redis.call('HGET', KEYS[3], 'short') or ARGV[1])
local longLimit = tonumber(redis.call('HGET', KEYS[3], 'long') or ARGV[2])
shortLimit = math.min(shortLimit, tonumber(ARGV[1]))
longLimit = math.min(longLimit, tonumber(ARGV[2]))
if tonumber(redis.call('GET', KEYS[2]) or '0') >= longLimit then return 2 end
if tonumber(redis.call('GET', KEYS[1]) or '0') >= shortLimit then return 1 end
if ARGV[8] == '1' and ARGV[6] == '1' then
  local share = math.max(1, math.floor(shortLimit * tonumber(ARGV[5]) / 100))
  if tonumber(redis.call('GET', KEYS[4]) or '0') >= share then return 3 end
end
if ARGV[9] == '1' then
  local eventPercent = tonumber(ARGV[7])
  if tonumber(redis.call('GET', KEYS[5]) or '0') >= math.max(1, math.floor(shortLimit * eventPercent / 100)) then return 4 end
  if tonumber(redis.call('GET', KEYS[6]) or '0') >= math.max(1, math.floor(longLimit * eventPercent / 100)) then return 5 end
  redis.call('INCR', KEYS[5])
  redis.call('PEXPIRE', KEYS[5], ARGV[3])
  redis.call('INCR', KEYS[6])
  redis.call('PEXPIRE', KEYS[6], ARGV[4])
end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
if ARGV[8] == '1' then
  redis.call('INCR', KEYS[4])
  redis.call('PEXPIRE', KEYS[4], ARGV[3])
end
return 0`;

// Raises a window's counter to what Strava reports (never lowers it: in-flight requests count).
const RAISE = `
if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1`;

/**
 * The application's Strava request budget, in Redis, shared by every worker process. Each request
 * first takes one unit from the current 15-minute and daily windows; when either is spent the
 * caller gets the window's reset time and parks its job until then.
 */
export class StravaRateLimiter {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly clock: Clock,
    private readonly options: RateLimiterOptions,
  ) {
    // Every key of the budget shares one hash tag: ACQUIRE and `observe`'s MULTI touch several at once.
    this.prefix = options.prefix ?? 'runnerly:{strava-rate}:';
  }

  private window(scope: RateLimitScope, at: number): { key: string; resetAt: Date; ttlMs: number } {
    const { index, start, resetAt } = stravaWindow(
      scope,
      at,
      scope === '15min' ? this.options.shortWindowMs : this.options.longWindowMs,
    );
    const size = resetAt.getTime() - start.getTime();
    // Kept a little past the window's end so a late reader still sees it; then Redis drops it.
    return { key: `${this.prefix}${scope}:${index}`, resetAt, ttlMs: resetAt.getTime() - at + size };
  }

  /**
   * Takes one request from the budget, or throws RateBudgetExhaustedError; for an athlete's sync,
   * AthleteShareExceededError once they used their share of the window while others wait; for a
   * request of a share class (`share`), EventShareExceededError or EnrichmentShareExceededError once
   * that class used its share of either window.
   */
  async acquire(athlete?: AthleteShare, share?: RequestShare): Promise<void> {
    const percent = this.options.athleteSharePercent ?? 100;
    const enforce = athlete !== undefined && percent < 100 && (await athlete.othersWaiting());
    const now = this.clock.now().getTime();
    const short = this.window('15min', now);
    const long = this.window('daily', now);
    const unused = `${this.prefix}unused`;
    const result = (await this.redis.eval(
      ACQUIRE,
      6,
      short.key,
      long.key,
      `${this.prefix}limits`,
      athlete ? `${short.key}:athlete:${athlete.id}` : unused,
      share ? `${short.key}:${share}` : unused,
      share ? `${long.key}:${share}` : unused,
      this.options.shortLimit,
      this.options.longLimit,
      short.ttlMs,
      long.ttlMs,
      percent,
      enforce ? '1' : '0',
      (share === RequestShare.Enrichment ? this.options.enrichmentSharePercent : this.options.eventSharePercent) ?? 100,
      athlete ? '1' : '0',
      share ? '1' : '0',
    )) as number;
    if (result === 2) throw new RateBudgetExhaustedError(long.resetAt, 'daily');
    if (result === 1) throw new RateBudgetExhaustedError(short.resetAt, '15min');
    if (result === 3) throw new AthleteShareExceededError(short.resetAt);
    if (result === 4 || result === 5) {
      const window = result === 4 ? short : long;
      if (share === RequestShare.Enrichment)
        throw new EnrichmentShareExceededError(window.resetAt, result === 4 ? '15min' : 'daily');
      throw new EventShareExceededError(window.resetAt);
    }
  }

  /** Requests of a share class in the current windows (short, daily). */
  async shareUsage(share: RequestShare): Promise<{ short: number; daily: number }> {
    const now = this.clock.now().getTime();
    const [short, daily] = await this.redis.mget(
      `${this.window('15min', now).key}:${share}`,
      `${this.window('daily', now).key}:${share}`,
    );
    return { short: Number(short ?? 0), daily: Number(daily ?? 0) };
  }

  /** Requests this athlete's syncs made in the current short window. */
  async athleteUsage(athleteId: string): Promise<number> {
    const short = this.window('15min', this.clock.now().getTime());
    return Number((await this.redis.get(`${short.key}:athlete:${athleteId}`)) ?? 0);
  }

  /** Learns from a Strava response's headers: usage (ours and anyone else's) and the real limits. */
  async observe(limits: StravaRateLimits | undefined): Promise<void> {
    if (!limits || !this.options.trustHeaders) return;
    const at = limits.observedAt.getTime();
    const pairs = [limits.overall, ...(limits.read ? [limits.read] : [])];
    const usage15 = Math.max(...pairs.map((pair) => pair.fifteenMinute.usage));
    const usageDay = Math.max(...pairs.map((pair) => pair.daily.usage));
    const limit15 = Math.min(...pairs.map((pair) => pair.fifteenMinute.limit).filter((limit) => limit > 0));
    const limitDay = Math.min(...pairs.map((pair) => pair.daily.limit).filter((limit) => limit > 0));
    const short = this.window('15min', at);
    const long = this.window('daily', at);
    const multi = this.redis.multi();
    multi.eval(RAISE, 1, short.key, usage15, short.ttlMs);
    multi.eval(RAISE, 1, long.key, usageDay, long.ttlMs);
    if (Number.isFinite(limit15) && Number.isFinite(limitDay)) {
      multi.hset(`${this.prefix}limits`, { short: limit15, long: limitDay });
    }
    await multi.exec();
  }

  /** After a 429: the window is spent for everyone until it resets. */
  async exhaust(scope: RateLimitScope): Promise<Date> {
    const window = this.window(scope, this.clock.now().getTime());
    const limit = scope === '15min' ? this.options.shortLimit : this.options.longLimit;
    await this.redis.eval(RAISE, 1, window.key, Math.max(limit, Number.MAX_SAFE_INTEGER / 2), window.ttlMs);
    return window.resetAt;
  }

  /** When a window's budget resets, for a scope named by Strava's client. */
  resetAt(scope: RateLimitScope): Date {
    return this.window(scope, this.clock.now().getTime()).resetAt;
  }

  async snapshot(): Promise<BudgetSnapshot[]> {
    const now = this.clock.now().getTime();
    const learned = await this.redis.hgetall(`${this.prefix}limits`);
    const result: BudgetSnapshot[] = [];
    for (const scope of ['15min', 'daily'] as const) {
      const window = this.window(scope, now);
      const configured = scope === '15min' ? this.options.shortLimit : this.options.longLimit;
      const limit = Math.min(configured, Number(learned[scope === '15min' ? 'short' : 'long'] ?? configured));
      const usage = Number((await this.redis.get(window.key)) ?? 0);
      result.push({ scope, usage: Math.min(usage, limit), limit, resetAt: window.resetAt });
    }
    return result;
  }
}
