import { readdir } from 'node:fs/promises';
import { DASHBOARD_CALLER, DataServiceClient } from '@runnerly/data-client';
import { createRedisConnection, EnrichmentQueue } from '@runnerly/jobs';
import type { RedisClient } from '@runnerly/platform';
import { ServiceClient } from '@runnerly/service-client';
import { ArchiveErrorCode } from '@runnerly/strava-archive';
import { hostileArchives } from '@runnerly/strava-archive/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CookieJar } from './cookie-jar.js';
import { type Stack, startStack } from './full-stack.js';
import { loginAs } from './login.js';
import { startDashboard } from './stack.js';

// Archive imports end to end: the dashboard takes the upload, the worker imports it into the
// data-service, the sandbox serves the athlete's archive. Real services, real files.

interface Runner {
  jar: CookieJar;
  csrf: string;
  userId: string;
  athleteId: number;
}

interface ImportView {
  status: string;
  total: number;
  done: number;
  failed: number;
  added: number;
  error?: { code: string; message: string };
}

describe('archive imports', () => {
  let stack: Stack;
  let data: DataServiceClient;
  let connection: RedisClient | undefined;
  let enrichment: EnrichmentQueue | undefined;
  const runners: Runner[] = [];

  const url = (path: string) => `${stack.dashboard.url}${path}`;
  const upload = (runner: Runner, bytes: Buffer, { csrf = runner.csrf, field = 'archive' } = {}) => {
    const form = new FormData();
    form.append(field, new Blob([new Uint8Array(bytes)], { type: 'application/zip' }), 'export.zip');
    return runner.jar.fetch(url('/api/imports'), {
      method: 'POST',
      body: form,
      headers: csrf ? { 'x-csrf-token': csrf } : {},
    });
  };
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 240_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const importState = async (runner: Runner, id: string) =>
    (await (await runner.jar.fetch(url(`/api/imports/${id}`))).json()) as ImportView;
  const finished = (runner: Runner, id: string) =>
    until(
      () => importState(runner, id),
      (view) => view.status === 'done' || view.status === 'failed',
      `import ${id}`,
    );
  const runIds = async (runner: Runner) => {
    const ids: number[] = [];
    for await (const run of pages(runner)) ids.push(run.stravaId);
    return ids.sort((a, b) => a - b);
  };
  async function* pages(runner: Runner) {
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '50', ...(cursor ? { cursor } : {}) });
      const page = (await (await runner.jar.fetch(url(`/api/runs?${query}`))).json()) as {
        items: Array<{ stravaId: number }>;
        nextCursor: string | null;
      };
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
  const sandboxRequests = async () =>
    ((await (await fetch(`${stack.sandbox.url}/_sandbox/requests`)).json()) as { total: number }).total;
  const syncDone = (runner: Runner) =>
    until(
      async () => (await (await runner.jar.fetch(url('/api/sync'))).json()) as { status: string },
      (state) => state.status === 'done',
      'the first sync',
    );
  /** What the data-service holds for the athlete, and what is left in the shared imports directory. */
  const snapshot = async (runner: Runner) => ({
    runs: await runIds(runner),
    bests: await data.getBests(runner.userId),
    files: (await readdir(stack.importsDir)).sort(),
  });

  beforeAll(async () => {
    stack = await startStack({ worker: true });
    data = new DataServiceClient(
      new ServiceClient({
        baseUrl: stack.dataServiceUrl,
        tokenDealerUrl: stack.dashboardEnv.TOKEN_DEALER_URL!,
        clientId: DASHBOARD_CALLER.defaultId,
        clientSecret: stack.dashboardEnv.DASHBOARD_CLIENT_SECRET!,
        audience: DASHBOARD_CALLER.audience,
        scope: DASHBOARD_CALLER.scopes.join(' '),
      }),
    );
    for (const athlete of await stack.sandbox.athletes()) {
      const { jar } = await loginAs(stack, athlete.id);
      const me = (await (await jar.fetch(url('/api/me'))).json()) as { id: string; csrfToken: string };
      runners.push({ jar, csrf: me.csrfToken, userId: me.id, athleteId: athlete.id });
    }
    // Login queued each athlete's first sync: let it finish, then hold the best-efforts enrichment
    // that follows it (it would resume whenever Strava's 15-minute window resets, mid-test), and let
    // its current turns end, so that from here only imports change data or make Strava requests, and
    // every best effort an import leaves is the import's own.
    for (const runner of runners) await syncDone(runner);
    connection = createRedisConnection(stack.redisUrl);
    enrichment = new EnrichmentQueue(connection);
    await enrichment.queue.pause();
    let last = -1;
    await until(
      async () => {
        const now = await sandboxRequests();
        const quiet = now === last;
        last = now;
        if (!quiet) await new Promise((resolve) => setTimeout(resolve, 5_000));
        return quiet;
      },
      (quiet) => quiet,
      'Strava requests to stop',
    );
  }, 300_000);
  afterAll(async () => {
    await enrichment?.close();
    connection?.disconnect();
    await stack?.close();
  });

  it('refuses what is not an upload: no CSRF token (403), no multipart (415), no archive field (400), another athlete’s import (404)', async () => {
    const [runner, other] = runners as [Runner, Runner];
    expect((await upload(runner, Buffer.from('PK\x03\x04'), { csrf: '' })).status).toBe(403);
    const plain = await runner.jar.fetch(url('/api/imports'), {
      method: 'POST',
      headers: { 'x-csrf-token': runner.csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ error: 'multipart_required' });
    const wrongField = await upload(runner, Buffer.from('PK\x03\x04'), { field: 'file' });
    expect(wrongField.status).toBe(400);
    expect(await wrongField.json()).toMatchObject({ error: 'archive_missing' });
    const notZip = await upload(runner, Buffer.from('hello, this is not a zip'));
    expect(notZip.status).toBe(400);
    expect(await notZip.json()).toMatchObject({ error: 'not_zip', message: expect.stringContaining('not a ZIP') });
    // Someone else's import is as unknown as a made-up id.
    const truncated = hostileArchives().find((hostile) => hostile.name === 'truncated zip')!;
    const accepted = await upload(other, truncated.bytes);
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };
    expect((await runner.jar.fetch(url(`/api/imports/${id}`))).status).toBe(404);
    expect((await runner.jar.fetch(url('/api/imports/not-a-uuid'))).status).toBe(400);
    expect(await finished(other, id)).toMatchObject({ status: 'failed', error: { code: ArchiveErrorCode.NotZip } });
    expect(await readdir(stack.importsDir)).toEqual([]);
  });

  it('cuts an upload off at IMPORT_MAX_BYTES with a 413 and keeps nothing of it', async () => {
    const small = await startDashboard({ ...stack.dashboardEnv, IMPORT_MAX_BYTES: String(64 * 1024) });
    try {
      const runner = runners[1]!;
      const form = new FormData();
      const bytes = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(256 * 1024)]);
      form.append('archive', new Blob([new Uint8Array(bytes)], { type: 'application/zip' }), 'export.zip');
      const response = await runner.jar
        .fetch(`${small.url}/api/imports`, { method: 'POST', body: form, headers: { 'x-csrf-token': runner.csrf } })
        .catch((error: unknown) => error);
      // The answer comes before the whole body was sent: the client may see it, or a closed socket.
      if (response instanceof Response) {
        expect(response.status).toBe(413);
        expect(await response.json()).toMatchObject({ error: 'archive_too_large' });
      }
      await until(
        async () => readdir(stack.importsDir),
        (files) => files.length === 0,
        'the partial upload to go',
      );
      // The slot is free again: the next upload is taken.
      const truncated = hostileArchives().find((hostile) => hostile.name === 'truncated zip')!;
      const next = await upload(runner, truncated.bytes);
      expect(next.status).toBe(202);
      await finished(runner, ((await next.json()) as { id: string }).id);
    } finally {
      await small.close();
    }
  });

  it('refuses every hostile archive with a clear error and writes nothing', async () => {
    const hostile = hostileArchives().filter((archive) => archive.name !== 'not a zip');
    for (const [index, archive] of hostile.entries()) {
      const runner = runners[index % runners.length]!;
      const before = await snapshot(runner);
      const response = await upload(runner, archive.bytes);
      expect(response.status, archive.name).toBe(202);
      const { id } = (await response.json()) as { id: string };
      const view = await finished(runner, id);
      expect(view, archive.name).toMatchObject({ status: 'failed', error: { code: archive.code } });
      expect(view.error!.message.length, archive.name).toBeGreaterThan(20);
      expect(await snapshot(runner), archive.name).toEqual(before);
    }
  }, 300_000);

  it('an athlete who synced through the API and imports their archive ends with every run once and every run’s best efforts, at no Strava cost', async () => {
    const runner = runners[0]!;
    const synced = await runIds(runner);
    expect(synced.length).toBeGreaterThan(50);
    const archive = Buffer.from(
      await (await fetch(`${stack.sandbox.url}/_sandbox/athletes/${runner.athleteId}/archive.zip`)).arrayBuffer(),
    );
    const stravaRequests = await sandboxRequests();
    // The enrichment, held since the set-up, left runs without best efforts: the import gives them theirs.
    const efforts = await Promise.all(synced.map((stravaId) => data.getRunBestEfforts(runner.userId, stravaId)));
    expect(efforts.filter((run) => run.source === null).length).toBeGreaterThan(0);

    const response = await upload(runner, archive);
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    // One import at a time per athlete.
    const second = await upload(runner, archive);
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ error: 'import_in_progress', details: { id } });

    const view = await finished(runner, id);
    expect(view).toMatchObject({ status: 'done', total: synced.length, done: synced.length, failed: 0, added: 0 });
    expect(await sandboxRequests()).toBe(stravaRequests);
    expect(await runIds(runner)).toEqual(synced);
    expect(await readdir(stack.importsDir)).toEqual([]);

    const planted = (await (
      await fetch(`${stack.sandbox.url}/_sandbox/athletes/${runner.athleteId}/planted`)
    ).json()) as Array<{ activityId: number; distance: number; elapsedTime: number; startOffset: number }>;
    for (const stravaId of synced) {
      const efforts = await data.getRunBestEfforts(runner.userId, stravaId);
      expect(efforts.source, `run ${stravaId}`).not.toBeNull();
      for (const segment of planted.filter((candidate) => candidate.activityId === stravaId)) {
        const found = efforts.efforts.find((effort) => effort.distance === segment.distance)!;
        expect(Math.abs(found.elapsedTime - segment.elapsedTime)).toBeLessThanOrEqual(1);
        expect(Math.abs(found.startOffset - segment.startOffset)).toBeLessThanOrEqual(1);
      }
    }
  }, 600_000);
});
