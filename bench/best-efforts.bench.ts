// Best efforts: the engine on realistic 1 Hz streams (a 10 km run and a marathon) next to one plain
// pass over the same stream, and the enrichment's Strava requests per window next to its share.
import { performance } from 'node:perf_hooks';
import { computeBestEfforts, type RunStreams } from '@runnerly/best-efforts';
import { type BenchResult, compared } from './types.js';

/** A 1 Hz run: pace wobbling ±6 % around `pace` s/km, GPS noise in the distance, a stop or two. */
function stream(distance: number, pace: number, seed: number): Required<Pick<RunStreams, 'time' | 'distance'>> {
  let state = seed >>> 0;
  const random = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const time = [0];
  const along = [0];
  let covered = 0;
  for (let second = 1; covered < distance; second += 1) {
    const speed = (1000 / pace) * (1 + 0.04 * Math.sin(second / 300) + 0.02 * Math.sin(second / 47));
    covered += random() < 0.002 ? 0 : speed;
    time.push(second);
    along.push(Math.round((covered + (random() - 0.5)) * 10) / 10);
  }
  return { time, distance: along };
}

/** One pass over the stream (the least any per-run computation must do): the fastest second. */
function plainPass(streams: { time: number[]; distance: number[] }): number {
  let best = 0;
  for (let i = 1; i < streams.time.length; i += 1) {
    const speed = (streams.distance[i]! - streams.distance[i - 1]!) / (streams.time[i]! - streams.time[i - 1]!);
    if (speed > best) best = speed;
  }
  return best;
}

function perSecond(fn: () => unknown, minimumMs = 1_500): number {
  for (let i = 0; i < 5; i += 1) fn(); // warm-up
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < minimumMs) {
    fn();
    runs += 1;
  }
  return runs / ((performance.now() - started) / 1000);
}

export default async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [label, distance, pace] of [
    ['10 km', 10_000, 300],
    ['marathon', 42_195, 320],
  ] as const) {
    const streams = stream(distance, pace, distance);
    const summary = { distance, elapsedTime: streams.time.at(-1)! };
    const engine = perSecond(() => computeBestEfforts(streams, summary));
    const baseline = perSecond(() => plainPass(streams));
    results.push(
      compared(
        `best efforts, ${label} run at 1 Hz`,
        'runs/s',
        engine,
        { name: 'one plain pass over the stream', value: baseline },
        {
          notes: `${streams.time.length} samples, every standard distance up to the run's (two linear passes each, ends interpolated)`,
        },
      ),
    );
  }
  const { runEnrichmentBench } = await import('../apps/strava-worker/bench/enrichment.bench-support.js');
  results.push(...(await runEnrichmentBench()));
  return results;
}
