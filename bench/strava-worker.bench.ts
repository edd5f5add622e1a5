// The strava-worker end to end (first syncs of many athletes, Strava requests per sync against the
// minimum, webhook event to visible run). The body lives with the app, where its packages resolve.
import type { BenchResult } from './types.js';

export default async function run(): Promise<BenchResult[]> {
  const { runStravaWorkerBench } = await import('../apps/strava-worker/bench/strava-worker.bench-support.js');
  return runStravaWorkerBench();
}
