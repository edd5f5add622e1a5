/** Strava's per-application rate limits: header parsing, window boundaries, the usage snapshot. */

export type RateLimitScope = '15min' | 'daily';

export interface RateLimitWindow {
  limit: number;
  usage: number;
}

export interface RateLimitPair {
  fifteenMinute: RateLimitWindow;
  daily: RateLimitWindow;
}

/** What the last response said about the application's usage. */
export interface StravaRateLimits {
  /** `X-RateLimit-*`: every request. */
  overall: RateLimitPair;
  /** `X-ReadRateLimit-*`: everything but uploads (absent on older responses). */
  read?: RateLimitPair;
  observedAt: Date;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** Parses `"<15-min>,<daily>"`; undefined when absent or malformed. */
export function parsePair(value: string | undefined): [number, number] | undefined {
  if (!value) return undefined;
  const parts = value.split(',').map((part) => Number(part.trim()));
  if (parts.length < 2 || parts.slice(0, 2).some((part) => !Number.isFinite(part) || part < 0)) return undefined;
  return [parts[0]!, parts[1]!];
}

function pair(headers: HeaderSource, prefix: string): RateLimitPair | undefined {
  const limit = parsePair(header(headers, `${prefix}-Limit`));
  const usage = parsePair(header(headers, `${prefix}-Usage`));
  if (!limit || !usage) return undefined;
  return {
    fifteenMinute: { limit: limit[0], usage: usage[0] },
    daily: { limit: limit[1], usage: usage[1] },
  };
}

/** Reads the four rate-limit headers (any casing); undefined when the response carried none. */
export function parseRateLimitHeaders(headers: HeaderSource, now = new Date()): StravaRateLimits | undefined {
  const overall = pair(headers, 'X-RateLimit');
  const read = pair(headers, 'X-ReadRateLimit');
  if (!overall && !read) return undefined;
  // Only read headers present: treat them as the overall figure too, so checks still work.
  return { overall: overall ?? read!, ...(read ? { read } : {}), observedAt: now };
}

/** The length of Strava's windows: a quarter of an hour, a day. */
const STRAVA_WINDOW_MS: Readonly<Record<RateLimitScope, number>> = {
  '15min': 15 * 60 * 1000,
  daily: 24 * 60 * 60 * 1000,
};

/** One of Strava's rate-limit windows: the `index`-th since the epoch, from `start` until `resetAt`. */
export interface StravaWindow {
  index: number;
  start: Date;
  resetAt: Date;
}

/**
 * The window that contains `at`: Strava's are aligned on the epoch, so the 15-minute ones start
 * at :00/:15/:30/:45 UTC and the daily one at midnight UTC. `sizeMs` other than Strava's is for
 * tests that need short windows.
 */
export function stravaWindow(
  scope: RateLimitScope,
  at: Date | number = Date.now(),
  sizeMs = STRAVA_WINDOW_MS[scope],
): StravaWindow {
  const index = Math.floor(new Date(at).getTime() / sizeMs);
  return { index, start: new Date(index * sizeMs), resetAt: new Date((index + 1) * sizeMs) };
}

/**
 * The window that is exhausted (daily first: it resets later), or undefined when requests may go
 * on. `readRequest` (anything but an upload) also checks the read limits. Usage seen in an earlier
 * window no longer counts.
 */
export function exhaustedWindow(
  limits: StravaRateLimits | undefined,
  readRequest: boolean,
  now = new Date(),
): RateLimitScope | undefined {
  if (!limits) return undefined;
  const pairs = [limits.overall, ...(readRequest && limits.read ? [limits.read] : [])];
  const full = (window: RateLimitWindow) => window.limit > 0 && window.usage >= window.limit;
  const current = (scope: RateLimitScope) =>
    stravaWindow(scope, limits.observedAt).index === stravaWindow(scope, now).index;
  if (current('daily') && pairs.some((p) => full(p.daily))) return 'daily';
  if (current('15min') && pairs.some((p) => full(p.fifteenMinute))) return '15min';
  return undefined;
}
