import { describe, expect, it } from 'vitest';
import { canReadActivities, isExpiring, parseScopes, tokensChanged } from './tokens.js';

describe('tokens', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  const nowSeconds = now.getTime() / 1000;

  it('says a token is expiring within the margin, not only at the last second', () => {
    expect(isExpiring({ expiresAt: nowSeconds + 3600 }, 900, now)).toBe(false);
    expect(isExpiring({ expiresAt: nowSeconds + 900 }, 900, now)).toBe(true);
    expect(isExpiring({ expiresAt: nowSeconds + 600 }, 900, now)).toBe(true);
    expect(isExpiring({ expiresAt: nowSeconds - 1 }, 0, now)).toBe(true);
    expect(isExpiring({ expiresAt: nowSeconds + 1 }, 0, now)).toBe(false);
  });

  it('notices a rotated pair', () => {
    const pair = { accessToken: 'a', refreshToken: 'r', expiresAt: 1 };
    expect(tokensChanged(pair, { ...pair })).toBe(false);
    expect(tokensChanged(pair, { ...pair, refreshToken: 'r2' })).toBe(true);
  });

  it('parses comma-separated scopes', () => {
    expect(parseScopes('read,activity:read_all')).toEqual(['read', 'activity:read_all']);
    expect(parseScopes(undefined)).toEqual([]);
    expect(canReadActivities(['read'])).toBe(false);
    expect(canReadActivities(['read', 'activity:read'])).toBe(true);
  });
});
