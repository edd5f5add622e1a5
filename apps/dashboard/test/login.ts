import { CookieJar } from './cookie-jar.js';
import type { Stack } from './full-stack.js';

/** Logs in through the sandbox (pre-approved, as its README documents) and returns the runner's cookies. */
export async function loginAs(stack: Stack, athleteId?: number): Promise<{ jar: CookieJar; location: string | null }> {
  const jar = new CookieJar();
  const toStrava = await jar.fetch(`${stack.dashboard.url}/auth/strava`);
  const authorize = new URL(toStrava.headers.get('location')!);
  authorize.searchParams.set('sandbox_decision', 'approve');
  if (athleteId !== undefined) authorize.searchParams.set('sandbox_athlete_id', String(athleteId));
  const back = await fetch(authorize, { redirect: 'manual' });
  const response = await jar.fetch(back.headers.get('location')!);
  return { jar, location: response.headers.get('location') };
}
