import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './full-stack.js';
import { loginAs } from './login.js';

// Two dashboard processes behind one address behave as one: the session lives in Redis, and a
// sync asked for on either is the same deduplicated job. On one Redis and on a Redis Cluster (its
// sessions, login limits, cooldowns and queue keys on different slots).
describe.for([
  { redis: 'one Redis', redisCluster: false },
  { redis: 'a Redis Cluster', redisCluster: true },
])('two dashboard processes ($redis)', ({ redisCluster }) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ dashboards: 2, redisCluster });
  });
  afterAll(() => stack?.close());

  it('share sessions, sync state and logout', async () => {
    const [a, b] = [stack.dashboard.url, stack.moreDashboards[0]!.url];
    const { jar } = await loginAs(stack);

    const meA = await (await jar.fetch(`${a}/api/me`)).json();
    const meB = await (await jar.fetch(`${b}/api/me`)).json();
    expect(meB.id).toBe(meA.id);

    // The login queued a sync; "sync now" on one process holds for the other (one per minute).
    const postSync = (base: string) =>
      jar.fetch(`${base}/api/sync`, { method: 'POST', headers: { 'x-csrf-token': meA.csrfToken } });
    expect((await postSync(a)).status).toBeLessThan(300);
    const tooSoon = await postSync(b);
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await tooSoon.json()).toMatchObject({ error: 'sync_cooldown' });
    const [stateA, stateB] = await Promise.all(
      [a, b].map(async (base) => (await jar.fetch(`${base}/api/sync`)).json()),
    );
    expect(stateB).toEqual(stateA);
    expect(stateA.status).toBe('queued');

    // Logging out on one process ends the session everywhere.
    const logout = await jar.fetch(`${b}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': meA.csrfToken } });
    expect(logout.status).toBeLessThan(400);
    expect((await jar.fetch(`${a}/api/me`)).status).toBe(401);
  });
});
