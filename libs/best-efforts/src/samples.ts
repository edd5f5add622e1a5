/**
 * Turns raw Strava streams into samples the window search can trust: time strictly increasing,
 * distance never decreasing, and no step faster than a runner can go (a GPS glitch's jump adds
 * no distance, so it can never make an effort look faster than it was).
 */

/** Faster than any human runs, even for a second (Bolt's top speed is about 12.4 m/s). */
export const MAX_SPEED = 12.5;

export interface Samples {
  /** Seconds from the start, strictly increasing. */
  time: Float64Array;
  /** Metres from the start, non-decreasing. */
  distance: Float64Array;
  /** How many steps were dropped as impossible (too fast). */
  glitches: number;
}

const EARTH_RADIUS = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance between two [lat, lng] points, metres. */
export function haversine(a: readonly [number, number], b: readonly [number, number]): number {
  const dLat = (b[0] - a[0]) * RAD;
  const dLng = (b[1] - a[1]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * RAD) * Math.cos(b[0] * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Cumulative distance along a track of [lat, lng] points (NaN where a point is unusable). */
export function distanceAlong(latlng: ReadonlyArray<readonly [number, number]>): number[] {
  const out: number[] = new Array<number>(latlng.length);
  let total = 0;
  let last: readonly [number, number] | undefined;
  for (let i = 0; i < latlng.length; i += 1) {
    const point = latlng[i];
    const usable =
      Array.isArray(point) && Number.isFinite(point[0]) && Number.isFinite(point[1]) && Math.abs(point[0]) <= 90;
    if (!usable) {
      out[i] = Number.NaN;
      continue;
    }
    if (last) total += haversine(last, point);
    last = point;
    out[i] = total;
  }
  return out;
}

/** Clean samples from parallel time and distance arrays (unequal lengths: the shorter wins). */
export function prepareSamples(time: readonly number[], distance: readonly number[]): Samples {
  const n = Math.min(time.length, distance.length);
  const t = new Float64Array(n);
  const d = new Float64Array(n);
  let size = 0;
  let glitches = 0;
  let lastRaw = Number.NaN;
  // Distance that went backwards (GPS noise): the runner did not un-run it, so the next steps
  // forward pay it back before they count, and the total is never counted twice.
  let debt = 0;
  for (let i = 0; i < n; i += 1) {
    const ti = time[i]!;
    const di = distance[i]!;
    if (typeof ti !== 'number' || typeof di !== 'number' || !Number.isFinite(ti) || !Number.isFinite(di)) continue;
    if (size === 0) {
      t[0] = ti;
      d[0] = 0;
      lastRaw = di;
      size = 1;
      continue;
    }
    const previousTime = t[size - 1]!;
    // A repeated (or out of order) timestamp: nothing to learn from it.
    if (ti <= previousTime) continue;
    let step = di - lastRaw;
    lastRaw = di;
    if (Math.abs(step) / (ti - previousTime) > MAX_SPEED) {
      // A jump no runner makes (there, or back from a spike): it adds nothing.
      glitches += 1;
      step = 0;
    } else if (step < 0) {
      debt -= step;
      step = 0;
    } else if (debt > 0) {
      const paid = Math.min(debt, step);
      debt -= paid;
      step -= paid;
    }
    t[size] = ti;
    d[size] = d[size - 1]! + step;
    size += 1;
  }
  return { time: t.subarray(0, size), distance: d.subarray(0, size), glitches };
}
