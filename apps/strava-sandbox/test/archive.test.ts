import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeBestEfforts } from '@runnerly/best-efforts';
import { activityFileFormat, readStravaArchive } from '@runnerly/strava-archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from './support.js';

interface Planted {
  activityId: number;
  distance: number;
  elapsedTime: number;
  startOffset: number;
}

describe('GET /_sandbox/athletes/{id}/archive.zip', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let dir: string;
  let athleteId: number;

  beforeAll(async () => {
    sandbox = await startSandbox({ STRAVA_SANDBOX_ATHLETES: '1' });
    dir = await mkdtemp(join(tmpdir(), 'sandbox-archive-'));
    athleteId = (await sandbox.admin<Array<{ id: number }>>('GET', '/athletes'))[0]!.id;
  });
  afterAll(async () => {
    await sandbox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds the activities the API serves, files in every format, and the planted segments to the second', async () => {
    const response = await fetch(`${sandbox.baseUrl}/_sandbox/athletes/${athleteId}/archive.zip`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/zip');
    const path = join(dir, 'archive.zip');
    await writeFile(path, Buffer.from(await response.arrayBuffer()));

    const archive = await readStravaArchive(path);
    try {
      const athletes = await sandbox.admin<Array<{ id: number; activity_count: number }>>('GET', '/athletes');
      const total = athletes.find((athlete) => athlete.id === athleteId)!;
      expect(archive.runs.length + archive.otherActivities).toBe(total.activity_count);
      expect(archive.runs.length).toBeGreaterThan(50);

      const formats = new Set(archive.runs.map((run) => (run.filename ? activityFileFormat(run.filename) : undefined)).map((f) => f && `${f.format}${f.gzipped ? '.gz' : ''}`));
      expect([...formats].filter(Boolean).sort()).toEqual(['fit.gz', 'gpx', 'gpx.gz', 'tcx.gz']);

      const planted = await sandbox.admin<Planted[]>('GET', `/athletes/${athleteId}/planted`);
      expect(planted.length).toBeGreaterThan(2);
      for (const segment of planted) {
        const run = archive.runs.find((candidate) => candidate.stravaId === segment.activityId)!;
        const streams = (await archive.streamsOf(run))!;
        const found = computeBestEfforts(streams, { distance: run.distance, elapsedTime: run.elapsedTime }).efforts.find(
          (effort) => effort.distance === segment.distance,
        )!;
        expect(Math.abs(found.elapsedTime - segment.elapsedTime)).toBeLessThanOrEqual(1);
        expect(Math.abs(found.startOffset - segment.startOffset)).toBeLessThanOrEqual(1);
      }
      let read = 0;
      for (const run of archive.runs.slice(0, 40)) if (await archive.streamsOf(run)) read += 1;
      expect(read).toBeGreaterThan(30);
    } finally {
      archive.close();
    }
  }, 300_000); // prettier-ignore

  it('answers 404 for an unknown athlete', async () => {
    const response = await fetch(`${sandbox.baseUrl}/_sandbox/athletes/999999999/archive.zip`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ message: expect.stringContaining('999999999') });
  });
});
