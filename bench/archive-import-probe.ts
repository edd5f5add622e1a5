// Run in a fresh process by bench/archive-import.bench.ts: reads one archive the way the worker's
// checking phase does (ZIP checks, activities.csv, every activity file, best efforts, a staged
// line per run) or, with `--raw`, only inflates the same entries (the baseline). Prints JSON with
// the run count, seconds, the peak RSS sampled every 20 ms and the peak live heap (needs --expose-gc).
import { createWriteStream } from 'node:fs';
import { computeBestEfforts } from '@runnerly/best-efforts';
import { readStravaArchive, ZipArchive } from '@runnerly/strava-archive';

const [path, mode] = process.argv.slice(2) as [string, string | undefined];
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
// A full collection every 250 ms: what is left is what the import holds (not garbage V8 has not
// collected yet), so its peak shows whether memory grows with the archive.
let peakLiveHeap = 0;
const collector = setInterval(() => {
  globalThis.gc?.();
  peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
}, 250);

const started = performance.now();
const archive = await readStravaArchive(path);
let runs = 0;
if (mode === '--raw') {
  archive.close();
  const zip = await ZipArchive.open(path);
  for (const run of archive.runs) {
    runs += 1;
    if (!run.filename) continue;
    for await (const chunk of await zip.open(run.filename)) void chunk;
  }
  zip.close();
} else {
  const staged = createWriteStream('/dev/null');
  for (const run of archive.runs) {
    runs += 1;
    const streams = await archive.streamsOf(run);
    const efforts = computeBestEfforts(streams ?? {}, { distance: run.distance, elapsedTime: run.elapsedTime });
    staged.write(`${JSON.stringify({ run, efforts })}\n`);
  }
  staged.end();
  archive.close();
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
clearInterval(collector);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
console.log(JSON.stringify({ runs, seconds, peakRss, peakLiveHeap }));
