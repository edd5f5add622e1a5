import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (no browser is ever downloaded). The flags keep it
 * off this machine's closed network.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
