import { randomBytes } from 'node:crypto';
import { parseConfig } from '@runnerly/config';
import { describe, expect, it } from 'vitest';
import { DashboardConfigSchema, trustedProxies } from './config.js';

const REQUIRED = {
  STRAVA_CLIENT_ID: '1',
  STRAVA_CLIENT_SECRET: randomBytes(20).toString('hex'),
  DASHBOARD_CLIENT_SECRET: randomBytes(24).toString('base64url'),
  SESSION_SECRET: randomBytes(32).toString('hex'),
};
const config = (env: Record<string, string> = {}) => parseConfig(DashboardConfigSchema, { ...REQUIRED, ...env });

describe('dashboard configuration', () => {
  it('keeps a login in progress minutes, a session 30 days, and 30 login starts per address per minute by default', () => {
    expect(config()).toMatchObject({
      DASHBOARD_LOGIN_TTL_SECONDS: 600,
      DASHBOARD_SESSION_TTL_SECONDS: 30 * 24 * 3600,
      DASHBOARD_LOGIN_RATE_LIMIT: 30,
      DASHBOARD_LOGIN_RATE_WINDOW_SECONDS: 60,
    });
  });

  it('trusts no proxy on http, one hop on https (its TLS proxy), and never every hop', () => {
    expect(trustedProxies(config())).toBe(0);
    expect(trustedProxies(config({ DASHBOARD_URL: 'https://runnerly.example' }))).toBe(1);
    expect(trustedProxies(config({ DASHBOARD_URL: 'https://runnerly.example', DASHBOARD_TRUST_PROXY: '0' }))).toBe(0);
    expect(trustedProxies(config({ DASHBOARD_TRUST_PROXY: '2' }))).toBe(2);
    expect(trustedProxies(config({ DASHBOARD_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8 ,192.0.2.1' }))).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.1',
    ]);
  });

  it('stops at start on a trust-proxy value that would believe any client, naming the variable', () => {
    for (const value of [
      'true',
      'TRUE',
      '*',
      'all',
      'yes',
      '-1',
      '100',
      '10.0.0.0/33',
      '::/129',
      'example.com',
      '10.0.0.0/8,',
      '1.2.3.4/8/1',
      'loopback,true',
    ]) {
      expect(() => config({ DASHBOARD_TRUST_PROXY: value }), value).toThrow(
        /^invalid configuration: DASHBOARD_TRUST_PROXY /,
      );
    }
  });
});
