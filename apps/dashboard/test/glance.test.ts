import { RUN_SPORT_TYPES } from '@runnerly/data-client';
import { decodePolyline, encodePolyline, type LatLng } from '@runnerly/strava/polyline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CookieJar } from './cookie-jar.js';
import { type Stack, startStack } from './full-stack.js';
import { loginAs } from './login.js';

/**
 * The year at a glance through the dashboard, against the sandbox stack: a runner with no runs
 * (before any sync), then Aiko in Tokyo (UTC+9) once the worker has synced her history. Every
 * expected value is computed here, independently, from the activities the sandbox serves.
 */

interface Activity {
  id: number;
  sport_type: string;
  start_date_local: string;
  distance: number;
  gear_id: string | null;
  map: { summary_polyline: string | null };
}

const DAY_MS = 86_400_000;
const RUN_TYPES = new Set<string>(RUN_SPORT_TYPES);
const epochDay = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const isoDay = (days: number) => new Date(days * DAY_MS).toISOString().slice(0, 10);
/** Weeks from Monday: 1970-01-01 was a Thursday. */
const weekOf = (day: string) => Math.floor((epochDay(day) + 3) / 7);
const tokyoToday = () =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

/** Lengths of runs of consecutive integers (sorted, unique) and the one ending at `last` or later. */
function islands(values: number[]): Array<{ last: number; length: number }> {
  const out: Array<{ last: number; length: number }> = [];
  for (const value of values) {
    const current = out.at(-1);
    if (current && value === current.last + 1) {
      current.last = value;
      current.length += 1;
    } else out.push({ last: value, length: 1 });
  }
  return out;
}

function eddington(dayTotals: number[], unit: number): { number: number; nextNeeded: number } {
  const whole = dayTotals.map((metres) => Math.floor(metres / unit)).sort((a, b) => b - a);
  let number = 0;
  while (number < whole.length && whole[number]! >= number + 1) number += 1;
  return { number, nextNeeded: number + 1 - whole.filter((n) => n >= number + 1).length };
}

function haversine([lat1, lng1]: LatLng, [lat2, lng2]: LatLng): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

