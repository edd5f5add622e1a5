import type { RequestHandler } from 'express';
import session from 'express-session';
import type { RedisClient } from '@runnerly/platform';
import type { DashboardConfig } from '../config.js';
import { createSessionStore } from './redis-session.store.js';

export const SESSION_COOKIE = 'runnerly.sid';

export function isHttps(config: DashboardConfig): boolean {
  return new URL(config.DASHBOARD_URL).protocol === 'https:';
}

/** The cookie's attributes, also needed to clear it on logout. */
export function sessionCookieOptions(config: DashboardConfig) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: isHttps(config), path: '/' };
}

/**
 * Sessions in Redis, so that any number of dashboard processes can serve a runner. A session's
 * Redis TTL follows its cookie's expiry (connect-redis): DASHBOARD_SESSION_TTL_SECONDS by default,
 * DASHBOARD_LOGIN_TTL_SECONDS while it only holds a login in progress (set by the Strava strategy);
 * each request slides it. Only a login start writes a session for a visitor who is not logged in.
 */
export function sessionMiddleware(config: DashboardConfig, redis: RedisClient): RequestHandler {
  const sessions = session({
    name: SESSION_COOKIE,
    secret: config.SESSION_SECRET,
    store: createSessionStore(redis, config.DASHBOARD_SESSION_TTL_SECONDS),
    resave: false,
    saveUninitialized: false,
    // Behind a TLS-terminating proxy the Secure cookie is set from X-Forwarded-Proto.
    proxy: isHttps(config),
    cookie: { ...sessionCookieOptions(config), maxAge: config.DASHBOARD_SESSION_TTL_SECONDS * 1000 },
  });
  // Probes never read or write a session: spared express-session's work on every request without
  // a cookie (a new session id from random bytes, a hash of the session, a cookie object).
  return (req, res, next) => (req.path.startsWith(SESSIONLESS_PREFIX) ? next() : sessions(req, res, next));
}

const SESSIONLESS_PREFIX = '/health/';
