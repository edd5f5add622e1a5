// The dashboard: page weight against bare React, and the cost of a Redis session per request.
// The measuring code lives with the dashboard (apps/dashboard/test/bench-support.ts), where its
// dependencies (vite, ioredis, express) resolve.
import { runDashboardBench } from '../apps/dashboard/test/bench-support.js';
import type { BenchResult } from './types.js';

export default function run(): Promise<BenchResult[]> {
  return runDashboardBench();
}
