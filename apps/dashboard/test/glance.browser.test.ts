import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@runnerly/config';
import { launchChromium } from '@runnerly/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, mondayOf } from '../web/src/lib/days.js';
import { distanceByDay, eddington } from '../web/src/lib/eddington.js';
import { METERS_PER_MILE } from '../web/src/lib/units.js';
import type { Run } from '../web/src/api.js';
import { accessibilityViolations, watchErrors } from './browser-kit.js';
import { type Stack, startStack } from './full-stack.js';

// The year at a glance (issue 17) in Chromium against the whole stack after a real sync: the
// figures on the page are checked against the runs the API returns, for a runner near UTC, one
// in Tokyo (viewing from Tokyo), and one with no runs.
const SCREENSHOTS = join(findRepoRoot(import.meta.dirname) ?? process.cwd(), 'test-artifacts', 'screenshots');

/** Logs `athleteId` in through the sandbox's consent (approved in the URL, as its README documents). */
async function logIn(page: Page, stack: Stack, athleteId: number): Promise<void> {
  await page.goto(`${stack.dashboard.url}/auth/strava`);
  const consent = new URL(page.url());
  consent.searchParams.set('sandbox_athlete_id', String(athleteId));
  consent.searchParams.set('sandbox_decision', 'approve');
  await page.goto(consent.href);
  await page.getByTestId('athlete-name').waitFor();
}

async function syncDone(page: Page, url: string): Promise<void> {
  await expect
    .poll(async () => ((await (await page.request.get(`${url}/api/sync`)).json()) as { status: string }).status, {
      timeout: 90_000,
      interval: 250,
    })
    .toBe('done');
}

/** Every run the API returns for the logged-in runner (the page's own endpoint, a page at a time). */
async function allRuns(page: Page, url: string): Promise<Run[]> {
  const runs: Run[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '50', ...(cursor ? { cursor } : {}) });
    const body = (await (await page.request.get(`${url}/api/runs?${query}`)).json()) as {
      items: Run[];
      nextCursor: string | null;
    };
    runs.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return runs;
}

/** The longest run of consecutive days (or of consecutive Mondays) in a set of `YYYY-MM-DD` days. */
function longest(days: string[], step: number): number {
  const set = new Set(days);
  let best = 0;
  for (const day of set) {
    if (set.has(addDays(day, -step))) continue;
    let length = 1;
    while (set.has(addDays(day, step * length))) length += 1;
    best = Math.max(best, length);
  }
  return best;
}

const cell = (page: Page, date: string) => page.getByTestId('calendar').locator(`rect[data-date="${date}"]`);
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent())?.trim();

