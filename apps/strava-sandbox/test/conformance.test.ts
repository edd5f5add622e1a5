import 'reflect-metadata';
import {
  StravaAccessDeniedError,
  StravaAppInactiveError,
  StravaClient,
  StravaInvalidClientError,
  StravaInvalidGrantError,
  StravaMissingScopeError,
  StravaNotFoundError,
  type StravaRateLimitError,
  type StravaSummaryActivity,
  type StravaTokenSet,
  StravaUnauthorizedError,
} from '@runnerly/strava';
import { computeBestEfforts } from '@runnerly/best-efforts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertValid, modelValidator, responseValidator } from './strava-schemas.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  collect,
  eventually,
  type Receiver,
  startReceiver,
  startSandbox,
} from './support.js';

// The real client against the sandbox, for every behaviour in STRAVA.md; every body the sandbox
// sends is checked against Strava's schemas.
const validActivities = responseValidator('/athlete/activities', 'get', '200');
const validAthlete = responseValidator('/athlete', 'get', '200');
const validFault = responseValidator('/athlete', 'get', 'default');
const validGear = responseValidator('/gear/{id}', 'get', '200');
const validSummaryAthlete = modelValidator('SummaryAthlete');
const validDetailedActivity = responseValidator('/activities/{id}', 'get', '200');
const validStreamSet = responseValidator('/activities/{id}/streams', 'get', '200');
const validStream = modelValidator('BaseStream');

interface SandboxAthleteRow {
  id: number;
  activity_count: number;
  firstname: string;
}

/** Strava fault bodies, caught from the client's errors. */
function faultOf(error: unknown): unknown {
  return (error as { fault?: unknown }).fault;
}

