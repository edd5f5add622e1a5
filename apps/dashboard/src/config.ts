import { isIP } from 'node:net';
import { env } from '@runnerly/config';
import { DASHBOARD_CALLER } from '@runnerly/data-client/contract';
import { z } from 'zod';

/** The names Express (proxy-addr) knows for address ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies' X-Forwarded-* the dashboard believes (the client address behind them keys the
 * login rate limit): a hop count (`0`: none, `1`: one proxy in front) or a comma-separated list of
 * addresses, CIDRs and `loopback`/`linklocal`/`uniquelocal`. Never "every hop" (`true`): any client
 * could then pick its own address with X-Forwarded-For.
 */
const trustProxy = z
  .string()
  .trim()
  .refine(
    (value) =>
      /^\d{1,2}$/.test(value) ||
      value
        .split(',')
        .map((entry) => entry.trim())
        .every((entry) => entry !== '' && isAddressOrCidr(entry)),
    { message: 'must be a hop count (0-99) or a comma-separated list of addresses / CIDRs (never true)' },
  )
  .transform((value): number | string[] =>
    /^\d+$/.test(value) ? Number(value) : value.split(',').map((entry) => entry.trim()),
  )
  .optional();

export const DashboardConfigSchema = z.object({
  DASHBOARD_PORT: env.port(3000),
  HOST: z.string().default('127.0.0.1'),
  /** The operator listener (metrics, docs): private by default; 0 picks a free port. */
  OPERATOR_HOST: env.host(),
  DASHBOARD_OPERATOR_PORT: env.port(3100, 0),
  LOG_LEVEL: env.logLevel(),
  LOG_FORMAT: env.logFormat(),
  /** Where runners reach the dashboard: the Strava redirect URI is built from it; https → Secure cookies. */
  DASHBOARD_URL: env.httpUrl('http://localhost:3000'),
  REDIS_URL: env.redisUrl(),
  DATA_SERVICE_URL: env.httpUrl('http://127.0.0.1:5001'),
  TOKEN_DEALER_URL: env.httpUrl('http://127.0.0.1:5000'),
  STRAVA_BASE_URL: env.httpUrl('https://www.strava.com'),
  /** Where the runner's browser is sent to authorize, when it cannot reach STRAVA_BASE_URL (containers). */
  STRAVA_BROWSER_BASE_URL: env.httpUrl().optional(),
  STRAVA_CLIENT_ID: z.string().min(1),
  STRAVA_CLIENT_SECRET: env.password(),
  DASHBOARD_CLIENT_ID: z.string().min(1).default(DASHBOARD_CALLER.defaultId),
  DASHBOARD_CLIENT_SECRET: env.password(),
  /** Signs the session cookie. */
  SESSION_SECRET: env.secret(32),
  /** A logged-in runner's session: its lifetime since the last request. */
  DASHBOARD_SESSION_TTL_SECONDS: env.int(30 * 24 * 3600, 60),
  /** A login in progress (between GET /auth/strava and Strava's callback) lives this long. */
  DASHBOARD_LOGIN_TTL_SECONDS: env.int(600, 30),
  /** Logins started (GET /auth/strava) per client address per window; beyond it a 429. */
  DASHBOARD_LOGIN_RATE_LIMIT: env.int(30, 1),
  DASHBOARD_LOGIN_RATE_WINDOW_SECONDS: env.int(60, 1),
  /** Where uploaded archives are streamed for the worker to import (shared with the worker). */
  IMPORTS_DIR: env.importsDir(),
  /** The largest archive upload accepted (bytes); beyond it a 413. */
  IMPORT_MAX_BYTES: env.int(2 * 1024 * 1024 * 1024, 1),
  /** Archive uploads per athlete per day. */
  IMPORT_UPLOADS_PER_DAY: env.int(10, 1),
  /** See `trustProxy`; unset: `1` when DASHBOARD_URL is https (behind its TLS proxy), `0` otherwise. */
  DASHBOARD_TRUST_PROXY: trustProxy,
  /** The route heatmap hides this many metres at each end of every route (privacy; 0: nothing hidden). */
  DASHBOARD_ROUTE_PRIVACY_METERS: env.int(200, 0).pipe(z.number().max(10_000)),
  /** The route heatmap draws at most this many runs, the newest. */
  DASHBOARD_ROUTES_MAX: env.int(500, 1).pipe(z.number().max(2000)),
});

export type DashboardConfig = z.output<typeof DashboardConfigSchema>;
export const DASHBOARD_CONFIG = Symbol('DashboardConfig');

/**
 * What the dashboard asks the athlete for at Strava: reading the profile and every activity
 * (private ones too), and `profile:read_all`, without which Strava's `/athlete` lists no shoes
 * (the mileage per shoe). An athlete who unticks it still logs in; their shoes are then unnamed.
 */
export const REQUESTED_STRAVA_SCOPES = ['read', 'activity:read_all', 'profile:read_all'];

/** What Express's `trust proxy` is set to: never `true`. */
export function trustedProxies(config: DashboardConfig): number | string[] {
  return config.DASHBOARD_TRUST_PROXY ?? (new URL(config.DASHBOARD_URL).protocol === 'https:' ? 1 : 0);
}

export function stravaCallbackUrl(config: DashboardConfig): string {
  return `${config.DASHBOARD_URL}/auth/strava/callback`;
}
