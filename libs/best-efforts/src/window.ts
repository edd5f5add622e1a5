import type { Samples } from './samples.js';

export interface Window {
  /** Seconds the runner took to cover the distance. */
  elapsedTime: number;
  /** The time value (seconds from the start) where the window starts. */
  startTime: number;
}

/**
 * The fastest stretch of exactly `length` metres, its ends interpolated linearly between samples.
 *
 * Covering `length` from a start point s takes T(s + length) − T(s), with T the time at which the
 * runner reached a distance (piecewise linear between samples). That difference is itself
 * piecewise linear in s and changes slope only where s or s + length is a sample, so its minimum
 * lies where the window starts at a sample or ends at one: two linear passes, each with a second
 * pointer that only moves forward.
 */
export function fastestWindow(samples: Samples, length: number): Window | undefined {
  const { time: t, distance: d } = samples;
  const n = t.length;
  if (n < 2 || length <= 0 || d[n - 1]! - d[0]! < length) return undefined;
  let bestTime = Number.POSITIVE_INFINITY;
  let bestStart = 0;

  // Windows starting at a sample i: the end is reached between j − 1 and j (first d[j] ≥ d[i] + length).
  let j = 1;
  for (let i = 0; i < n - 1; i += 1) {
    const target = d[i]! + length;
    if (j <= i) j = i + 1;
    while (j < n && d[j]! < target) j += 1;
    if (j === n) break;
    const span = d[j]! - d[j - 1]!;
    const end = span > 0 ? t[j - 1]! + ((target - d[j - 1]!) / span) * (t[j]! - t[j - 1]!) : t[j]!;
    const elapsed = end - t[i]!;
    if (elapsed < bestTime) {
      bestTime = elapsed;
      bestStart = t[i]!;
    }
  }

  // Windows ending at a sample j: the start lies between i and i + 1 (last d[i] ≤ d[j] − length).
  let i = 0;
  for (let k = 1; k < n; k += 1) {
    const target = d[k]! - length;
    if (target < d[0]!) continue;
    while (i + 1 < k && d[i + 1]! <= target) i += 1;
    const span = d[i + 1]! - d[i]!;
    const start = span > 0 ? t[i]! + ((target - d[i]!) / span) * (t[i + 1]! - t[i]!) : t[i]!;
    const elapsed = t[k]! - start;
    if (elapsed < bestTime) {
      bestTime = elapsed;
      bestStart = start;
    }
  }
  return Number.isFinite(bestTime) ? { elapsedTime: bestTime, startTime: bestStart } : undefined;
}
