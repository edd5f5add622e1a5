import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar.js';
import { Cleanup, type Dashboard, type Sandbox, startDashboard, startSandbox, testRedis } from './stack.js';

// The Strava side of a login against the sandbox, decided without its consent page (its
// documented pre-approval parameters), up to the code exchange. No data-service here: a login
// Strava accepted ends in "Runnerly could not save it".
describe('Strava login against the sandbox', () => {
  const cleanup = new Cleanup();
  let sandbox: Sandbox;
  let dashboard: Dashboard;

  beforeAll(async () => {
    const redis = await testRedis(cleanup);
    sandbox = cleanup.add(await startSandbox(), (s) => s.close());
    dashboard = cleanup.add(
      await startDashboard({
        REDIS_URL: redis.url,
        STRAVA_BASE_URL: sandbox.url,
        STRAVA_CLIENT_ID: sandbox.clientId,
        STRAVA_CLIENT_SECRET: sandbox.clientSecret,
        DATA_SERVICE_URL: 'http://127.0.0.1:9',
        TOKEN_DEALER_URL: 'http://127.0.0.1:9',
      }),
      (d) => d.close(),
    );
  });
  afterAll(() => cleanup.run());
  beforeEach(() => sandbox.settings({ program: { appInactive: false, athleteLimit: null } }));

  /** Starts a login, lets the sandbox decide, and follows the redirect back to the dashboard. */
  async function login(decision: 'approve' | 'deny', scope?: string): Promise<string | null> {
    const jar = new CookieJar();
    const toStrava = await jar.fetch(`${dashboard.url}/auth/strava`);
    const authorize = new URL(toStrava.headers.get('location')!);
    authorize.searchParams.set('sandbox_decision', decision);
    if (scope !== undefined) authorize.searchParams.set('sandbox_scope', scope);
    const back = await fetch(authorize, { redirect: 'manual' });
    const callback = back.headers.get('location')!;
    expect(callback.startsWith(`${dashboard.url}/auth/strava/callback?`)).toBe(true);
    return (await jar.fetch(callback)).headers.get('location');
  }

  it('sends the runner back with the reason when they cancel', async () => {
    expect(await login('deny')).toBe('/?login_error=access_denied');
  });

  it('sends the runner back with the reason when they untick the activity permission', async () => {
    expect(await login('approve', 'read')).toBe('/?login_error=missing_scope');
  });

  it('tells an inactive Strava app apart as an operator problem', async () => {
    await sandbox.settings({ program: { appInactive: true } });
    expect(await login('approve')).toBe('/?login_error=strava_app_inactive');
  });

  it('tells the athlete limit apart as an operator problem', async () => {
    await sandbox.settings({ program: { athleteLimit: 0 } });
    expect(await login('approve')).toBe('/?login_error=strava_athlete_limit');
  });

  it('exchanges the code of an approved login (and says so plainly when Runnerly cannot save it)', async () => {
    expect(await login('approve')).toBe('/?login_error=runnerly_unavailable');
  });
});