describe('dashboard: the year at a glance', () => {
  let stack: Stack;
  let empty: CookieJar;
  let aiko: CookieJar;
  let aikoId: number;

  const get = (jar: CookieJar, path: string) => jar.fetch(`${stack.dashboard.url}${path}`);
  const json = async (jar: CookieJar, path: string) => {
    const response = await get(jar, path);
    expect(response.status, path).toBe(200);
    return response.json();
  };
  const put = async (jar: CookieJar, path: string, body: unknown, csrf = true) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (csrf) headers['x-csrf-token'] = (await json(jar, '/api/me')).csrfToken;
    return jar.fetch(`${stack.dashboard.url}${path}`, { method: 'PUT', headers, body: JSON.stringify(body) });
  };

  /** Aiko's activities as the sandbox serves them (her own token, every page). */
  async function stravaActivities(): Promise<Activity[]> {
    const tokens = await fetch(`${stack.sandbox.url}/_sandbox/athletes/${aikoId}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'read,activity:read_all,profile:read_all' }),
    });
    const { access_token: token } = (await tokens.json()) as { access_token: string };
    const all: Activity[] = [];
    for (let page = 1; ; page += 1) {
      const response = await fetch(`${stack.sandbox.url}/api/v3/athlete/activities?per_page=200&page=${page}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const items = (await response.json()) as Activity[];
      if (items.length === 0) return all;
      all.push(...items);
    }
  }

  beforeAll(async () => {
    stack = await startStack({ sandboxEnv: { STRAVA_SANDBOX_ATHLETES: '3' } });
    const [, lukas, tokyo] = await stack.sandbox.athletes();
    aikoId = tokyo!.id;
    ({ jar: empty } = await loginAs(stack, lukas!.id));
    ({ jar: aiko } = await loginAs(stack, aikoId));
  }, 120_000);
  afterAll(() => stack?.close());

  it('answers a runner with no runs (yet) with empty views and zeros', async () => {
    const calendar = await json(empty, '/api/calendar');
    expect(calendar.days).toEqual([]);
    expect(calendar.streaks).toEqual({ currentDays: 0, longestDays: 0, currentWeeks: 0, longestWeeks: 0 });
    expect(await json(empty, '/api/eddington')).toEqual({
      km: { number: 0, nextNeeded: 1 },
      mi: { number: 0, nextNeeded: 1 },
    });
    expect((await json(empty, '/api/years')).years).toEqual([]);
    expect(await json(empty, '/api/goal')).toMatchObject({ distance: null, done: 0, projected: 0, expected: null });
    expect(await json(empty, '/api/shoes')).toEqual([]);
    expect(await json(empty, '/api/routes')).toEqual({ privacyMeters: 200, routes: [] });
  });

  it('refuses bad input with a 400 JSON, PUTs without the CSRF token with a 403, strangers with a 401', async () => {
    for (const query of [
      'from=2026-03-02&to=2026-03-01',
      'from=2024-01-01&to=2026-01-01',
      'from=2026-02-31',
      'to=yesterday',
      'from=2026-01-01&extra=1',
    ]) {
      const response = await get(empty, `/api/calendar?${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.json(), query).toMatchObject({ error: 'validation_failed' });
    }
    for (const body of [{ year: 2026 }, { year: 1800, distance: 1000 }, { year: 2026, distance: -1 }, {}]) {
      const response = await put(empty, '/api/goal', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'validation_failed' });
    }
    expect((await get(empty, '/api/goal?year=abc')).status).toBe(400);
    expect((await put(empty, '/api/goal', { year: 2026, distance: 1000 }, false)).status).toBe(403);
    expect((await put(empty, '/api/shoes/g1', { retireAt: 1000 }, false)).status).toBe(403);
    expect((await put(empty, '/api/shoes/g1', { retireAt: 0 })).status).toBe(400);
    expect((await put(empty, '/api/shoes/not%20an%20id', { retireAt: 1000 })).status).toBe(400);
    const unknown = await put(empty, '/api/shoes/g1', { retireAt: 1000 });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'shoe_not_found' });
    for (const path of ['/api/calendar', '/api/eddington', '/api/years', '/api/goal', '/api/shoes', '/api/routes']) {
      expect((await fetch(`${stack.dashboard.url}${path}`)).status, path).toBe(401);
    }
  });

  describe('Aiko in Tokyo, synced', () => {
    let runs: Activity[];
    const perDay = new Map<string, { distance: number; runs: number }>();

    beforeAll(async () => {
      await stack.startWorker();
      const deadline = Date.now() + 90_000;
      for (;;) {
        const state = await json(aiko, '/api/sync');
        if (state.status === 'done') break;
        if (Date.now() > deadline || state.status === 'failed') throw new Error(`sync: ${JSON.stringify(state)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      runs = (await stravaActivities()).filter((activity) => RUN_TYPES.has(activity.sport_type));
      for (const run of runs) {
        // The local day: the wall clock Strava writes (with its misleading Z), not the UTC one.
        const day = run.start_date_local.slice(0, 10);
        const entry = perDay.get(day) ?? { distance: 0, runs: 0 };
        entry.distance += run.distance;
        entry.runs += 1;
        perDay.set(day, entry);
      }
      expect(runs.length).toBeGreaterThan(300);
    }, 120_000);

    it('calendar: the last 53 weeks of Tokyo days with their totals, and the streaks', async () => {
      const today = tokyoToday();
      const calendar = await json(aiko, '/api/calendar');
      expect(calendar.today).toBe(today);
      const from = isoDay(epochDay(calendar.today) + 1 - 371);
      const expected = [...perDay]
        .filter(([day]) => day >= from)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([date, { distance, runs: count }]) => ({ date, distance, runs: count }));
      expect(calendar.days.map((day: { date: string; runs: number }) => [day.date, day.runs])).toEqual(
        expected.map((day) => [day.date, day.runs]),
      );
      calendar.days.forEach((day: { distance: number }, i: number) =>
        expect(day.distance).toBeCloseTo(expected[i]!.distance, 6),
      );

      const days = islands([...perDay.keys()].map(epochDay).sort((a, b) => a - b));
      const weeks = islands([...new Set([...perDay.keys()].map(weekOf))].sort((a, b) => a - b));
      const lastDays = days.at(-1)!;
      const lastWeeks = weeks.at(-1)!;
      expect(calendar.streaks).toEqual({
        currentDays: lastDays.last >= epochDay(today) - 1 ? lastDays.length : 0,
        longestDays: Math.max(...days.map((island) => island.length)),
        currentWeeks: lastWeeks.last >= weekOf(today) - 1 ? lastWeeks.length : 0,
        longestWeeks: Math.max(...weeks.map((island) => island.length)),
      });
      expect(calendar.streaks.longestWeeks).toBeGreaterThan(4);

      // A chosen range, inclusive at both ends.
      const [first] = expected;
      const one = await json(aiko, `/api/calendar?from=${first!.date}&to=${first!.date}`);
      expect(one.days).toHaveLength(1);
      expect(one.days[0].runs).toBe(first!.runs);
    });

    it('Eddington in km and in miles from the Tokyo day totals', async () => {
      const totals = [...perDay.values()].map((day) => day.distance);
      const expected = { km: eddington(totals, 1000), mi: eddington(totals, 1609.344) };
      expect(await json(aiko, '/api/eddington')).toEqual(expected);
      expect(expected.km.number).toBeGreaterThan(expected.mi.number);
    });

    it('years: totals, months and cumulative distance by day of year', async () => {
      const { years } = await json(aiko, '/api/years');
      const byYear = new Map<number, { distance: number; runs: number; months: number[] }>();
      for (const [day, { distance, runs: count }] of perDay) {
        const year = Number(day.slice(0, 4));
        const entry = byYear.get(year) ?? { distance: 0, runs: 0, months: Array<number>(12).fill(0) };
        entry.distance += distance;
        entry.runs += count;
        entry.months[Number(day.slice(5, 7)) - 1]! += distance;
        byYear.set(year, entry);
      }
      expect(years.map((y: { year: number }) => y.year)).toEqual([...byYear.keys()].sort());
      const thisYear = Number(tokyoToday().slice(0, 4));
      for (const year of years) {
        const expected = byYear.get(year.year)!;
        expect(year.runs).toBe(expected.runs);
        expect(year.distance).toBeCloseTo(expected.distance, 4);
        year.months.forEach((month: number, i: number) => expect(month).toBeCloseTo(expected.months[i]!, 4));
        expect(year.cumulative.at(-1)).toBeCloseTo(expected.distance, 4);
        if (year.year < thisYear) expect(year.cumulative).toHaveLength(year.year % 4 === 0 ? 366 : 365);
        // Never decreasing; 31 January holds January.
        expect(year.cumulative.every((value: number, i: number) => i === 0 || value >= year.cumulative[i - 1])).toBe(
          true,
        );
        if (year.cumulative.length >= 31) expect(year.cumulative[30]).toBeCloseTo(expected.months[0]!, 4);
      }
    });

    it('goal: set with the CSRF token, where she stands and the projection to 31 December', async () => {
      const today = tokyoToday();
      const year = Number(today.slice(0, 4));
      const done = [...perDay]
        .filter(([day]) => day.startsWith(`${year}-`))
        .reduce((sum, [, { distance }]) => sum + distance, 0);
      const elapsed = epochDay(today) - epochDay(`${year}-01-01`) + 1;
      const length = year % 4 === 0 ? 366 : 365;
      const response = await put(aiko, '/api/goal', { year, distance: 2_000_000 });
      expect(response.status).toBe(200);
      const goal = await response.json();
      expect(goal).toMatchObject({ year, distance: 2_000_000 });
      expect(goal.done).toBeCloseTo(done, 4);
      expect(goal.projected).toBeCloseTo((done * length) / elapsed, 4);
      expect(goal.expected).toBeCloseTo((2_000_000 * elapsed) / length, 4);
      expect(await json(aiko, '/api/goal')).toEqual(goal);
      expect((await json(aiko, `/api/goal?year=${year - 1}`)).distance).toBeNull();
    });

    it("shoes: Strava's names, the distance of her runs in each, her threshold and the warning near it", async () => {
      const perGear = new Map<string, number>();
      for (const run of runs) if (run.gear_id) perGear.set(run.gear_id, (perGear.get(run.gear_id) ?? 0) + run.distance);
      const shoes = await json(aiko, '/api/shoes');
      expect(shoes.map((shoe: { name: string }) => shoe.name).sort()).toEqual(['Daily trainers', 'Race flats']);
      const warning = (distance: number, retireAt: number) =>
        distance >= retireAt ? 'over' : distance >= 0.9 * retireAt ? 'near' : null;
      for (const shoe of shoes) {
        expect(shoe.distance).toBeCloseTo(perGear.get(shoe.id)!, 4);
        expect(shoe.retireAt).toBe(800_000);
        expect(shoe.warning).toBe(warning(shoe.distance, 800_000));
      }
      // A threshold just above the mileage: near, not over.
      const [shoe] = shoes;
      const retireAt = Math.ceil(shoe.distance / 0.95);
      const response = await put(aiko, `/api/shoes/${shoe.id}`, { retireAt });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: shoe.id, retireAt, warning: 'near' });
      const again = (await json(aiko, '/api/shoes')).find((item: { id: string }) => item.id === shoe.id);
      expect(again).toMatchObject({ retireAt, warning: 'near' });
    });

    it('routes: the newest 500 with a route, their first and last 200 m hidden', async () => {
      const { privacyMeters, routes } = await json(aiko, '/api/routes');
      expect(privacyMeters).toBe(200);
      const byId = new Map(runs.map((run) => [run.id, run]));
      const withRoute = runs.filter((run) => run.map.summary_polyline);
      expect(routes.length).toBe(Math.min(500, withRoute.length));
      for (const route of routes) {
        const original = decodePolyline(byId.get(route.id)!.map.summary_polyline!);
        const shown = decodePolyline(route.polyline);
        expect(route.date).toBe(byId.get(route.id)!.start_date_local.slice(0, 10));
        expect(shown.length).toBeGreaterThan(1);
        // The cut points lie 200 m along the route: in a straight line, no further than that from the ends
        // (give or take the 1e-5° rounding of the encoding).
        expect(haversine(original[0]!, shown[0]!)).toBeLessThanOrEqual(202);
        expect(haversine(original.at(-1)!, shown.at(-1)!)).toBeLessThanOrEqual(202);
        // Every point shown between the cuts is a point of the route at least 200 m from either end along it.
        const along = [0];
        for (let i = 1; i < original.length; i += 1)
          along.push(along[i - 1]! + haversine(original[i - 1]!, original[i]!));
        const total = along.at(-1)!;
        for (const point of shown.slice(1, -1)) {
          const index = original.findIndex(
            (candidate) => Math.abs(candidate[0] - point[0]) < 1e-6 && Math.abs(candidate[1] - point[1]) < 1e-6,
          );
          expect(index).toBeGreaterThan(-1);
          expect(along[index]!).toBeGreaterThanOrEqual(199.9);
          expect(total - along[index]!).toBeGreaterThanOrEqual(199.9);
        }
        expect(route.polyline).not.toBe(encodePolyline(original));
      }
    });
  });
});
