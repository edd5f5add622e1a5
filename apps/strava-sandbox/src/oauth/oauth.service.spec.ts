import { parseConfig } from '@runnerly/config';
import { MetricsService } from '@runnerly/platform';
import { describe, expect, it } from 'vitest';
import { AthletesService } from '../athletes/athletes.service.js';
import { ClockService } from '../common/clock.service.js';
import { StravaFaultException } from '../common/strava-fault.js';
import { StravaSandboxConfigSchema } from '../config.js';
import { SettingsService } from '../settings/settings.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { OAuthService } from './oauth.service.js';

function setup() {
  const config = parseConfig(StravaSandboxConfigSchema, {
    STRAVA_SANDBOX_HISTORY_END: '2026-11-01',
    STRAVA_SANDBOX_ATHLETES: '2',
  });
  const clock = new ClockService();
  const settings = new SettingsService(config);
  const athletes = new AthletesService(config, settings, clock);
  const oauth = new OAuthService(
    config,
    athletes,
    settings,
    clock,
    new WebhooksService(settings, clock, new MetricsService()),
  );
  const athleteId = athletes.list()[0]!.profile.id;
  const request = oauth.parseAuthorizeRequest({
    clientId: config.STRAVA_CLIENT_ID,
    redirectUri: 'http://localhost:3000/cb?from=app',
    responseType: 'code',
    scope: 'read,activity:read_all',
    state: 's',
  });
  const codeFor = () => new URL(oauth.decide(request, { approve: true, athleteId })).searchParams.get('code')!;
  return { oauth, clock, settings, codeFor, request, athleteId };
}

const faultCode = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof StravaFaultException)
      return `${error.status} ${error.body.errors[0]?.resource}.${error.body.errors[0]?.code}`;
    throw error;
  }
  return 'no fault';
};

describe('OAuthService', () => {
  it("keeps the app's own redirect query and appends state, code and the granted scopes", () => {
    const { oauth, request, athleteId } = setup();
    const location = oauth.decide(request, { approve: true, athleteId, granted: ['read'] });
    expect(location).toMatch(/^http:\/\/localhost:3000\/cb\?from=app&state=s&code=[0-9a-f]{40}&scope=read$/);
    expect(oauth.decide(request, { approve: false })).toBe(
      'http://localhost:3000/cb?from=app&state=s&error=access_denied',
    );
  });

  it('rejects unknown scopes and space-separated lists', () => {
    const { oauth } = setup();
    const parse = (scope: string) => () =>
      oauth.parseAuthorizeRequest({ clientId: '100001', redirectUri: 'http://x/cb', responseType: 'code', scope });
    expect(faultCode(parse('read activity:read'))).toBe('400 Authorize.invalid');
    expect(faultCode(parse('read,everything'))).toBe('400 Authorize.invalid');
    expect(faultCode(parse('read,activity:read'))).toBe('no fault');
  });

  it('lets a code expire after ten minutes', () => {
    const { oauth, clock, codeFor } = setup();
    const code = codeFor();
    clock.advance(601);
    expect(faultCode(() => oauth.exchangeCode(code))).toBe('400 AuthorizationCode.invalid');
  });

  it('returns the same pair while the access token has over an hour left, a rotated one after', () => {
    const { oauth, clock, codeFor, athleteId } = setup();
    const first = oauth.exchangeCode(codeFor());
    expect(first.expires_in).toBe(21_600);
    clock.advance(4 * 3600);
    const same = oauth.refresh(first.refresh_token);
    expect([same.access_token, same.refresh_token, same.expires_in]).toEqual([
      first.access_token,
      first.refresh_token,
      7200,
    ]);
    clock.advance(3600 + 1);
    const rotated = oauth.refresh(first.refresh_token);
    expect(rotated.access_token).not.toBe(first.access_token);
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect(oauth.authenticate(first.access_token).expiresAt).toBe(first.expires_at);
    expect(faultCode(() => oauth.refresh(first.refresh_token))).toBe('400 RefreshToken.invalid');
    clock.advance(3600);
    expect(faultCode(() => oauth.authenticate(first.access_token))).toBe('401 Athlete.invalid');
    expect(oauth.authenticate(rotated.access_token).athleteId).toBe(athleteId);
  });

  it('keeps the refresh token when rotation is off', () => {
    const { oauth, clock, codeFor, settings } = setup();
    settings.update({ rotateRefreshTokens: false });
    const first = oauth.exchangeCode(codeFor());
    clock.advance(5.5 * 3600);
    const next = oauth.refresh(first.refresh_token);
    expect(next.access_token).not.toBe(first.access_token);
    expect(next.refresh_token).toBe(first.refresh_token);
  });
});
