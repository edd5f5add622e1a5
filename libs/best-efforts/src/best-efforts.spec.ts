import { describe, expect, it } from 'vitest';
import { computeBestEfforts, type RunStreams } from './best-efforts.js';
import { STANDARD_DISTANCES } from './distances.js';
import { prepareSamples, type Samples } from './samples.js';
import { fastestWindow } from './window.js';

/** mulberry32: the same seed gives the same runs. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 1 Hz run from a list of [seconds, metres per second] legs (speed 0: standing). */
function run(legs: Array<[number, number]>, dt = 1): { time: number[]; distance: number[] } {
  const time = [0];
  const distance = [0];
  for (const [seconds, speed] of legs) {
    for (let s = dt; s <= seconds; s += dt) {
      time.push(time[time.length - 1]! + dt);
      distance.push(distance[distance.length - 1]! + speed * dt);
    }
  }
  return { time, distance };
}

/**
 * The reference: every sample as a start, scanning forward to where the distance is covered, and
 * every sample as an end, scanning back: O(n²), written without the two pointers.
 */
function bruteForce(samples: Samples, length: number): { elapsedTime: number; startTime: number } | undefined {
  const { time: t, distance: d } = samples;
  let best: { elapsedTime: number; startTime: number } | undefined;
  const offer = (elapsedTime: number, startTime: number) => {
    if (!best || elapsedTime < best.elapsedTime) best = { elapsedTime, startTime };
  };
  for (let i = 0; i < t.length; i += 1) {
    for (let j = i + 1; j < t.length; j += 1) {
      if (d[j]! - d[i]! >= length) {
        const target = d[i]! + length;
        const end = t[j - 1]! + ((target - d[j - 1]!) / (d[j]! - d[j - 1]!)) * (t[j]! - t[j - 1]!);
        offer(end - t[i]!, t[i]!);
        break;
      }
    }
  }
  for (let j = t.length - 1; j > 0; j -= 1) {
    for (let i = j - 1; i >= 0; i -= 1) {
      if (d[j]! - d[i]! >= length) {
        const target = d[j]! - length;
        const start = t[i]! + ((target - d[i]!) / (d[i + 1]! - d[i]!)) * (t[i + 1]! - t[i]!);
        offer(t[j]! - start, start);
        break;
      }
    }
  }
  return best;
}

const effort = (result: ReturnType<typeof computeBestEfforts>, distance: number) =>
  result.efforts.find((item) => item.distance === distance);

