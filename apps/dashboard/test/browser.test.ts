import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { findRepoRoot } from '@runnerly/config';
import { launchChromium } from '@runnerly/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../src/web/web-build.js';
import { accessibilityViolations, watchErrors } from './browser-kit.js';
import { type Stack, startStack } from './full-stack.js';

// The whole flow in a real browser (Debian's Chromium, driven by playwright-core) against the
// whole stack: sandbox, token-dealer, data-service, strava-worker and the dashboard.
const SCREENSHOTS = join(findRepoRoot(import.meta.dirname) ?? process.cwd(), 'test-artifacts', 'screenshots');

describe('the runner’s page in a browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [stack, browser] = await Promise.all([startStack({ worker: true }), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const shot = (page: Page, name: string, fullPage = true) =>
    page.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}.png`), fullPage });

  it('ships a light page: React’s production build, under 100 KiB gzipped', () => {
    const assets = join(WEB_DIST, 'assets');
    const files = readdirSync(assets).filter((file) => /\.(js|css)$/.test(file));
    const gzipped = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(assets, file))).length, 0);
    expect(gzipped).toBeLessThan(100 * 1024);
    const js = files.filter((file) => file.endsWith('.js')).map((file) => readFileSync(join(assets, file), 'utf8'));
    expect(js.join('')).not.toContain('jsxDEV'); // development JSX against production React renders nothing
  });

  it('logs in with Strava, shows the runs after the sync, switches units, logs out', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(stack.dashboard.url);
    const login = page.getByRole('link', { name: 'Log in with Strava' });
    await login.waitFor();
    await shot(page, '1-landing');
    expect(await accessibilityViolations(page)).toEqual([]);

    await login.click();
    await page.getByRole('button', { name: 'Authorize' }).waitFor();
    await shot(page, '2-strava-consent');
    await page.getByRole('button', { name: 'Authorize' }).click();

    const [athlete] = await stack.sandbox.athletes();
    await expect
      .poll(() => page.getByTestId('athlete-name').textContent(), { timeout: 30_000 })
      .toBe(`${athlete!.firstname} ${athlete!.lastname}`);
    await shot(page, '3-first-sync', false); // queued, running or done: whatever the worker has got to
    // The first sync was queued at login: runs appear when it is done, without reloading.
    await page.getByTestId('runs').waitFor({ timeout: 90_000 });
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 30_000 }).toMatch(/^Synced/);
    await page.getByRole('heading', { name: 'Personal bests' }).waitFor();
    // Best efforts follow the sync (the enrichment's share of Strava's budget): the table fills in
    // by itself, with what the data-service ranked, and says how far it has got.
    await expect
      .poll(() => page.getByTestId('bests-progress').textContent(), { timeout: 45_000 })
      .toMatch(/^Best efforts for [1-9]\d* of \d+ runs/);
    await expect.poll(() => page.getByTestId('best-5K').textContent(), { timeout: 45_000 }).toMatch(/\d+:\d\d/);
    // What the page shows is what the data-service ranked (the table catches up as runs are enriched).
    const clock = (seconds: number) =>
      `${Math.floor(Math.round(seconds) / 60)}:${String(Math.round(seconds) % 60).padStart(2, '0')}`;
    await expect
      .poll(
        async () => {
          const ranked = (await page.evaluate(async () => (await fetch('/api/bests')).json())) as {
            items: Array<{ name: string; elapsedTime: number }>;
          };
          const fiveK = ranked.items.find((best) => best.name === '5K');
          return Boolean(
            fiveK && (await page.getByTestId('best-5K').textContent())?.includes(clock(fiveK.elapsedTime)),
          );
        },
        { timeout: 45_000 },
      )
      .toBe(true);
    type Ranked = {
      items: Array<{
        name: string;
        elapsedTime: number;
        progression: Array<{ elapsedTime: number; stravaId: number }>;
      }>;
    };
    const ranked = () => page.evaluate(async () => (await fetch('/api/bests')).json()) as Promise<Ranked>;
    // The 5K's progression, opened from the keyboard, lists exactly the records the data-service keeps.
    const progression = page.getByTestId('progression-5K');
    await progression.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await progression.getAttribute('open')).not.toBeNull();
    await expect
      .poll(
        async () => {
          const fiveK = (await ranked()).items.find((best) => best.name === '5K')!;
          const times = await progression.getByTestId('record-time').allTextContents();
          return (
            times.length === fiveK.progression.length && times.at(-1) === clock(fiveK.progression.at(-1)!.elapsedTime)
          );
        },
        { timeout: 45_000 },
      )
      .toBe(true);
    expect(await progression.getByTestId('record').count()).toBeGreaterThan(0);
    await progression.screenshot({ path: join(SCREENSHOTS, 'dashboard-4a-5k-progression.png') });
    // A run that holds a current best says so in the runs list (looked for on the first few pages).
    const current = new Map<number, string[]>();
    for (const best of (await ranked()).items) {
      const holder = best.progression.at(-1)!.stravaId;
      current.set(holder, [...(current.get(holder) ?? []), `${best.name} best`]);
    }
    let checked = 0;
    for (let pageNumber = 1; pageNumber <= 6 && checked === 0; pageNumber++) {
      const ids = (await page
        .getByTestId('runs')
        .locator('li[data-strava-id]')
        .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-strava-id'))))) as number[];
      for (const id of ids.filter((id) => current.has(id))) {
        // The page's bests may be a refresh behind the data-service's while efforts are still coming in.
        const marks = page.locator(`li[data-strava-id="${id}"]`).getByTestId('run-marks').locator('li');
        await expect
          .poll(async () => (await marks.allTextContents()).filter((mark) => mark.endsWith(' best')).sort(), {
            timeout: 30_000,
          })
          .toEqual(current.get(id)!.sort());
        checked++;
      }
      const older = page.getByRole('button', { name: 'Older' });
      if (checked > 0 || !(await older.isVisible()) || !(await older.isEnabled())) break;
      await older.click();
      await page.getByText(`Page ${pageNumber + 1}`).waitFor();
      await page.locator('[data-testid="runs"][aria-busy="false"]').waitFor();
    }
    expect(checked).toBeGreaterThan(0);
    await page
      .getByTestId('run-marks')
      .first()
      .screenshot({ path: join(SCREENSHOTS, 'dashboard-4b-run-marks.png') });
    // Back to the first page, and the focus to the top, for what follows.
    await page.reload();
    await page.getByTestId('runs').waitFor();
    expect(await page.getByTestId('run-distance').first().textContent()).toMatch(/^\d+\.\d\d km$/);
    await shot(page, '4-runs-km');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Keyboard: the first Tab reaches the skip link, and every control is reachable from there.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to your training');

    // Units: a keyboard-reachable radio group; the choice survives a reload.
    await page.getByRole('radio', { name: 'Miles' }).check();
    await expect.poll(() => page.getByTestId('run-distance').first().textContent()).toMatch(/^\d+\.\d\d mi$/);
    await page.reload();
    await page.getByTestId('runs').waitFor();
    expect(await page.getByTestId('run-distance').first().textContent()).toMatch(/ mi$/);
    expect(await page.getByRole('radio', { name: 'Miles' }).isChecked()).toBe(true);
    await shot(page, '5-runs-miles');

    // Paging through older runs.
    const older = page.getByRole('button', { name: 'Older' });
    if (await older.isEnabled()) {
      const newest = await page.getByTestId('runs').locator('time').first().getAttribute('datetime');
      await older.click();
      await page.getByText('Page 2').waitFor();
      await expect
        .poll(() => page.getByTestId('runs').locator('time').first().getAttribute('datetime'))
        .not.toBe(newest);
      const olderStart = await page.getByTestId('runs').locator('time').first().getAttribute('datetime');
      expect(olderStart! < newest!).toBe(true);
    }

    // A phone-sized screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page
      .getByRole('button', { name: 'Newer' })
      .click()
      .catch(() => undefined);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, '6-phone', false);
    expect(await accessibilityViolations(page)).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    // Strava refusing the app during a sync: the runner is told it is the operator's problem.
    await stack.sandbox.settings({ program: { appInactive: true } });
    try {
      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.getByTestId('sync-problem').getByText('This is a problem on our side').waitFor({ timeout: 30_000 });
      await shot(page, '6b-sync-operator-problem', false);
    } finally {
      await stack.sandbox.settings({ program: { appInactive: false } });
    }

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in with Strava' }).waitFor();
    expect((await page.request.get(`${stack.dashboard.url}/api/me`)).status()).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says plainly that the runner cancelled, and offers to try again', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(stack.dashboard.url);
    await page.getByRole('link', { name: 'Log in with Strava' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('You did not connect Strava').waitFor();
    const retry = page.getByRole('link', { name: 'Try again with Strava' });
    expect(await retry.getAttribute('href')).toBe('/auth/strava');
    expect(new URL(page.url()).search).toBe(''); // a reload does not repeat the message
    await shot(page, '7-denied');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Unticking the activity permission is explained too.
    await retry.click();
    await page.getByLabel(/View data about your activities/).uncheck();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.getByText('Runnerly needs to see your activities').waitFor();
    await shot(page, '8-missing-scope');

    // Strava's developer program refusing the app is the operator's problem, and said to be.
    await stack.sandbox.settings({ program: { appInactive: true } });
    try {
      await page.getByRole('link', { name: 'Try again with Strava' }).click();
      await page.getByRole('button', { name: 'Authorize' }).click();
      await page.getByText('This is a problem on our side, not yours').waitFor();
      await shot(page, '9-operator-problem');
    } finally {
      await stack.sandbox.settings({ program: { appInactive: false } });
    }
    await context.close();
  });
});
