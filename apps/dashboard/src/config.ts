import { env } from '@runnerly/config';
import { z } from 'zod';

export const DashboardConfigSchema = z.object({
  DASHBOARD_PORT: env.port(3000),
  HOST: z.string().default('127.0.0.1'),
  /** The operator listener (metrics, docs): private by default; 0 picks a free port. */
  OPERATOR_HOST: env.host(),
  DASHBOARD_OPERATOR_PORT: env.port(3100, 0),
  LOG_LEVEL: env.logLevel(),
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
  DASHBOARD_CLIENT_ID: z.string().min(1).default('dashboard'),
  DASHBOARD_CLIENT_SECRET: env.password(),
  /** Signs the session cookie. */
  SESSION_SECRET: env.secret(32),
});

export type DashboardConfig = z.output<typeof DashboardConfigSchema>;
export const DASHBOARD_CONFIG = Symbol('DashboardConfig');

/** What the dashboard asks Strava for: reading the profile and every activity (private ones too). */
export const STRAVA_SCOPES = ['read', 'activity:read_all'];
/** Least privilege towards the data-service. */
export const DATA_SERVICE_SCOPES = ['users:read', 'users:write', 'strava-tokens:write', 'runs:read'];

export function stravaCallbackUrl(config: DashboardConfig): string {
  return `${config.DASHBOARD_URL}/auth/strava/callback`;
}
