import { ensureWebBuild } from '../src/web/web-build.js';

/**
 * The page is built once, before any test file runs: the browser tests, the hostile suite (which
 * knows the built assets) and the stacks they start all read the same `web/dist`, and builds started
 * by several test files at once would write it concurrently.
 */
export default async function setup(): Promise<void> {
  await ensureWebBuild();
}