describe('computeBestEfforts', () => {
  it('finds a planted 5 km at 3:30 /km inside a 15 km run at 5:00 /km, to the second', () => {
    // 5 km at 1000/300 m/s, then 5 km at 1000/210 m/s (1050 s), then 5 km at 1000/300 m/s.
    const streams = run([
      [1500, 1000 / 300],
      [1050, 1000 / 210],
      [1500, 1000 / 300],
    ]);
    const result = computeBestEfforts(streams, { distance: 15000, elapsedTime: 4050 });
    expect(result.source).toBe('distance');
    expect(effort(result, 5000)).toMatchObject({ name: '5K', elapsedTime: 1050, startOffset: 1500 });
    expect(effort(result, 1000)!.elapsedTime).toBeCloseTo(210, 1);
    expect(effort(result, 400)!.elapsedTime).toBeCloseTo(84, 1);
    // 10 km: the fast 5 km plus 5 km at 5:00.
    expect(effort(result, 10000)!.elapsedTime).toBeCloseTo(2550, 1);
    expect(effort(result, 15000)!.elapsedTime).toBeCloseTo(4050, 1);
    expect(effort(result, 16093.44)).toBeUndefined();
  });

  it('is not the whole-run average pace: a half marathon run evenly has its real 5 km split', () => {
    // The old rule gave a 5K best from the average pace of any longer run; a fast start is found.
    const streams = run([
      [1200, 5000 / 1200],
      [5000, 16100 / 5000],
    ]);
    const result = computeBestEfforts(streams, { distance: 21100, elapsedTime: 6200 });
    expect(effort(result, 5000)!.elapsedTime).toBeCloseTo(1200, 1);
    expect(effort(result, 21097.5)!.elapsedTime).toBeCloseTo(6200 - 2.5 / (16100 / 5000), 1);
  });

  it('interpolates both ends between sparse samples', () => {
    // Samples every 7 s at 3 m/s, then 4 m/s: the 1 km starts and ends between samples.
    const streams = run(
      [
        [700, 3],
        [700, 4],
      ],
      7,
    );
    const result = computeBestEfforts(streams, { distance: 4900, elapsedTime: 1400 });
    expect(effort(result, 1000)!.elapsedTime).toBeCloseTo(250, 1);
    expect(effort(result, 1609.344)!.elapsedTime).toBeCloseTo(1609.344 / 4, 1);
    expect(effort(result, 5000)).toBeUndefined();
  });

  it('counts a pause inside the window (elapsed time) and finds the stretch without it', () => {
    // 3 km at 4 m/s, a 120 s stop (the watch paused: no samples), then 3 km at 4 m/s.
    const first = run([[750, 4]]);
    const second = run([[750, 4]]);
    const time = [...first.time, ...second.time.slice(1).map((t) => t + 750 + 120)];
    const distance = [...first.distance, ...second.distance.slice(1).map((d) => d + 3000)];
    const result = computeBestEfforts({ time, distance }, { distance: 6000, elapsedTime: 1620, movingTime: 1500 });
    expect(effort(result, 1000)!.elapsedTime).toBeCloseTo(250, 1);
    // 5 km must span the stop: 1250 s running plus the 120 s pause.
    expect(effort(result, 5000)!.elapsedTime).toBeCloseTo(1370, 1);
  });

  it('standing still (samples at the same distance) does not shorten an effort', () => {
    const streams = run([
      [250, 4],
      [60, 0],
      [250, 4],
    ]);
    const result = computeBestEfforts(streams, { distance: 2000, elapsedTime: 560 });
    expect(effort(result, 1000)!.elapsedTime).toBeCloseTo(250, 1);
    expect(effort(result, 1609.344)!.elapsedTime).toBeCloseTo(1609.344 / 4 + 60, 1);
  });

  it('ignores a GPS glitch: a jump at an impossible speed adds no distance', () => {
    const streams = run([[2000, 3]]); // 6 km at 3 m/s
    // A teleport of 800 m at second 1000 that stays in the distance stream from then on.
    streams.distance = streams.distance.map((d, index) => (index >= 1000 ? d + 800 : d));
    const result = computeBestEfforts(streams, { distance: 6800, elapsedTime: 2000 });
    expect(result.glitches).toBe(1);
    expect(effort(result, 1000)!.elapsedTime).toBeCloseTo(1000 / 3, 1);
    // Every 5 km crosses the jump, whose second of real running is dropped with it.
    expect(effort(result, 5000)!.elapsedTime).toBeCloseTo(5000 / 3 + 1, 1);
  });

  it('ignores an out-and-back spike, repeated timestamps and distance going backwards', () => {
    const streams = run([[2000, 3]]);
    streams.distance[500] = streams.distance[500]! + 400; // spike out and back
    streams.time.splice(700, 0, streams.time[699]!); // a repeated sample
    streams.distance.splice(700, 0, streams.distance[699]!);
    streams.distance[900] = streams.distance[900]! - 5; // noise backwards
    const result = computeBestEfforts(streams, { distance: 6000, elapsedTime: 2000 });
    expect(result.glitches).toBe(2); // the jump out and the jump back
    // The backwards sample reads as a one-second stop: an effort can start after it, within a second.
    expect(effort(result, 1000)!.elapsedTime).toBeGreaterThanOrEqual(1000 / 3 - 1.01);
    expect(effort(result, 5000)!.elapsedTime).toBeGreaterThanOrEqual(5000 / 3 - 1.01);
    expect(effort(result, 5000)!.elapsedTime).toBeLessThan(5000 / 3 + 3);
  });

  it('uses the GPS track when there is no distance stream, and says the source is streams', () => {
    // Along a meridian: 1 degree of latitude ≈ 111,195 m on the haversine sphere.
    const metresPerDegree = (6_371_008.8 * Math.PI) / 180;
    const time: number[] = [];
    const latlng: Array<[number, number]> = [];
    for (let s = 0; s <= 2000; s += 1) {
      time.push(s);
      latlng.push([45 + (s * 3.5) / metresPerDegree, 7]);
    }
    const result = computeBestEfforts({ time, latlng }, { distance: 7000, elapsedTime: 2000 });
    expect(result.source).toBe('streams');
    expect(effort(result, 5000)!.elapsedTime).toBeCloseTo(5000 / 3.5, 1);
  });

  it('a run without GPS (time and distance only) is marked distance', () => {
    const result = computeBestEfforts(run([[1500, 4]]), { distance: 6000, elapsedTime: 1500 });
    expect(result.source).toBe('distance');
    expect(effort(result, 5000)!.elapsedTime).toBeCloseTo(1250, 1);
  });

  it('without streams: the whole run counts only for the distance it is (summary)', () => {
    const tenK = computeBestEfforts({}, { distance: 10100, elapsedTime: 2525, movingTime: 2500 });
    expect(tenK.source).toBe('summary');
    expect(tenK.efforts).toEqual([{ distance: 10000, name: '10K', elapsedTime: 2500, startOffset: 0 }]);
    // A 12 km run without streams is no 5K or 10K: its pace says nothing about its fastest part.
    expect(computeBestEfforts({ time: [0] }, { distance: 12000, elapsedTime: 3600 }).efforts).toEqual([]);
    // Impossible figures (a typo in a manual entry) count for nothing.
    expect(computeBestEfforts({}, { distance: 5000, elapsedTime: 300 }).efforts).toEqual([]);
    expect(computeBestEfforts({}, { distance: 0, elapsedTime: 0 }).efforts).toEqual([]);
  });

  it('a run shorter than a distance has no effort for it; a run of exactly one has exactly one', () => {
    const result = computeBestEfforts(run([[1000, 5]]), { distance: 5000, elapsedTime: 1000 });
    expect(result.efforts.map((item) => item.name)).toEqual(['400m', '1K', '1 mile', '5K']);
    expect(effort(result, 5000)).toMatchObject({ elapsedTime: 1000, startOffset: 0 });
    expect(computeBestEfforts(run([[70, 5]]), { distance: 350, elapsedTime: 70 }).efforts).toEqual([]);
  });

  it('survives hostile arrays: NaN, strings, unequal lengths, empty', () => {
    const streams = run([[600, 4]]);
    const distance: unknown[] = streams.distance;
    distance[10] = Number.NaN;
    distance[20] = 'x';
    streams.time.length = 400;
    const result = computeBestEfforts(streams as RunStreams, { distance: 2400, elapsedTime: 600 });
    expect(effort(result, 1000)!.elapsedTime).toBeCloseTo(250, 1);
    expect(computeBestEfforts({ time: [], distance: [] }, { distance: 0, elapsedTime: 0 }).efforts).toEqual([]);
  });
});

