import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/dashboard/web: the React app's sources; its build goes to `dist/` beside them. */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));
export const WEB_DIST = join(WEB_ROOT, 'dist');

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/**
 * Whether the built page is missing or older than its sources. A production image has the page
 * built (by `pnpm build`) and no sources: it is what it is there.
 */
export function webBuildIsStale(): boolean {
  const built = join(WEB_DIST, 'index.html');
  if (!existsSync(built)) return true;
  if (!existsSync(join(WEB_ROOT, 'src'))) return false;
  const sources = ['src', 'index.html', 'vite.config.ts'].map((name) => newestChange(join(WEB_ROOT, name)));
  // What the page imports from the workspace's libs (imports nothing itself) is a source too.
  sources.push(newestChange(createRequire(import.meta.url).resolve('@runnerly/strava/polyline')));
  return Math.max(...sources) > statSync(built).mtimeMs;
}

/**
 * Builds the page with Vite when it is missing or stale, so that `start` and the tests need no
 * separate build step. Vite is loaded only then.
 */
export async function ensureWebBuild(): Promise<void> {
  if (!webBuildIsStale()) return;
  const { build } = await import('vite');
  await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), root: WEB_ROOT, logLevel: 'warn' });
}
