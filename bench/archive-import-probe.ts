// Run in a fresh process by bench/archive-import.bench.ts: reads one archive the way the worker's
// checking phase does (ZIP checks, activities.csv, every activity file, best efforts, a staged
// line per run) or, with `--raw`, only inflates the same entries (the baseline). Prints JSON with
// the run count, seconds and the peak RSS sampled every 20 ms.
import { createWriteStream } from 'node:fs';
import { computeBestEfforts } from '@runnerly/best-efforts';
import { readStravaArchive, ZipArchive } from '@runnerly/strava-archive';

const [path, mode] = process.argv.slice(2) as [string, string | undefined];
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

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
peakRss = Math.max(peakRss, process.memoryUsage().rss);
console.log(JSON.stringify({ runs, seconds, peakRss }));
