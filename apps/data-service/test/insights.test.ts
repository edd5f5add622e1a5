import type { RunInput } from '@runnerly/data-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, makeRun, startService, USER } from './harness.js';

/**
 * The year at a glance against the real PostgreSQL, every expected value worked out by hand in the
 * comments. Days are the athlete's local days: the runs carry Strava's local wall clock and zone.
 */

const BERLIN = '(GMT+01:00) Europe/Berlin';
const TOKYO = '(GMT+09:00) Asia/Tokyo';
const UTC = '(GMT+00:00) UTC';
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` on the wall clock of `zone` now. */
function localToday(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const dayOfYear = (day: string) =>
  (Date.parse(`${day}T00:00:00Z`) - Date.UTC(Number(day.slice(0, 4)), 0, 1)) / DAY_MS + 1;
const daysInYear = (year: number) => ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365);

/** A run at `local` wall-clock time in a zone `offsetHours` ahead of UTC. */
function runAt(local: string, offsetHours: number, timezone: string, overrides: Partial<RunInput> = {}): RunInput {
  const utc = new Date(Date.parse(`${local}Z`) - offsetHours * 3600_000).toISOString().replace(/\.000Z$/, 'Z');
  return makeRun({ startDate: utc, startDateLocal: local, timezone, distance: 5000, ...overrides });
}

let athlete = 77_000;

describe('data-service: the year at a glance', () => {
  let h: Harness;

  async function newUser(runs: RunInput[] = []): Promise<string> {
    athlete += 1;
    const id = (await h.call('PUT', '/users', { body: { ...USER, stravaAthleteId: athlete } })).body.id as string;
    if (runs.length > 0) expect((await h.call('PUT', `/users/${id}/runs`, { body: { runs } })).status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    h = await startService();
  });
  afterAll(() => h?.close());

  describe('calendar and streaks', () => {
    it('counts a run at 23:30 in Tokyo on that Tokyo day, and one at 00:30 on the next, though both are one UTC day', async () => {
      const id = await newUser([
        // 2026-03-01 14:30 UTC and 15:30 UTC: both 1 March in UTC, 1 and 2 March in Tokyo.
        runAt('2026-03-01T23:30:00', 9, TOKYO, { distance: 10_000 }),
        runAt('2026-03-02T00:30:00', 9, TOKYO, { distance: 4_000 }),
        runAt('2026-03-02T18:00:00', 9, TOKYO, { distance: 6_000 }),
      ]);
      const { status, body } = await h.call('GET', `/users/${id}/calendar?from=2026-02-28&to=2026-03-03`);
      expect(status).toBe(200);
      expect(body.days).toEqual([
        { date: '2026-03-01', distance: 10_000, runs: 1 },
        { date: '2026-03-02', distance: 10_000, runs: 2 },
      ]);
      // Two days in a row, in one week (Sunday 1 March, Monday 2 March: two ISO weeks).
      expect(body.streaks).toEqual({ currentDays: 0, longestDays: 2, currentWeeks: 0, longestWeeks: 2 });
      // Today is the Tokyo day of the latest run's zone.
      expect(body.today).toBe(localToday('Asia/Tokyo'));
      // The range is inclusive at both ends, and only what is in it.
      expect(
        (await h.call('GET', `/users/${id}/calendar?from=2026-03-02&to=2026-03-02`)).body.days.map(
          (day: { date: string }) => day.date,
        ),
      ).toEqual(['2026-03-02']);
    });

    it('finds the longest streaks across a year boundary and a DST change (Berlin)', async () => {
      const id = await newUser([
        // 30 Dec 2025 .. 2 Jan 2026: 4 days, one ISO week (Monday 29 December .. Sunday 4 January).
        runAt('2025-12-30T07:00:00', 1, BERLIN),
        runAt('2025-12-31T23:50:00', 1, BERLIN),
        runAt('2026-01-01T10:00:00', 1, BERLIN),
        runAt('2026-01-02T07:00:00', 1, BERLIN),
        // 27 March .. 2 April 2026 over the spring-forward night of 29 March: 7 days; weeks of 23 and 30 March.
        runAt('2026-03-27T07:00:00', 1, BERLIN, { distance: 8000 }),
        runAt('2026-03-28T07:00:00', 1, BERLIN, { distance: 8000 }),
        runAt('2026-03-29T00:30:00', 1, BERLIN, { distance: 8000 }), // 28 March 23:30 UTC
        runAt('2026-03-30T07:00:00', 2, BERLIN, { distance: 8000 }),
        runAt('2026-03-31T07:00:00', 2, BERLIN, { distance: 8000 }),
        runAt('2026-04-01T07:00:00', 2, BERLIN, { distance: 8000 }),
        runAt('2026-04-02T07:00:00', 2, BERLIN, { distance: 8000 }),
        // Wednesday 8 April: the third week in a row (6 April), not an eighth day.
        runAt('2026-04-08T07:00:00', 2, BERLIN, { distance: 10_000 }),
      ]);
      const { body } = await h.call('GET', `/users/${id}/calendar?from=2026-03-28&to=2026-03-29`);
      expect(body.days).toEqual([
        { date: '2026-03-28', distance: 8000, runs: 1 },
        { date: '2026-03-29', distance: 8000, runs: 1 },
      ]);
      expect(body.streaks).toEqual({ currentDays: 0, longestDays: 7, currentWeeks: 0, longestWeeks: 3 });

      // Years: 2025 holds 2 runs (10 km, December); 2026 holds 10 runs: January 10 km, March 5 × 8 km,
      // April 2 × 8 km + 10 km = 76 km.
      const years = (await h.call('GET', `/users/${id}/years`)).body;
      const today = localToday('Europe/Berlin');
      expect(years.today).toBe(today);
      expect(
        years.years.map((y: { year: number; distance: number; runs: number }) => [y.year, y.distance, y.runs]),
      ).toEqual([
        [2025, 10_000, 2],
        [2026, 76_000, 10],
      ]);
      expect(years.years[0].months).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10_000]);
      expect(years.years[1].months).toEqual([10_000, 0, 40_000, 26_000, 0, 0, 0, 0, 0, 0, 0, 0]);
      const [y2025, y2026] = years.years;
      expect(y2025.cumulative).toHaveLength(365);
      expect(y2025.cumulative.slice(361)).toEqual([0, 0, 5000, 10_000]); // 28 .. 31 December
      const thisYear = Number(today.slice(0, 4));
      expect(y2026.cumulative).toHaveLength(thisYear === 2026 ? dayOfYear(today) : 365);
      expect(y2026.cumulative.slice(0, 3)).toEqual([5000, 10_000, 10_000]);
      expect(y2026.cumulative[dayOfYear('2026-03-27') - 1]).toBe(18_000);
      expect(y2026.cumulative[dayOfYear('2026-04-08') - 1]).toBe(76_000);
      expect(y2026.cumulative.at(-1)).toBe(76_000);
    });

    it('counts current streaks up to today (or yesterday) in the athlete’s zone', async () => {
      const today = localToday('UTC');
      const day = (offset: number, distance = 5000) =>
        runAt(`${addDays(today, offset)}T06:00:00`, 0, UTC, { distance });
      // Today, yesterday and the day before: 3 days. Weeks of today-14, today-7, today: 3 weeks in a row.
      const id = await newUser([day(0), day(-1), day(-2), day(-7), day(-14)]);
      const { body } = await h.call('GET', `/users/${id}/calendar?from=${addDays(today, -30)}&to=${today}`);
      expect(body.streaks).toEqual({ currentDays: 3, longestDays: 3, currentWeeks: 3, longestWeeks: 3 });
      expect(body.days).toHaveLength(5);

      // Yesterday and the day before in Tokyo, wherever UTC is: still current on the Tokyo calendar.
      const tokyo = localToday('Asia/Tokyo');
      const id2 = await newUser([
        runAt(`${addDays(tokyo, -1)}T23:30:00`, 9, TOKYO),
        runAt(`${addDays(tokyo, -2)}T23:30:00`, 9, TOKYO),
        runAt(`${addDays(tokyo, -4)}T23:30:00`, 9, TOKYO),
      ]);
      const tokyoStreaks = (await h.call('GET', `/users/${id2}/calendar?from=${addDays(tokyo, -5)}&to=${tokyo}`)).body;
      expect(tokyoStreaks.streaks.currentDays).toBe(2);
      expect(tokyoStreaks.streaks.longestDays).toBe(2);
      expect(tokyoStreaks.today).toBe(tokyo);
    });

    it('refuses bad ranges with a 400 JSON naming the field', async () => {
      const id = await newUser();
      for (const query of [
        'from=2026-03-02&to=2026-03-01',
        'from=2025-01-01&to=2026-02-05',
        'from=2026-02-30&to=2026-03-01',
        'from=2026-03-01',
        'from=0000-01-01&to=0000-01-02',
        'from=2026-03-01&to=2026-03-02&x=1',
      ]) {
        const { status, body } = await h.call('GET', `/users/${id}/calendar?${query}`);
        expect(status, query).toBe(400);
        expect(body.error, query).toBe('validation_failed');
      }
      // 400 days is the most: 2025-01-01 .. 2026-02-04.
      expect((await h.call('GET', `/users/${id}/calendar?from=2025-01-01&to=2026-02-04`)).status).toBe(200);
    });
  });

  describe('Eddington', () => {
    it('gives the known number in km and in miles, with the days missing for the next', async () => {
      // Day totals (km): 12, 10 (6 + 4 on one day), 10, 9, 5, 3, 3, 1.5.
      // km: 12 ≥ 1, 10 ≥ 2, 10 ≥ 3, 9 ≥ 4, 5 ≥ 5, 3 < 6 → E = 5; days ≥ 6 km: 4 → 2 missing for 6.
      // mi: 7.46, 6.21, 6.21, 5.59, 3.11, 1.86, 1.86, 0.93 → E = 4 (3.11 < 5); days ≥ 5 mi: 4 → 1 missing.
      const km = [12, 10, 9, 5, 3, 3, 1.5];
      const runs = km.map((distance, i) =>
        runAt(`2026-05-${String(i + 1).padStart(2, '0')}T08:00:00`, 2, BERLIN, { distance: distance * 1000 }),
      );
      runs.push(runAt('2026-05-20T07:00:00', 2, BERLIN, { distance: 6000 }));
      runs.push(runAt('2026-05-20T19:00:00', 2, BERLIN, { distance: 4000 }));
      const id = await newUser(runs);
      expect((await h.call('GET', `/users/${id}/eddington`)).body).toEqual({
        km: { number: 5, nextNeeded: 2 },
        mi: { number: 4, nextNeeded: 1 },
      });
      // Kept per runs version: a new run shows at once. With a 20 km day: km 20, 12, 10, 10, 9, 5 → E = 5,
      // 5 days ≥ 6 km → 1 missing; mi 12.4, 7.5, 6.2, 6.2, 5.6, 3.1 → E = 5, 4 days ≥ 6 mi → 2 missing.
      const long = runAt('2026-05-25T08:00:00', 2, BERLIN, { distance: 20_000 });
      await h.call('PUT', `/users/${id}/runs`, { body: { runs: [long] } });
      expect((await h.call('GET', `/users/${id}/eddington`)).body).toEqual({
        km: { number: 5, nextNeeded: 1 },
        mi: { number: 5, nextNeeded: 2 },
      });
      expect((await h.call('GET', `/users/${id}/years`)).body.years[0].distance).toBe(73_500);
      // And so does a deleted one.
      await h.call('DELETE', `/users/${id}/runs/${long.stravaId}`);
      expect((await h.call('GET', `/users/${id}/eddington`)).body.km).toEqual({ number: 5, nextNeeded: 2 });
      expect((await h.call('GET', `/users/${id}/years`)).body.years[0].distance).toBe(53_500);
    });
  });

  describe('a runner with no runs', () => {
    it('answers every view empty, with zeros', async () => {
      const id = await newUser();
      const today = localToday('UTC');
      expect((await h.call('GET', `/users/${id}/calendar?from=2026-01-01&to=2026-12-31`)).body).toEqual({
        days: [],
        streaks: { currentDays: 0, longestDays: 0, currentWeeks: 0, longestWeeks: 0 },
        today,
      });
      expect((await h.call('GET', `/users/${id}/eddington`)).body).toEqual({
        km: { number: 0, nextNeeded: 1 },
        mi: { number: 0, nextNeeded: 1 },
      });
      expect((await h.call('GET', `/users/${id}/years`)).body).toEqual({ years: [], today });
      expect((await h.call('GET', `/users/${id}/goals/current`)).body).toEqual({
        year: Number(today.slice(0, 4)),
        distance: null,
        done: 0,
        projected: 0,
        expected: null,
      });
      expect((await h.call('GET', `/users/${id}/shoes`)).body).toEqual({ items: [] });
      expect((await h.call('GET', `/users/${id}/routes`)).body).toEqual({ items: [] });
    });

    it('answers 404 for a user that does not exist', async () => {
      const ghost = '00000000-0000-4000-8000-000000000000';
      for (const path of [
        'calendar?from=2026-01-01&to=2026-01-02',
        'eddington',
        'years',
        'goals/2026',
        'shoes',
        'routes',
      ]) {
        const { status, body } = await h.call('GET', `/users/${ghost}/${path}`);
        expect(status, path).toBe(404);
        expect(body.error).toBe('user_not_found');
      }
      expect((await h.call('PUT', `/users/${ghost}/goals/2026`, { body: { distance: 1000 } })).status).toBe(404);
      expect((await h.call('PUT', `/users/${ghost}/gear`, { body: { shoes: [] } })).status).toBe(404);
      expect((await h.call('PUT', `/users/${ghost}/shoes/g1`, { body: { retireAt: 1000 } })).status).toBe(404);
    });
  });

  describe('yearly goal', () => {
    it('stores a goal per year and projects the pace so far to 31 December', async () => {
      const today = localToday('UTC');
      const year = Number(today.slice(0, 4));
      // 20 km on 1 January, 10 km today: 30 km in `elapsed` days (today included).
      const id = await newUser([
        runAt(`${year}-01-01T07:00:00`, 0, UTC, { distance: 20_000 }),
        runAt(`${today}T05:00:00`, 0, UTC, { distance: 10_000 }),
        runAt(`${year - 1}-06-01T07:00:00`, 0, UTC, { distance: 7_000 }),
      ]);
      const elapsed = dayOfYear(today);
      const length = daysInYear(year);
      const put = await h.call('PUT', `/users/${id}/goals/${year}`, { body: { distance: 1_000_000 } });
      expect(put.status).toBe(200);
      const expected = {
        year,
        distance: 1_000_000,
        done: 30_000,
        projected: (30_000 * length) / elapsed,
        expected: (1_000_000 * elapsed) / length,
      };
      expect(put.body.projected).toBeCloseTo(expected.projected, 6);
      expect(put.body).toMatchObject({ year, distance: 1_000_000, done: 30_000 });
      const current = (await h.call('GET', `/users/${id}/goals/current`)).body;
      expect(current.projected).toBeCloseTo(expected.projected, 6);
      expect(current.expected).toBeCloseTo(expected.expected, 6);
      // Changed, not added.
      await h.call('PUT', `/users/${id}/goals/${year}`, { body: { distance: 1_500_000 } });
      expect((await h.call('GET', `/users/${id}/goals/${year}`)).body.distance).toBe(1_500_000);
      // Last year is over: projected is what was done; next year has not begun.
      expect((await h.call('GET', `/users/${id}/goals/${year - 1}`)).body).toEqual({
        year: year - 1,
        distance: null,
        done: 7_000,
        projected: 7_000,
        expected: null,
      });
      expect((await h.call('GET', `/users/${id}/goals/${year + 1}`)).body).toMatchObject({ done: 0, projected: 0 });
      expect(await h.sql('SELECT year, distance FROM data.goals WHERE user_id = $1', [id])).toEqual([
        { year, distance: 1_500_000 },
      ]);
    });

    it('refuses bad goals and needs users:write to set one', async () => {
      const id = await newUser();
      for (const [path, body] of [
        ['goals/2026', { distance: -5 }],
        ['goals/2026', { distance: 0 }],
        ['goals/2026', { distance: '100' }],
        ['goals/2026', { distance: 1e12 }],
        ['goals/1800', { distance: 1000 }],
        ['goals/current', { distance: 1000 }],
        ['goals/2026', { distance: 1000, extra: 1 }],
      ] as const) {
        const answer = await h.call('PUT', `/users/${id}/${path}`, { body });
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.error).toBe('validation_failed');
      }
      expect(
        (await h.call('PUT', `/users/${id}/goals/2026`, { body: { distance: 1000 }, scopes: ['runs:read'] })).status,
      ).toBe(403);
      expect((await h.call('GET', `/users/${id}/goals/2026`, { scopes: ['users:read'] })).status).toBe(403);
    });
  });

  describe('shoes', () => {
    it('sums the stored runs per gear, keeps the runner’s threshold across Strava updates', async () => {
      const id = await newUser([
        runAt('2026-06-01T07:00:00', 2, BERLIN, { distance: 250_000, gearId: 'g11' }),
        runAt('2026-06-02T07:00:00', 2, BERLIN, { distance: 250_000, gearId: 'g11' }),
        runAt('2026-06-03T07:00:00', 2, BERLIN, { distance: 250_000, gearId: 'g11' }),
        runAt('2026-06-04T07:00:00', 2, BERLIN, { distance: 12_000, gearId: 'g33' }),
        runAt('2026-06-05T07:00:00', 2, BERLIN, { distance: 9_000 }),
      ]);
      const listed = await h.call('PUT', `/users/${id}/gear`, {
        body: {
          shoes: [
            { id: 'g11', name: 'Daily trainers', primary: true, retired: false, distance: 812_000 },
            { id: 'g22', name: 'Race flats', primary: false, retired: true, distance: 204_000 },
          ],
        },
      });
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([
        {
          id: 'g11',
          name: 'Daily trainers',
          distance: 750_000,
          runs: 3,
          retireAt: 800_000,
          primary: true,
          retired: false,
          stravaDistance: 812_000,
        },
        // Gear on a run that Strava did not list: named by its id.
        {
          id: 'g33',
          name: 'g33',
          distance: 12_000,
          runs: 1,
          retireAt: 800_000,
          primary: false,
          retired: false,
          stravaDistance: null,
        },
        {
          id: 'g22',
          name: 'Race flats',
          distance: 0,
          runs: 0,
          retireAt: 800_000,
          primary: false,
          retired: true,
          stravaDistance: 204_000,
        },
      ]);

      const set = await h.call('PUT', `/users/${id}/shoes/g11`, { body: { retireAt: 700_000 } });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ id: 'g11', retireAt: 700_000, distance: 750_000 });
      expect((await h.call('PUT', `/users/${id}/shoes/g33`, { body: { retireAt: 500_000 } })).body).toMatchObject({
        id: 'g33',
        name: 'g33',
        retireAt: 500_000,
      });
      const unknown = await h.call('PUT', `/users/${id}/shoes/g99`, { body: { retireAt: 500_000 } });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('gear_not_found');
      for (const body of [{ retireAt: 0 }, { retireAt: -1 }, { retireAt: 'x' }, {}]) {
        expect((await h.call('PUT', `/users/${id}/shoes/g11`, { body })).status).toBe(400);
      }
      expect((await h.call('PUT', `/users/${id}/shoes/g%2F1`, { body: { retireAt: 1 } })).status).toBe(400);

      // Strava now lists only g11, renamed: g22 (on no run) goes, g11 keeps its threshold.
      await h.call('PUT', `/users/${id}/gear`, {
        body: { shoes: [{ id: 'g11', name: 'Old trainers', primary: false, retired: false, distance: 900_000 }] },
      });
      // A run sent again without its gear (an archive import) keeps it.
      const again = runAt('2026-06-01T07:00:00', 2, BERLIN, { distance: 250_000 });
      const [{ strava_id: firstId } = { strava_id: '' }] = await h.sql<{ strava_id: string }>(
        "SELECT strava_id::text FROM data.runs WHERE user_id = $1 AND start_date_local = '2026-06-01T07:00:00'",
        [id],
      );
      await h.call('PUT', `/users/${id}/runs`, { body: { runs: [{ ...again, stravaId: Number(firstId) }] } });
      const shoes = (await h.call('GET', `/users/${id}/shoes`)).body.items;
      expect(
        shoes.map((shoe: { id: string; name: string; retireAt: number; distance: number }) => [
          shoe.id,
          shoe.name,
          shoe.retireAt,
          shoe.distance,
        ]),
      ).toEqual([
        ['g11', 'Old trainers', 700_000, 750_000],
        ['g33', 'g33', 500_000, 12_000],
      ]);
      const runs = (await h.call('GET', `/users/${id}/runs?limit=10`)).body.items;
      expect(runs.filter((run: { gearId: string | null }) => run.gearId === 'g11')).toHaveLength(3);
      expect(runs.filter((run: { gearId: string | null }) => run.gearId === null)).toHaveLength(1);
    });

    it('refuses bad gear lists and needs users:write', async () => {
      const id = await newUser();
      const shoe = { id: 'g1', name: 'A', primary: true, retired: false, distance: 1 };
      for (const body of [
        {},
        { shoes: [{ ...shoe, id: '' }] },
        { shoes: [{ ...shoe, distance: -1 }] },
        { shoes: [{ ...shoe, extra: 1 }] },
      ]) {
        expect((await h.call('PUT', `/users/${id}/gear`, { body })).status, JSON.stringify(body)).toBe(400);
      }
      expect(
        (await h.call('PUT', `/users/${id}/gear`, { body: { shoes: [shoe] }, scopes: ['runs:write'] })).status,
      ).toBe(403);
      // The same shoe twice: once.
      expect(
        (await h.call('PUT', `/users/${id}/gear`, { body: { shoes: [shoe, { ...shoe, name: 'B' }] } })).body.items,
      ).toEqual([
        {
          id: 'g1',
          name: 'B',
          distance: 0,
          runs: 0,
          retireAt: 800_000,
          primary: true,
          retired: false,
          stravaDistance: 1,
        },
      ]);
    });
  });

  describe('routes', () => {
    it('lists the newest runs’ polylines, without the runs that have none, bounded by limit', async () => {
      const id = await newUser([
        runAt('2026-07-01T07:00:00', 2, BERLIN, { summaryPolyline: 'abc' }),
        runAt('2026-07-02T07:00:00', 2, BERLIN, { summaryPolyline: null }),
        runAt('2026-07-03T23:30:00', 2, BERLIN, { summaryPolyline: 'def' }),
      ]);
      const { body } = await h.call('GET', `/users/${id}/routes`);
      expect(body.items.map((item: { date: string; polyline: string }) => [item.date, item.polyline])).toEqual([
        ['2026-07-03', 'def'],
        ['2026-07-01', 'abc'],
      ]);
      expect((await h.call('GET', `/users/${id}/routes?limit=1`)).body.items).toHaveLength(1);
      expect((await h.call('GET', `/users/${id}/routes?limit=5000`)).status).toBe(400);
    });
  });
});
