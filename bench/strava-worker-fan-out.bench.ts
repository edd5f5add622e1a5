// The strava-worker's scheduled fan-out over 10,000 athletes against 1,000 (memory, throughput,
// exact job count, Redis per athlete). The body lives with the app, where its packages resolve.
import type { BenchResult } from './types.js';

export default async function run(): Promise<BenchResult[]> {
  const { runFanOutBench } = await import('../apps/strava-worker/bench/fan-out.bench-support.js');
  return runFanOutBench();
}