describe('fastestWindow against the O(n²) reference', () => {
  it('agrees on 300 random runs with pauses, stops, sparse samples and glitches', () => {
    const random = prng(20261201);
    for (let round = 0; round < 300; round += 1) {
      const n = 20 + Math.floor(random() * 400);
      const time: number[] = [0];
      const distance: number[] = [0];
      for (let i = 1; i < n; i += 1) {
        const dt = random() < 0.05 ? 30 + random() * 200 : 1 + Math.floor(random() * 5);
        const speed = random() < 0.1 ? 0 : random() < 0.02 ? 40 : 2 + random() * 4;
        time.push(time[i - 1]! + dt);
        distance.push(distance[i - 1]! + speed * dt + (random() < 0.03 ? -3 : 0));
      }
      const samples = prepareSamples(time, distance);
      const total = samples.distance[samples.distance.length - 1]!;
      const lengths = [
        ...STANDARD_DISTANCES.map((item) => item.distance),
        total * random(),
        total,
        total + 1,
        1 + random() * 50,
      ];
      for (const length of lengths) {
        const fast = fastestWindow(samples, length);
        const slow = bruteForce(samples, length);
        if (!slow) {
          expect(fast).toBeUndefined();
          continue;
        }
        expect(fast, `round ${round}, ${length} m`).toBeDefined();
        expect(fast!.elapsedTime).toBeCloseTo(slow.elapsedTime, 6);
      }
    }
  });
});