describe('the year at a glance in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Three athletes: the third of the sandbox's world runs in Tokyo.
    [stack, browser] = await Promise.all([
      startStack({ worker: true, sandboxEnv: { STRAVA_SANDBOX_ATHLETES: '3' } }),
      launchChromium(),
    ]);
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  async function openPage(options: { timezoneId?: string; width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1200, height: 900 },
      locale: 'en-US',
      timezoneId: options.timezoneId ?? 'Europe/London',
    });
    contexts.push(context);
    return context.newPage();
  }

  it(
    'shows the calendar, streaks, years, goal, Eddington, shoes and routes that the runs add up to',
    { timeout: 180_000 },
    async () => {
      const [athlete] = await stack.sandbox.athletes();
      const page = await openPage();
      const errors = watchErrors(page);
      const url = stack.dashboard.url;
      await logIn(page, stack, athlete!.id);
      await syncDone(page, url);
      await page.reload();
      await page.getByTestId('runs').waitFor();
      await page.getByTestId('calendar-summary').waitFor({ timeout: 30_000 });

      const runs = await allRuns(page, url);
      expect(runs.length).toBeGreaterThan(100);
      const byDay = distanceByDay(runs);
      const runsOnDay = new Map<string, number>();
      for (const run of runs) {
        const day = run.startDateLocal.slice(0, 10);
        runsOnDay.set(day, (runsOnDay.get(day) ?? 0) + 1);
      }

      // Calendar: the grid's first day is a Monday 52 weeks before this week; each day holds its runs.
      const dates = await page
        .getByTestId('calendar')
        .locator('rect[data-date]')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-date')!));
      const sorted = [...dates].sort();
      const from = sorted[0]!;
      const last = sorted.at(-1)!;
      expect(from).toBe(addDays(mondayOf(last), -52 * 7));
      const shown = [...byDay.keys()].filter((day) => day >= from && day <= last).sort();
      expect(shown.length).toBeGreaterThan(50);
      const busiest = shown.reduce((a, b) => ((runsOnDay.get(b) ?? 0) > (runsOnDay.get(a) ?? 0) ? b : a));
      for (const day of [shown.at(-1)!, shown[0]!, busiest]) {
        expect(Number(await cell(page, day).getAttribute('data-distance'))).toBe(Math.round(byDay.get(day)!));
        const count = runsOnDay.get(day)!;
        expect(await cell(page, day).getAttribute('aria-label')).toMatch(
          new RegExp(`: ${(byDay.get(day)! / 1000).toFixed(1)} km, ${count} runs?$`),
        );
      }
      const rest = dates.find((day) => !byDay.has(day))!;
      expect(await cell(page, rest).getAttribute('aria-label')).toMatch(/: no run$/);
      const inRange = runs.filter((run) => run.startDateLocal.slice(0, 10) >= from).length;
      expect(await text(page, 'calendar-summary')).toMatch(new RegExp(`^${inRange} runs on ${shown.length} days`));

      // Streaks over the whole history.
      expect(await text(page, 'streak-longest-days')).toBe(`${longest([...byDay.keys()], 1)} days`);
      const weeks = [...new Set([...byDay.keys()].map(mondayOf))];
      expect(await text(page, 'streak-longest-weeks')).toBe(`${longest(weeks, 7)} weeks`);

      // Eddington, from the days the runs add up to.
      const km = eddington([...byDay.values()], 1000);
      const mi = eddington([...byDay.values()], METERS_PER_MILE);
      expect(km.number).toBeGreaterThan(mi.number);
      expect(await text(page, 'eddington-km')).toBe(String(km.number));
      expect(await text(page, 'eddington-mi')).toBe(String(mi.number));
      expect(await text(page, 'eddington-km-next')).toBe(
        `${km.nextNeeded} more day${km.nextNeeded === 1 ? '' : 's'} of ${km.number + 1} km or more for ${km.number + 1}`,
      );

      // Year by year: this year's figure is the sum of this year's runs.
      const year = last.slice(0, 4);
      const thisYear = runs.filter((run) => run.startDateLocal.startsWith(year));
      const yearKm = Math.round(thisYear.reduce((sum, run) => sum + run.distance, 0) / 1000);
      expect(await text(page, `year-${year}`)).toBe(
        `${year} ${yearKm.toLocaleString('en-US')} km · ${thisYear.length} runs`,
      );

      // The goal: set through the form, kept after a reload, shown in miles too.
      await page.getByLabel(`Goal for ${year} (km)`).fill('1500');
      await page.getByRole('button', { name: /Set goal|Change goal/ }).click();
      await expect
        .poll(() => text(page, 'goal-status'))
        .toBe(
          `${yearKm.toLocaleString('en-US')} km of 1,500 km (${Math.round((thisYear.reduce((s, r) => s + r.distance, 0) / 1_500_000) * 100)}%).`,
        );
      await page.reload();
      await expect.poll(() => text(page, 'goal-status'), { timeout: 30_000 }).toMatch(/ of 1,500 km /);
      expect(await page.getByLabel(`Goal for ${year} (km)`).inputValue()).toBe('1500');
      expect(await text(page, 'goal-projection')).toMatch(/At this pace you will end the year at [\d,]+ km/);

      // Shoes: each shoe's distance is the sum of its runs; a threshold just above warns.
      const byGear = new Map<string, number>();
      for (const run of runs) if (run.gearId) byGear.set(run.gearId, (byGear.get(run.gearId) ?? 0) + run.distance);
      const shoes = page.getByTestId('shoes');
      if (byGear.size > 0) {
        const [gear, meters] = [...byGear].sort((a, b) => b[1] - a[1])[0]!;
        const shoe = shoes.getByTestId(`shoe-${gear}`);
        expect((await shoe.getByTestId('shoe-distance').textContent())?.trim()).toBe(
          `${Math.round(meters / 1000).toLocaleString('en-US')} km`,
        );
        const threshold = Math.ceil(meters / 1000 / 0.95);
        await shoe.getByLabel('Retire at (km)').fill(String(threshold));
        await shoe.getByRole('button', { name: 'Save' }).click();
        // The most worn shoe may be past the default 800 km already: the warning changes, it does not appear.
        await expect
          .poll(() => shoe.getByTestId('shoe-warning').textContent(), { timeout: 15_000 })
          .toMatch(/^Nearly worn out/);
        await page.reload();
        await expect
          .poll(() => page.getByTestId(`shoe-${gear}`).getByLabel('Retire at (km)').inputValue(), { timeout: 30_000 })
          .toBe(String(threshold));
      } else {
        await shoes.getByText('No shoes yet').waitFor();
      }

      // Where you run: the routes with GPS are drawn (some may be elsewhere), and the canvas is not blank.
      const withGps = runs.filter((run) => run.summaryPolyline).length;
      const summary = await text(page, 'where-summary');
      const drawn = Number(/^(\d+) routes? drawn/.exec(summary ?? '')?.[1]);
      expect(drawn).toBeGreaterThan(withGps / 2);
      expect(drawn).toBeLessThanOrEqual(withGps);
      const lit = await page.locator('canvas.route-heat').evaluate((canvas: HTMLCanvasElement) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i]! > 120) count += 1;
        return count;
      });
      expect(lit).toBeGreaterThan(500);

      // The heatmap by keyboard: one tab stop, arrows move by day and by week, the detail follows.
      expect(await page.getByTestId('calendar').locator('rect[tabindex="0"]').count()).toBe(1);
      await page.getByTestId('calendar').locator('rect[tabindex="0"]').focus();
      const start = await page.evaluate(() => document.activeElement?.getAttribute('data-date'));
      expect(start).toBe(last);
      await page.keyboard.press('ArrowUp');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-date'))).toBe(addDays(last, -1));
      await page.keyboard.press('ArrowLeft');
      const landed = await page.evaluate(() => document.activeElement?.getAttribute('data-date'));
      expect(landed).toBe(addDays(last, -8));
      expect(await text(page, 'calendar-detail')).toBe(await cell(page, landed!).getAttribute('aria-label'));
      await page.keyboard.press('Tab'); // out of the grid in one press
      expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).not.toBe('rect');
      await page.screenshot({ path: join(SCREENSHOTS, 'glance-1-km.png'), fullPage: true });
      expect(await accessibilityViolations(page)).toEqual([]);

      // Miles everywhere.
      await page.getByRole('radio', { name: 'Miles' }).check();
      expect(await cell(page, shown.at(-1)!).getAttribute('aria-label')).toMatch(
        new RegExp(`: ${(byDay.get(shown.at(-1)!)! / METERS_PER_MILE).toFixed(1)} mi, `),
      );
      expect(await text(page, 'goal-status')).toMatch(/ of 932 mi /);
      expect(await text(page, `year-${year}`)).toMatch(/ mi · /);
      expect(await page.getByTestId('eddington').locator('dt').first().textContent()).toBe('In miles');

      // A phone: nothing wider than the screen.
      await page.setViewportSize({ width: 360, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.screenshot({ path: join(SCREENSHOTS, 'glance-2-phone.png'), fullPage: true });
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    },
  );

  it('counts a Tokyo runner’s late and early runs on their Tokyo days', { timeout: 180_000 }, async () => {
    const athletes = await stack.sandbox.athletes();
    const tokyo = athletes[2]!;
    expect(tokyo.firstname).toBe('Aiko'); // the sandbox's Asia/Tokyo athlete
    const late = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    const early = addDays(late, 3);
    // 23:30 in Tokyo is 14:30 UTC the same day; 06:00 in Tokyo is 21:00 UTC the day before.
    for (const [start, distance, name] of [
      [`${late}T14:30:00Z`, 12_345, 'Late run'],
      [`${addDays(early, -1)}T21:00:00Z`, 7777, 'Early run'],
    ] as const) {
      const response = await fetch(`${stack.sandbox.url}/_sandbox/athletes/${tokyo.id}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, sport_type: 'Run', start_date: start, distance, moving_time: 3600, gps: true }),
      });
      expect(response.status).toBeLessThan(300);
    }
    const page = await openPage({ timezoneId: 'Asia/Tokyo' });
    const errors = watchErrors(page);
    const url = stack.dashboard.url;
    await logIn(page, stack, tokyo.id);
    await syncDone(page, url);
    await page.reload();
    await page.getByTestId('calendar-summary').waitFor({ timeout: 30_000 });

    const runs = await allRuns(page, url);
    expect(runs.find((run) => run.name === 'Late run')?.startDateLocal).toMatch(new RegExp(`^${late}T23:30`));
    expect(runs.find((run) => run.name === 'Early run')?.startDateLocal).toMatch(new RegExp(`^${early}T06:00`));
    const byDay = distanceByDay(runs);
    for (const day of [late, early, addDays(early, -1), addDays(late, 1)]) {
      expect(Number((await cell(page, day).getAttribute('data-distance')) ?? 0)).toBe(Math.round(byDay.get(day) ?? 0));
    }
    expect(byDay.get(late)).toBeGreaterThanOrEqual(12_345);
    expect(byDay.get(early)).toBeGreaterThanOrEqual(7777);
    const km = eddington([...byDay.values()], 1000);
    expect(await text(page, 'eddington-km')).toBe(String(km.number));
    await page.screenshot({ path: join(SCREENSHOTS, 'glance-3-tokyo.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});

describe('the year at a glance for a runner with no runs', () => {
  let stack: Stack;
  let browser: Browser;

  // No worker: the runner's first sync stays queued, so Runnerly holds no run for them.
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows empty states and zeros, without errors, on a phone too', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const [athlete] = await stack.sandbox.athletes();
    await logIn(page, stack, athlete!.id);
    await page.getByText('No runs yet').waitFor();
    await page.getByTestId('calendar-summary').waitFor({ timeout: 30_000 });
    expect(await text(page, 'calendar-summary')).toBe('No runs in the last 12 months.');
    expect(await text(page, 'streak-current-days')).toBe('0 days');
    expect(await text(page, 'streak-longest-weeks')).toBe('0 weeks');
    expect(await page.getByTestId('calendar').locator('rect[data-date]').count()).toBeGreaterThanOrEqual(365);
    expect(await text(page, 'eddington-km')).toBe('0');
    expect(await text(page, 'eddington-km-next')).toBe('1 more day of 1 km or more for 1');
    await page.getByText('No years to compare yet').waitFor();
    await page.getByTestId('goal-status').waitFor();
    expect(await text(page, 'goal-status')).toMatch(/^0 km run this year/);
    await page.getByText('No shoes yet').waitFor();
    await page.getByText('No routes yet').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'glance-4-no-runs.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