describe('Strava client against the sandbox', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let client: StravaClient;
  let athletes: SandboxAthleteRow[];
  const redirectUri = 'http://localhost:3000/auth/strava/callback';

  beforeAll(async () => {
    sandbox = await startSandbox();
    athletes = await sandbox.admin('GET', '/athletes');
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await sandbox.admin('POST', '/reset');
    client = new StravaClient({
      baseUrl: sandbox.baseUrl,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      timeoutMs: 5000,
    });
  });

  /** Follows the authorize URL with the sandbox's documented pre-approval; returns the redirect. */
  async function consent(
    athleteId: number,
    decision: 'approve' | 'deny',
    scope: string[],
    granted?: string[],
  ): Promise<URL> {
    const url = new URL(client.authorizeUrl({ redirectUri, scope, state: 'st-1', approvalPrompt: 'force' }));
    url.searchParams.set('sandbox_athlete_id', String(athleteId));
    url.searchParams.set('sandbox_decision', decision);
    if (granted) url.searchParams.set('sandbox_scope', granted.join(','));
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  async function connect(athleteId = athletes[0]!.id, scope = ['read', 'activity:read_all']): Promise<StravaTokenSet> {
    const callback = client.parseCallback((await consent(athleteId, 'approve', scope)).searchParams);
    return client.exchangeCode(callback.code);
  }

  describe('OAuth', () => {
    it('renders an accessible consent page and honours unticked scopes', async () => {
      const authorize = client.authorizeUrl({
        redirectUri,
        scope: ['read', 'activity:read_all', 'profile:read_all'],
        state: 's&1',
      });
      const page = await fetch(authorize);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      for (const athlete of athletes) expect(html).toContain(`<label for="athlete-${athlete.id}">`);
      expect(html).toContain('<label for="scope-activity-read_all">');
      expect(html).toMatch(/<button type="submit" name="decision" value="authorize">Authorize<\/button>/);
      expect(html).toMatch(/value="cancel">Cancel</);
      expect(html).toContain('value="s&#38;1"');

      // The athlete picks the second athlete and unticks profile:read_all.
      const form = new URLSearchParams({
        client_id: CLIENT_ID,
        redirect_uri: redirectUri,
        response_type: 'code',
        approval_prompt: 'auto',
        requested_scope: 'read,activity:read_all,profile:read_all',
        state: 's&1',
        athlete_id: String(athletes[1]!.id),
        decision: 'authorize',
      });
      form.append('scope', 'activity:read_all');
      const submitted = await fetch(`${sandbox.baseUrl}/oauth/authorize`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      expect(submitted.status).toBe(302);
      const location = submitted.headers.get('location')!;
      expect(location).toContain('scope=read,activity:read_all');
      const callback = client.parseCallback(new URL(location).searchParams);
      expect(callback).toMatchObject({ state: 's&1', scope: ['read', 'activity:read_all'] });

      const tokens = await client.exchangeCode(callback.code);
      expect(tokens.athlete.id).toBe(athletes[1]!.id);
      expect(tokens.tokenType).toBe('Bearer');
      expect(tokens.expiresIn).toBe(21_600);
      assertValid(validSummaryAthlete, tokens.athlete, 'token exchange athlete');
      expect(JSON.stringify(tokens)).not.toContain('email');
    });

    it('answers a denial with error=access_denied and the state', async () => {
      const location = await consent(athletes[0]!.id, 'deny', ['read', 'activity:read']);
      expect(location.searchParams.get('error')).toBe('access_denied');
      expect(location.searchParams.get('state')).toBe('st-1');
      expect(location.searchParams.has('code')).toBe(false);
      expect(() => client.parseCallback(location.searchParams)).toThrow(StravaAccessDeniedError);
      // The Cancel button too.
      const cancel = await fetch(`${sandbox.baseUrl}/oauth/authorize`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({
          client_id: CLIENT_ID,
          redirect_uri: redirectUri,
          response_type: 'code',
          requested_scope: 'read',
          state: 'x',
          athlete_id: String(athletes[0]!.id),
          decision: 'cancel',
        }),
      });
      expect(new URL(cancel.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
    });

    it('rejects a space-separated scope list and an unknown client', async () => {
      const spaced = client
        .authorizeUrl({ redirectUri, scope: ['read'], state: 's' })
        .replace('scope=read', 'scope=read%20activity:read');
      const response = await fetch(spaced, { redirect: 'manual' });
      expect(response.status).toBe(400);
      const body = await response.json();
      assertValid(validFault, body, 'invalid scope fault');
      expect(body.errors[0]).toMatchObject({ field: 'scope', code: 'invalid' });
      const unknown = await fetch(spaced.replace(`client_id=${CLIENT_ID}`, 'client_id=1'), { redirect: 'manual' });
      expect((await unknown.json()).errors[0]).toEqual({
        resource: 'Application',
        field: 'client_id',
        code: 'invalid',
      });
    });

    it('accepts a code once only', async () => {
      const { code } = client.parseCallback(
        (await consent(athletes[0]!.id, 'approve', ['read', 'activity:read'])).searchParams,
      );
      await client.exchangeCode(code);
      const error = await client.exchangeCode(code).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StravaInvalidGrantError);
      expect((error as StravaInvalidGrantError).grant).toBe('authorization_code');
      assertValid(validFault, faultOf(error), 'bad code fault');
      expect(faultOf(error)).toEqual({
        message: 'Bad Request',
        errors: [{ resource: 'AuthorizationCode', field: 'code', code: 'invalid' }],
      });
    });

    it('rejects a wrong client secret (401) and a wrong client id (400) as operator problems', async () => {
      const { code } = client.parseCallback((await consent(athletes[0]!.id, 'approve', ['read'])).searchParams);
      const badSecret = new StravaClient({
        baseUrl: sandbox.baseUrl,
        clientId: CLIENT_ID,
        clientSecret: 'wrong-secret',
      });
      const error = await badSecret.exchangeCode(code).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StravaInvalidClientError);
      expect((error as StravaInvalidClientError).status).toBe(401);
      expect(faultOf(error)).toEqual({
        message: 'Authorization Error',
        errors: [{ resource: 'Application', field: '', code: 'invalid' }],
      });
      const badId = new StravaClient({ baseUrl: sandbox.baseUrl, clientId: '999', clientSecret: CLIENT_SECRET });
      const idError = await badId.exchangeCode(code).catch((caught: unknown) => caught);
      expect(idError).toBeInstanceOf(StravaInvalidClientError);
      expect((idError as StravaInvalidClientError).status).toBe(400);
    });

    it('takes token parameters from the query string, an urlencoded body or multipart, on both paths', async () => {
      const codes = await Promise.all(
        [0, 1, 2].map(
          async () => client.parseCallback((await consent(athletes[0]!.id, 'approve', ['read'])).searchParams).code,
        ),
      );
      const fields = (code: string) => ({
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        code,
        grant_type: 'authorization_code',
      });
      const viaQuery = await fetch(`${sandbox.baseUrl}/oauth/token?${new URLSearchParams(fields(codes[0]!))}`, {
        method: 'POST',
      });
      const viaForm = await fetch(`${sandbox.baseUrl}/api/v3/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams(fields(codes[1]!)),
      });
      const multipart = new FormData();
      for (const [key, value] of Object.entries(fields(codes[2]!))) multipart.append(key, value);
      const viaMultipart = await fetch(`${sandbox.baseUrl}/oauth/token`, { method: 'POST', body: multipart });
      for (const response of [viaQuery, viaForm, viaMultipart]) {
        expect(response.status).toBe(200);
        const body = await response.json();
        expect(Object.keys(body).sort()).toEqual([
          'access_token',
          'athlete',
          'expires_at',
          'expires_in',
          'refresh_token',
          'token_type',
        ]);
      }
    });
  });

  describe('tokens', () => {
    it('returns the same token while more than an hour is left', async () => {
      const tokens = await connect();
      const again = await client.refresh(tokens.refreshToken);
      expect(again).toEqual({
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
      });
      const refreshed: StravaTokenSet[] = [];
      const fresh = await client.ensureFreshToken(tokens, (pair) => void refreshed.push(pair));
      expect(fresh).toBe(tokens);
      expect(refreshed).toEqual([]);
    });

    it('rotates: a new pair near expiry, the old access token still works, the old refresh token dies at once', async () => {
      const tokens = await connect();
      await sandbox.admin('POST', '/tokens/expire', { access_token: tokens.accessToken, expires_in: 1800 });
      const raw = await fetch(`${sandbox.baseUrl}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          grant_type: 'refresh_token',
          refresh_token: tokens.refreshToken,
        }),
      });
      const peek = await raw.json();
      expect(Object.keys(peek).sort()).toEqual([
        'access_token',
        'expires_at',
        'expires_in',
        'refresh_token',
        'token_type',
      ]);
      // That refresh rotated the pair: go on from the new one, as a client that persisted it would.
      tokens.refreshToken = peek.refresh_token;
      tokens.accessToken = peek.access_token;
      await sandbox.admin('POST', '/tokens/expire', { access_token: tokens.accessToken, expires_in: 1800 });
      const stale = { ...tokens, expiresAt: Math.floor(Date.now() / 1000) + 1800 };
      const persisted: StravaTokenSet[] = [];
      const fresh = await client.ensureFreshToken(stale, (pair) => void persisted.push(pair), 3600);
      expect(persisted).toEqual([fresh]);
      expect(fresh.accessToken).not.toBe(tokens.accessToken);
      expect(fresh.refreshToken).not.toBe(tokens.refreshToken);
      expect(fresh.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(21_500);
      // Old and new access tokens both work until the old one expires.
      expect((await client.getAthlete(tokens.accessToken)).id).toBe(athletes[0]!.id);
      expect((await client.getAthlete(fresh.accessToken)).id).toBe(athletes[0]!.id);
      const error = await client.refresh(tokens.refreshToken).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StravaInvalidGrantError);
      expect((error as StravaInvalidGrantError).grant).toBe('refresh_token');
      expect(faultOf(error)).toEqual({
        message: 'Bad Request',
        errors: [{ resource: 'RefreshToken', field: 'refresh_token', code: 'invalid' }],
      });
    });

    it('refreshes once when several callers find the token expiring at the same time', async () => {
      const tokens = await connect();
      await sandbox.admin('POST', '/tokens/expire', { access_token: tokens.accessToken, expires_in: 600 });
      const stale = { ...tokens, expiresAt: Math.floor(Date.now() / 1000) + 600 };
      const persisted: StravaTokenSet[] = [];
      const results = await Promise.all(
        [1, 2, 3].map(() => client.ensureFreshToken(stale, (pair) => void persisted.push(pair))),
      );
      expect(new Set(results.map((pair) => pair.refreshToken)).size).toBe(1);
      expect(results[0]!.refreshToken).not.toBe(tokens.refreshToken);
      expect(persisted.every((pair) => pair.refreshToken === results[0]!.refreshToken)).toBe(true);
      expect((await client.getAthlete(results[0]!.accessToken)).id).toBe(athletes[0]!.id);
    });

    it('rejects an expired access token with 401 and refreshes it', async () => {
      const tokens = await connect();
      await sandbox.admin('POST', '/tokens/expire', { athlete_id: athletes[0]!.id });
      const error = await client.getAthlete(tokens.accessToken).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StravaUnauthorizedError);
      assertValid(validFault, faultOf(error), '401 fault');
      expect(faultOf(error)).toEqual({
        message: 'Authorization Error',
        errors: [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }],
      });
      const fresh = await client.refresh(tokens.refreshToken);
      expect((await client.getAthlete(fresh.accessToken)).id).toBe(athletes[0]!.id);
    });

    it("revokes a pair through /oauth/revoke (2027), leaving the athlete's other pairs alone", async () => {
      const first = await connect();
      const second = await connect();
      await client.revoke(first.refreshToken, 'refresh_token');
      await expect(client.getAthlete(first.accessToken)).rejects.toBeInstanceOf(StravaUnauthorizedError);
      await expect(client.refresh(first.refreshToken)).rejects.toBeInstanceOf(StravaInvalidGrantError);
      expect((await client.getAthlete(second.accessToken)).id).toBe(athletes[0]!.id);
      await client.revoke(second.accessToken);
      await expect(client.refresh(second.refreshToken)).rejects.toBeInstanceOf(StravaInvalidGrantError);
      const badClient = new StravaClient({
        baseUrl: sandbox.baseUrl,
        clientId: CLIENT_ID,
        clientSecret: 'nope-nope-nope',
      });
      await expect(badClient.revoke('anything')).rejects.toBeInstanceOf(StravaInvalidClientError);
    });

    it('deauthorize revokes every token of the athlete', async () => {
      const tokens = await connect();
      const second = await connect();
      await client.deauthorize(tokens.accessToken);
      await expect(client.getAthlete(second.accessToken)).rejects.toBeInstanceOf(StravaUnauthorizedError);
      await expect(client.refresh(second.refreshToken)).rejects.toBeInstanceOf(StravaInvalidGrantError);
    });
  });

  describe('athlete and activities', () => {
    it('serves the athlete: summary, or detailed with profile:read_all', async () => {
      const summary = await client.getAthlete((await connect()).accessToken);
      assertValid(validAthlete, summary, '/athlete');
      expect(summary.resource_state).toBe(2);
      const detailed = await client.getAthlete(
        (await connect(athletes[0]!.id, ['read', 'profile:read_all'])).accessToken,
      );
      assertValid(validAthlete, detailed, '/athlete (detailed)');
      expect(detailed).toMatchObject({ resource_state: 3, measurement_preference: expect.any(String) });
    });

    it("lists the athlete's shoes with profile:read_all, each the sum of its activities, and serves each as DetailedGear", async () => {
      const athlete = athletes[0]!;
      const { accessToken } = await connect(athlete.id, ['read', 'profile:read_all', 'activity:read_all']);
      const detailed = (await client.getAthlete(accessToken)) as unknown as {
        shoes: Array<{ id: string; name: string; primary: boolean; retired: boolean; distance: number }>;
      };
      expect(detailed.shoes.map((shoe) => [shoe.name, shoe.primary, shoe.retired])).toEqual([
        ['Daily trainers', true, false],
        ['Race flats', false, false],
      ]);
      const perGear = new Map<string, number>();
      let withoutGear = 0;
      for await (const { activities } of client.listActivities(accessToken)) {
        for (const activity of activities) {
          if (activity.gear_id) perGear.set(activity.gear_id, (perGear.get(activity.gear_id) ?? 0) + activity.distance);
          else if (activity.sport_type.endsWith('Run')) withoutGear += 1;
        }
      }
      for (const shoe of detailed.shoes) expect(shoe.distance).toBeCloseTo(perGear.get(shoe.id) ?? 0, 0);
      expect(detailed.shoes[0]!.distance).toBeGreaterThan(100_000);
      expect(withoutGear).toBeGreaterThan(0); // treadmill runs record no shoe
      const gear = await fetch(`${sandbox.baseUrl}/api/v3/gear/${detailed.shoes[0]!.id}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(gear.status).toBe(200);
      const body = await gear.json();
      assertValid(validGear, body, '/gear/{id}');
      expect(body).toMatchObject({
        id: detailed.shoes[0]!.id,
        resource_state: 3,
        distance: detailed.shoes[0]!.distance,
      });
      const other = await fetch(`${sandbox.baseUrl}/api/v3/gear/g0`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(other.status).toBe(404);
      assertValid(validFault, await other.json(), '/gear/{id} 404');
    });

    it('pages until an empty page, through short pages, every activity valid and once', async () => {
      const tokens = await connect();
      const pages: Array<{ page: number; size: number }> = [];
      const seen: StravaSummaryActivity[] = [];
      for await (const { page, activities } of client.listActivities(tokens.accessToken)) {
        assertValid(validActivities, activities, `page ${page}`);
        pages.push({ page, size: activities.length });
        seen.push(...activities);
      }
      const total = athletes[0]!.activity_count;
      expect(seen.length).toBe(total);
      expect(new Set(seen.map((a) => a.id)).size).toBe(total);
      const shortBeforeEnd = pages.slice(0, -1).filter((p) => p.size < 200);
      expect(shortBeforeEnd.length).toBeGreaterThan(0);
      // Newest first.
      expect(Date.parse(seen[0]!.start_date)).toBeGreaterThan(Date.parse(seen.at(-1)!.start_date));
      for (const activity of seen) {
        expect(activity.athlete.id).toBe(athletes[0]!.id);
        expect(Number.isSafeInteger(activity.id)).toBe(true);
        expect(activity.start_date_local.endsWith('Z')).toBe(true);
      }
      const runs = seen.filter((a) => a.sport_type === 'Run');
      expect(runs.length).toBeGreaterThan(300);
      expect(seen.some((a) => a.private)).toBe(true);
    });

    it('filters with after/before, per_page at most 200, and hides private activities without read_all', async () => {
      const readAll = await connect();
      const all: StravaSummaryActivity[] = [];
      for await (const { activities } of client.listActivities(readAll.accessToken)) all.push(...activities);
      const after = Date.parse('2026-06-01T00:00:00Z') / 1000;
      const before = Date.parse('2026-09-01T00:00:00Z') / 1000;
      const window: StravaSummaryActivity[] = [];
      for await (const { activities } of client.listActivities(readAll.accessToken, { after, before, perPage: 50 }))
        window.push(...activities);
      const expected = all.filter(
        (a) => Date.parse(a.start_date) / 1000 > after && Date.parse(a.start_date) / 1000 < before,
      );
      expect(window.map((a) => a.id).sort()).toEqual(expected.map((a) => a.id).sort());
      // Only `after`: oldest first, as Strava does.
      const firstPage = await client.listActivitiesPage(readAll.accessToken, { after, perPage: 5 });
      expect(Date.parse(firstPage[0]!.start_date)).toBeLessThan(Date.parse(firstPage[1]!.start_date));
      const big = await fetch(`${sandbox.baseUrl}/api/v3/athlete/activities?per_page=500`, {
        headers: { authorization: `Bearer ${readAll.accessToken}` },
      });
      expect(((await big.json()) as unknown[]).length).toBe(200);

      const publicOnly = await connect(athletes[0]!.id, ['read', 'activity:read']);
      const visible: StravaSummaryActivity[] = [];
      for await (const { activities } of client.listActivities(publicOnly.accessToken)) visible.push(...activities);
      expect(visible.some((a) => a.private)).toBe(false);
      expect(visible.length).toBe(all.filter((a) => !a.private).length);
      const hidden = all.find((a) => a.private)!;
      await expect(client.getActivity(publicOnly.accessToken, hidden.id)).rejects.toBeInstanceOf(StravaNotFoundError);
      const detail = await client.getActivity(readAll.accessToken, hidden.id);
      assertValid(validDetailedActivity, detail, '/activities/{id}');
    });

    it('answers 401 activity:read_permission missing without an activity scope', async () => {
      const tokens = await connect(athletes[0]!.id, ['read']);
      const error = await client.listActivitiesPage(tokens.accessToken).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StravaMissingScopeError);
      expect((error as StravaMissingScopeError).missing).toBe('activity:read_permission');
      assertValid(validFault, faultOf(error), 'missing scope fault');
      expect(faultOf(error)).toMatchObject({
        errors: [{ resource: 'AccessToken', field: 'activity:read_permission', code: 'missing' }],
      });
    });

    it("does not show another athlete's activity", async () => {
      const mine = await connect(athletes[0]!.id);
      const theirs = await connect(athletes[1]!.id);
      const [theirActivity] = await client.listActivitiesPage(theirs.accessToken, { perPage: 1 });
      await expect(client.getActivity(mine.accessToken, theirActivity!.id)).rejects.toBeInstanceOf(StravaNotFoundError);
    });
  });

  describe('activity streams', () => {
    interface Planted {
      activityId: number;
      distance: number;
      elapsedTime: number;
      startOffset: number;
    }

    it('serves a StreamSet keyed by type, consistent with the activity, costing one read request', async () => {
      const tokens = await connect();
      const [activity] = await client.listActivitiesPage(tokens.accessToken, { perPage: 1 });
      const before = client.rateLimits!.read!.fifteenMinute.usage;
      const streams = await client.getActivityStreams(tokens.accessToken, activity!.id);
      expect(client.rateLimits!.read!.fifteenMinute.usage).toBe(before + 1);
      assertValid(validStreamSet, streams, '/activities/{id}/streams');
      const size = streams.time!.data.length;
      expect(streams.time).toMatchObject({ series_type: 'distance', original_size: size, resolution: 'high' });
      expect(streams.distance!.data).toHaveLength(size);
      expect(streams.time!.data[size - 1]).toBe(activity!.elapsed_time);
      expect(streams.distance!.data[size - 1]).toBe(activity!.distance);
      expect(Object.keys(streams).sort()).toEqual(
        ['altitude', 'distance', 'time', ...(activity!.map.summary_polyline ? ['latlng'] : [])]
          .concat(activity!.has_heartrate ? ['heartrate'] : [])
          .sort(),
      );
    });

    it('without key_by_type answers a list of typed streams, and always sends the distance series', async () => {
      const tokens = await connect();
      const [activity] = await client.listActivitiesPage(tokens.accessToken, { perPage: 1 });
      const response = await fetch(`${sandbox.baseUrl}/api/v3/activities/${activity!.id}/streams?keys=altitude`, {
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      expect(response.status).toBe(200);
      const list = (await response.json()) as Array<{ type: string }>;
      expect(list.map((item) => item.type)).toEqual(['distance', 'altitude']);
      for (const item of list) assertValid(validStream, item, 'a stream of the list');
      // The client accepts the list form too.
      const byType = await fetch(
        `${sandbox.baseUrl}/api/v3/activities/${activity!.id}/streams?keys=time,heartrate,watts&key_by_type=true`,
        { headers: { authorization: `Bearer ${tokens.accessToken}` } },
      );
      const set = (await byType.json()) as Record<string, unknown>;
      assertValid(validStreamSet, set, 'streams keyed by type');
      expect(Object.keys(set)).not.toContain('watts');
      expect(Object.keys(set)).toContain('distance');
    });

    it("answers 404 for another athlete's activity, a manual one and an unknown id; 401 without an activity scope", async () => {
      const mine = await connect(athletes[0]!.id);
      const theirs = await connect(athletes[1]!.id);
      const [theirActivity] = await client.listActivitiesPage(theirs.accessToken, { perPage: 1 });
      for (const id of [theirActivity!.id, 1, 'nope']) {
        const error = await client.getActivityStreams(mine.accessToken, id).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(StravaNotFoundError);
        assertValid(validFault, faultOf(error), 'streams 404');
      }
      const pages = await collect(client.listActivities(mine.accessToken));
      const manual = pages.flatMap((page) => page.activities).find((activity) => activity.manual);
      expect(manual).toBeDefined();
      await expect(client.getActivityStreams(mine.accessToken, manual!.id)).rejects.toBeInstanceOf(StravaNotFoundError);
      const readOnly = await connect(athletes[0]!.id, ['read']);
      await expect(client.getActivityStreams(readOnly.accessToken, theirActivity!.id)).rejects.toBeInstanceOf(
        StravaMissingScopeError,
      );
    });

    it('carries the planted fastest segments, which the best-efforts engine finds to the second', async () => {
      const tokens = await connect();
      const planted = await sandbox.admin<Planted[]>('GET', `/athletes/${athletes[0]!.id}/planted`);
      expect(planted.length).toBeGreaterThan(3);
      for (const segment of planted.slice(0, 4)) {
        const activity = await client.getActivity(tokens.accessToken, segment.activityId);
        const streams = await client.getActivityStreams(tokens.accessToken, segment.activityId);
        const result = computeBestEfforts(
          { time: streams.time?.data, distance: streams.distance?.data, latlng: streams.latlng?.data },
          { distance: activity.distance, elapsedTime: activity.elapsed_time },
        );
        const found = result.efforts.find((effort) => effort.distance === segment.distance)!;
        expect(Math.abs(found.elapsedTime - segment.elapsedTime)).toBeLessThanOrEqual(1);
        expect(Math.abs(found.startOffset - segment.startOffset)).toBeLessThanOrEqual(1);
      }
    });
  });

  describe('rate limits', () => {
    it('reports usage from the four headers and turns a 429 into an error that resets at the next quarter hour', async () => {
      const tokens = await connect();
      await sandbox.admin('PUT', '/settings', { rateLimits: { overall15min: 3, read15min: 100 } });
      await client.getAthlete(tokens.accessToken);
      expect(client.rateLimits?.overall.fifteenMinute).toEqual({ limit: 3, usage: 1 });
      expect(client.rateLimits?.read?.daily).toEqual({ limit: 1000, usage: 1 });
      await client.getAthlete(tokens.accessToken);
      await client.getAthlete(tokens.accessToken);
      // Usage is at the limit: the client refuses without calling.
      const before = await sandbox.admin<{ total: number }>('GET', '/requests');
      const refused = (await client
        .getAthlete(tokens.accessToken)
        .catch((caught: unknown) => caught)) as StravaRateLimitError;
      expect(refused.name).toBe('StravaRateLimitError');
      expect(refused.sent).toBe(false);
      expect((await sandbox.admin<{ total: number }>('GET', '/requests')).total).toBe(before.total);

      // A client that did not know gets the 429 itself.
      const other = new StravaClient({ baseUrl: sandbox.baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
      const limited = (await other
        .getAthlete(tokens.accessToken)
        .catch((caught: unknown) => caught)) as StravaRateLimitError;
      expect(limited.name).toBe('StravaRateLimitError');
      expect(limited.sent).toBe(true);
      expect(limited.scope).toBe('15min');
      const quarter = 15 * 60 * 1000;
      expect(limited.resetAt.getTime()).toBe((Math.floor(Date.now() / quarter) + 1) * quarter);
      expect(faultOf(limited)).toEqual({
        message: 'Rate Limit Exceeded',
        errors: [{ resource: 'Application', field: 'rate limit', code: 'exceeded' }],
      });
      // Per application, not per athlete; and no Retry-After.
      const otherAthlete = await connect(athletes[1]!.id);
      const response = await fetch(`${sandbox.baseUrl}/api/v3/athlete`, {
        headers: { authorization: `Bearer ${otherAthlete.accessToken}` },
      });
      expect(response.status).toBe(429);
      expect(response.headers.has('retry-after')).toBe(false);
      assertValid(validFault, await response.json(), '429 fault');
    });

    it('uses midnight UTC when the daily limit is reached', async () => {
      const tokens = await connect();
      await sandbox.admin('PUT', '/settings', { rateLimits: { overallDaily: 50 }, usage: { daily: 50 } });
      const error = (await client
        .getAthlete(tokens.accessToken)
        .catch((caught: unknown) => caught)) as StravaRateLimitError;
      expect(error.scope).toBe('daily');
      const day = 86_400_000;
      expect(error.resetAt.getTime()).toBe((Math.floor(Date.now() / day) + 1) * day);
    });

    it('sends the headers on errors too, in the windows of the clock', async () => {
      // Both requests in one UTC day: run near midnight, the 15 minutes would cross into a new
      // daily window and reset its count. Move the clock past midnight first when that is near.
      const { now } = await sandbox.admin<{ now: string }>('POST', '/clock', { advance_seconds: 0 });
      const secondsToMidnight = 86_400 - ((Date.parse(now) / 1000) % 86_400);
      if (secondsToMidnight < 20 * 60)
        await sandbox.admin('POST', '/clock', { advance_seconds: Math.ceil(secondsToMidnight) + 60 });
      const response = await fetch(`${sandbox.baseUrl}/api/v3/athlete`);
      expect(response.status).toBe(401);
      expect(response.headers.get('x-ratelimit-limit')).toBe('200,2000');
      expect(response.headers.get('x-ratelimit-usage')).toBe('1,1');
      expect(response.headers.get('x-readratelimit-limit')).toBe('100,1000');
      await sandbox.admin('POST', '/clock', { advance_seconds: 15 * 60 });
      const later = await fetch(`${sandbox.baseUrl}/api/v3/athlete`);
      expect(later.headers.get('x-ratelimit-usage')).toBe('1,2');
    });
  });

  describe("Strava's 2026 developer program", () => {
    it('answers 403 Application Inactive to every call while the app is inactive', async () => {
      const tokens = await connect();
      await sandbox.admin('PUT', '/settings', { program: { appInactive: true } });
      const error = await client.getAthlete(tokens.accessToken).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StravaAppInactiveError);
      expect((error as StravaAppInactiveError).reason).toBe('app_inactive');
      expect((error as StravaAppInactiveError).operatorProblem).toBe(true);
      await expect(client.refresh(tokens.refreshToken)).rejects.toBeInstanceOf(StravaAppInactiveError);
    });

    it('refuses more connected athletes than the limit', async () => {
      await sandbox.admin('PUT', '/settings', { program: { athleteLimit: 1 } });
      await connect(athletes[0]!.id);
      await connect(athletes[0]!.id); // the same athlete again is fine
      const error = await connect(athletes[1]!.id).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StravaAppInactiveError);
      expect((error as StravaAppInactiveError).reason).toBe('athlete_limit');
    });
  });

  describe('push subscriptions', () => {
    let receiver: Receiver;
    beforeEach(async () => {
      receiver = await startReceiver('verify-me');
    });
    afterAll(() => receiver?.close());

    it('verifies the callback, allows one subscription, lists and deletes it', async () => {
      expect(await client.createPushSubscription(receiver.url, 'verify-me')).toEqual({ id: 1 });
      const [subscription] = await client.listPushSubscriptions();
      expect(subscription).toMatchObject({ id: 1, callback_url: receiver.url, application_id: Number(CLIENT_ID) });
      await expect(client.createPushSubscription(receiver.url, 'verify-me')).rejects.toMatchObject({ status: 400 });
      await client.deletePushSubscription(1);
      expect(await client.listPushSubscriptions()).toEqual([]);
      await receiver.close();
    });

    it('fails when the callback does not echo the challenge', async () => {
      receiver.script.push('wrong-challenge');
      const error = await client.createPushSubscription(receiver.url, 'verify-me').catch((caught: unknown) => caught);
      expect(faultOf(error)).toEqual({
        message: 'Bad Request',
        errors: [{ resource: 'PushSubscription', field: 'callback url', code: 'not verifiable' }],
      });
      await expect(client.createPushSubscription(`${receiver.url}?x=1`, 'wrong-token')).rejects.toMatchObject({
        status: 400,
      });
      // Strava waits 2 s for the echo, no longer.
      receiver.script.push('slow');
      await expect(client.createPushSubscription(receiver.url, 'verify-me')).rejects.toMatchObject({ status: 400 });
      expect(await client.listPushSubscriptions()).toEqual([]);
      await receiver.close();
    });

    it('delivers activity events and the deauthorization, retrying up to 3 attempts', async () => {
      await client.createPushSubscription(receiver.url, 'verify-me');
      const athleteId = athletes[0]!.id;
      // Events only concern athletes who authorized the app.
      await sandbox.admin('POST', `/athletes/${athletes[1]!.id}/activities`, {});
      await connect(athleteId);
      receiver.script.push('fail', 'fail'); // the first two attempts fail, the third lands
      const { activity } = await sandbox.admin<{ activity: { id: number } }>(
        'POST',
        `/athletes/${athleteId}/activities`,
        { name: 'Sandbox run', distance: 10_000 },
      );
      await eventually(() => receiver.events.length === 1);
      expect(receiver.posts).toBe(3);
      expect(receiver.events[0]).toMatchObject({
        object_type: 'activity',
        object_id: activity.id,
        aspect_type: 'create',
        owner_id: athleteId,
        subscription_id: 1,
        updates: {},
      });
      expect(receiver.events[0]!.event_time).toEqual(expect.any(Number));

      await sandbox.admin('PUT', `/activities/${activity.id}`, { name: 'Messy', private: true });
      await sandbox.admin('DELETE', `/activities/${activity.id}`);
      await sandbox.admin('POST', `/athletes/${athleteId}/revoke`);
      await eventually(() => receiver.events.length === 4);
      expect(receiver.events.slice(1).map((e) => [e.object_type, e.aspect_type, e.updates])).toEqual([
        ['activity', 'update', { title: 'Messy', private: 'true' }],
        ['activity', 'delete', {}],
        ['athlete', 'update', { authorized: 'false' }],
      ]);

      receiver.script.push('fail', 'fail', 'fail');
      await connect(athleteId);
      await sandbox.admin('POST', `/athletes/${athleteId}/activities`, {});
      await eventually(
        async () =>
          (await sandbox.admin<Array<{ status: string }>>('GET', '/webhooks/deliveries')).at(-1)!.status === 'failed',
      );
      const last = (await sandbox.admin<Array<{ attempts: number }>>('GET', '/webhooks/deliveries')).at(-1)!;
      expect(last.attempts).toBe(3);
      await receiver.close();
    });
  });

  it('has schema validators that do reject wrong shapes', async () => {
    const [activity] = await client.listActivitiesPage((await connect()).accessToken, { perPage: 1 });
    expect(validActivities([activity])).toBe(true);
    expect(validActivities([{ ...activity, distance: '10 km' }])).toBe(false);
    expect(validActivities([{ ...activity, sport_type: 'Jogging' }])).toBe(false);
    expect(validActivities([{ ...activity, start_date: '2026-01-01 10:00' }])).toBe(false);
    expect(validFault({ message: 'x', errors: [{ resource: 1 }] })).toBe(false);
  });

  it('never saw a token in a URL', async () => {
    const tokens = await connect();
    await client.getAthlete(tokens.accessToken);
    await collect(client.listActivities(tokens.accessToken, { perPage: 200 }));
    await client.deauthorize(tokens.accessToken);
    expect((await sandbox.admin<{ accessTokenInQuery: number }>('GET', '/requests')).accessTokenInQuery).toBe(0);
  });
});
