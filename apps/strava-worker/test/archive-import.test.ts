import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportQueue, ImportStatus } from '@runnerly/jobs';
import { type ArchiveActivityInput, writeStravaArchive } from '@runnerly/strava-archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFirstAthlete, Stack, waitFor } from './harness.js';

/** `count` 20-minute runs at one point a second; every tenth has no file (manual). */
function archiveActivities(count: number): ArchiveActivityInput[] {
  return Array.from({ length: count }, (_, index) => ({
    id: 7_000_000_000 + index,
    name: `Archive run ${index}`,
    type: 'Run',
    startDate: new Date(Date.UTC(2019, 0, 1) + index * 86_400_000),
    utcOffsetSeconds: 3600,
    elapsedTime: 1200,
    movingTime: 1200,
    distance: 3600,
    totalElevationGain: 5,
    averageSpeed: 3,
    maxSpeed: 4,
    ...(index % 10 === 9
      ? {}
      : {
          file: {
            format: (['fit.gz', 'gpx', 'gpx.gz', 'tcx.gz'] as const)[index % 4]!,
            streams: () => {
              const time = Array.from({ length: 1201 }, (_, k) => k);
              return { time, distance: time.map((k) => k * 3), latlng: time.map((k): [number, number] => [48 + (k * 3) / 111_195, 11.5]) };
            },
          },
        }),
  }));
} // prettier-ignore

// The worker's side of an archive import against real Redis and the data-service: a worker that
// stops in the middle hands the job back, and the next one resumes from the checkpoint.
describe('archive import: resumable after a worker restart', () => {
  let stack: Stack;
  let dir: string;
  let imports: ImportQueue;

  beforeAll(async () => {
    stack = await Stack.start({ athletes: 1 });
    dir = await mkdtemp(join(tmpdir(), 'worker-imports-'));
    imports = new ImportQueue(stack.connection);
  });
  afterAll(async () => {
    await imports?.close();
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops mid-check with nothing written, resumes in another worker, and saves every run once with its efforts', async () => {
    const athlete = await connectFirstAthlete(stack);
    const activities = archiveActivities(120);
    const importId = randomUUID();
    await writeStravaArchive(activities, createWriteStream(join(dir, `${importId}.zip`)));
    const env = { IMPORTS_DIR: dir, IMPORT_BATCH_SIZE: '25' };
    const first = await stack.startWorker(env);
    await imports.claim(athlete.userId, importId);
    await imports.enqueue({ importId, userId: athlete.userId, file: `${importId}.zip`, requestedAt: new Date().toISOString() });

    await waitFor(async () => ((await imports.state.get(importId))?.done ?? 0) >= 25, 120_000);
    await first.close();
    const stopped = (await imports.state.get(importId))!;
    expect(stopped.status).toBe(ImportStatus.Running);
    expect(stopped.phase).toBe('checking');
    expect(stopped.done).toBeLessThan(activities.length);
    expect(await stack.runRows(athlete.userId)).toEqual({ rows: 0, distinct: 0 });
    const job = await imports.queue.getJob(`import-${importId}`);
    expect(job?.data.checkpoint).toMatchObject({ phase: 'checking', index: stopped.done });

    await stack.startWorker(env);
    const done = await waitFor(async () => {
      const state = await imports.state.get(importId);
      return state?.status === ImportStatus.Done || state?.status === ImportStatus.Failed ? state : undefined;
    }, 240_000);
    expect(done).toMatchObject({ status: 'done', total: 120, done: 120, failed: 0, added: 120 });
    expect(await stack.runRows(athlete.userId)).toEqual({ rows: 120, distinct: 120 });
    for (const activity of [activities[0]!, activities[9]!, activities[63]!]) {
      const efforts = await stack.data.getRunBestEfforts(athlete.userId, activity.id);
      // 3,600 m at 3 m/s: 1K in 333.33 s from its file; the manual run's from its summary.
      expect(efforts.source).toBe(activity.file ? 'streams' : 'summary');
      if (activity.file) expect(efforts.efforts.find((effort) => effort.distance === 1000)?.elapsedTime).toBeCloseTo(333.33, 0);
    }
    expect(await readdir(dir)).toEqual([]);
  }, 400_000); // prettier-ignore
});
