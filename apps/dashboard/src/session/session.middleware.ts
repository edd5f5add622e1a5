import type { RequestHandler } from 'express';
import session from 'express-session';
import type { Redis } from 'ioredis';
import type { DashboardConfig } from '../config.js';
import { createSessionStore } from './redis-session.store.js';

export const SESSION_COOKIE = 'runnerly.sid';
const SESSION_TTL_SECONDS = 30 * 24 * 3600;

export function isHttps(config: DashboardConfig): boolean {
  return new URL(config.DASHBOARD_URL).protocol === 'https:';
}

/** The cookie's attributes, also needed to clear it on logout. */
export function sessionCookieOptions(config: DashboardConfig) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: isHttps(config), path: '/' };
}

/** Sessions in Redis, so that any number of dashboard processes can serve a runner. */
export function sessionMiddleware(config: DashboardConfig, redis: Redis): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: config.SESSION_SECRET,
    store: createSessionStore(redis, SESSION_TTL_SECONDS),
    resave: false,
    saveUninitialized: false,
    // Behind a TLS-terminating proxy the Secure cookie is set from X-Forwarded-Proto.
    proxy: isHttps(config),
    cookie: { ...sessionCookieOptions(config), maxAge: SESSION_TTL_SECONDS * 1000 },
  });
}
