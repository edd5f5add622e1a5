import type { SessionData } from 'express-session';
import { describe, expect, it } from 'vitest';
import { sessionTtlSeconds } from './redis-session.store.js';

const NOW = Date.UTC(2026, 0, 1);
const cookie = (seconds: number) =>
  ({ expires: new Date(NOW + seconds * 1000), originalMaxAge: seconds * 1000 }) as SessionData['cookie'];
const user = {
  id: 'u',
  stravaAthleteId: 1,
  firstname: '',
  lastname: '',
  city: null,
  country: null,
  profileImageUrl: null,
};

describe('sessionTtlSeconds', () => {
  it('gives a login in progress what is left of its fixed expiry, whatever its cookie says', () => {
    expect(sessionTtlSeconds({ cookie: cookie(600), loginExpiresAt: NOW + 120_500 }, 99, NOW)).toBe(121);
    expect(sessionTtlSeconds({ cookie: cookie(600), loginExpiresAt: NOW - 1 }, 99, NOW)).toBeLessThanOrEqual(0);
  });

  it('follows the cookie of a logged-in session (sliding), and falls back to the default', () => {
    expect(sessionTtlSeconds({ cookie: cookie(2_592_000), user, loginExpiresAt: NOW + 1000 }, 99, NOW)).toBe(2_592_000);
    expect(sessionTtlSeconds({ cookie: cookie(30) }, 99, NOW)).toBe(30);
    expect(sessionTtlSeconds({}, 99, NOW)).toBe(99);
  });
});
