import type { Clock } from './clock.js';

/**
 * What tests (and benchmarks) may change beyond the environment: Strava's windows are 15 minutes
 * and a day, far too long to wait for in a test.
 */
export interface WorkerOptions {
  clock?: Clock;
  /** Rate-limit window lengths (default Strava's: 15 min, 1 day). */
  rateWindowsMs?: { short: number; long: number };
  /**
   * Learn usage and limits from Strava's headers (default true; false lets a test provoke real
   * 429s, as another application sharing the limits would).
   */
  trustRateHeaders?: boolean;
  /** Longest a parked queue waits before checking the budget again (default: until the reset). */
  maxParkMs?: number;
  /** Worker lock duration; stalled jobs are taken over after it (default BullMQ's 30 s). */
  lockDurationMs?: number;
}

export const WORKER_OPTIONS = Symbol('WorkerOptions');
