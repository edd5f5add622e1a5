// Archive import: activities per second and peak RSS of the import's reading work (ZIP checks,
// activities.csv, every FIT/GPX/TCX file, best efforts) for a 300-run and a 3,000-run archive,
// each in a fresh process. Memory must stay flat: the archive is streamed entry by entry, so the
// 3,000-run peak should be about the 300-run one. Baseline: inflating the same entries, no parsing.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ArchiveActivityInput, type ArchiveFileFormat, writeStravaArchive } from '@runnerly/strava-archive';
import { type BenchResult, compared } from './types.js';

const run = promisify(execFile);
const probe = join(import.meta.dirname, 'archive-import-probe.ts');
const FORMATS: ArchiveFileFormat[] = ['fit.gz', 'gpx', 'gpx.gz', 'tcx.gz'];

/** `count` runs of 30-50 minutes at one point a second, every format, one in ten manual. */
function activities(count: number): ArchiveActivityInput[] {
  return Array.from({ length: count }, (_, index) => {
    const seconds = 1800 + (index % 21) * 60;
    const pace = 3 + (index % 7) * 0.1;
    const activity: ArchiveActivityInput = {
      id: 5_000_000_000 + index,
      name: `Run ${index}`,
      type: index % 9 === 0 ? 'Ride' : 'Run',
      startDate: new Date(Date.UTC(2018, 0, 1) + index * 86_400_000),
      utcOffsetSeconds: 3600,
      elapsedTime: seconds,
      movingTime: seconds,
      distance: seconds * pace,
      totalElevationGain: 10,
      averageSpeed: pace,
      maxSpeed: pace + 1,
    };
    if (index % 10 !== 3)
      activity.file = {
        format: FORMATS[index % FORMATS.length]!,
        leadingBlanks: index % 5 === 0,
        streams: () => {
          const time = Array.from({ length: seconds + 1 }, (_, k) => k);
          return {
            time,
            distance: time.map((k) => k * pace),
            latlng: time.map((k): [number, number] => [48 + (k * pace) / 111_195, 11.5]),
          };
        },
      };
    return activity;
  });
}

interface Measured {
  runs: number;
  seconds: number;
  peakRss: number;
  peakLiveHeap: number;
}

async function measure(path: string, raw: boolean): Promise<Measured> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', '@swc-node/register/esm-register', probe, path, ...(raw ? ['--raw'] : [])],
    { maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Measured;
}

export default async function bench(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'archive-bench-'));
  try {
    const results: BenchResult[] = [];
    const peaks: Record<number, Measured> = {};
    for (const count of [300, 3000]) {
      const path = join(dir, `archive-${count}.zip`);
      await writeStravaArchive(activities(count), createWriteStream(path));
      const size = (await stat(path)).size;
      const raw = await measure(path, true);
      const full = await measure(path, false);
      peaks[count] = full;
      results.push(
        compared(
          `archive import (reading, files, best efforts), ${count}-activity archive`,
          'runs/s',
          full.runs / full.seconds,
          { name: 'inflating the same entries, no parsing', value: raw.runs / raw.seconds },
          {
            notes: `${full.runs} runs (one in ten manual, every format), ${Math.round(size / 2 ** 20)} MiB ZIP, ${full.seconds.toFixed(1)} s; fresh process`,
          },
        ),
      );
    }
    results.push(
      compared(
        'archive import peak live heap, 3,000-activity archive',
        'MiB',
        peaks[3000]!.peakLiveHeap / 2 ** 20,
        { name: '300-activity archive', value: peaks[300]!.peakLiveHeap / 2 ** 20 },
        { target: 'ratio ≈ 1 (memory flat in archive size)', notes: 'heap left after a full GC, every 250 ms' },
      ),
      compared(
        'archive import peak RSS, 3,000-activity archive',
        'MiB',
        peaks[3000]!.peakRss / 2 ** 20,
        { name: '300-activity archive', value: peaks[300]!.peakRss / 2 ** 20 },
        { notes: 'process RSS sampled every 20 ms (includes garbage not yet collected)' },
      ),
    );
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
