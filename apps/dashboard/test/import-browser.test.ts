import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@runnerly/config';
import { hostileArchives } from '@runnerly/strava-archive/testing';
import { launchChromium } from '@runnerly/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './full-stack.js';

// The archive import as a runner does it, in Chromium against the whole stack with the worker.
const SCREENSHOTS = join(findRepoRoot(import.meta.dirname) ?? process.cwd(), 'test-artifacts', 'screenshots');

describe('importing the Strava archive in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = await mkdtemp(join(tmpdir(), 'import-browser-'));
    [stack, browser] = await Promise.all([startStack({ worker: true }), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the import’s progress, then the result, and a refused archive’s reason', { timeout: 600_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(stack.dashboard.url);
    await page.getByRole('link', { name: 'Log in with Strava' }).click();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 120_000 }).toMatch(/^Synced/);

    const [athlete] = await stack.sandbox.athletes();
    const archive = join(dir, 'export.zip');
    const response = await fetch(`${stack.sandbox.url}/_sandbox/athletes/${athlete!.id}/archive.zip`);
    writeFileSync(archive, Buffer.from(await response.arrayBuffer()));

    await page.getByRole('heading', { name: 'Import your Strava archive' }).waitFor();
    await page.getByLabel('Archive (ZIP)').setInputFiles(archive);
    await page.getByRole('button', { name: 'Import' }).click();
    // Live progress: the worker's count as it checks, then saves, the runs.
    await expect
      .poll(() => page.getByTestId('import-status').textContent(), { timeout: 120_000 })
      .toMatch(/(Checking your archive|Saving your runs)… [1-9]\d* of \d+/);
    expect(await page.getByTestId('import-progress').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-import-progress.png'), fullPage: true });
    await expect
      .poll(() => page.getByTestId('import-status').textContent(), { timeout: 480_000, interval: 1000 })
      .toMatch(/^Imported \d+ runs, 0 new\./);
    // The bests were reloaded with everything else once the import was done.
    await expect.poll(() => page.getByTestId('best-5K').textContent(), { timeout: 30_000 }).toMatch(/\d+:\d\d/);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-import-done.png'), fullPage: true });

    const bomb = hostileArchives().find((hostile) => hostile.name.startsWith('zip bomb'))!;
    const bombPath = join(dir, 'bomb.zip');
    writeFileSync(bombPath, bomb.bytes);
    await page.getByLabel('Archive (ZIP)').setInputFiles(bombPath);
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByTestId('import-error').textContent(), { timeout: 60_000 }).toMatch(/zip bomb/);
    expect(await page.getByTestId('import-status').textContent()).toMatch(/nothing was changed/);
    expect(errors).toEqual([]);
  });
});
