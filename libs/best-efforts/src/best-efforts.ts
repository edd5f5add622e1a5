import { STANDARD_DISTANCES } from './distances.js';
import { distanceAlong, MAX_SPEED, prepareSamples, type Samples } from './samples.js';
import { fastestWindow } from './window.js';

/**
 * Where a run's efforts come from: `streams` (time with GPS: a distance stream or a track),
 * `distance` (time and distance without GPS: a treadmill, a foot pod), `summary` (no streams:
 * the whole run's own figures only, for a run that is itself about a standard distance).
 */
export type EffortSource = 'streams' | 'distance' | 'summary';

export interface RunStreams {
  /** Seconds from the start. */
  time?: number[];
  /** Metres from the start. */
  distance?: number[];
  latlng?: Array<[number, number]>;
}

export interface RunSummary {
  /** Metres. */
  distance: number;
  /** Seconds. */
  elapsedTime: number;
  movingTime?: number;
}

export interface BestEffort {
  /** Metres (one of STANDARD_DISTANCES). */
  distance: number;
  name: string;
  /** Seconds, to the hundredth. */
  elapsedTime: number;
  /** Seconds from the start of the run where the effort starts, to the hundredth. */
  startOffset: number;
}

export interface BestEfforts {
  source: EffortSource;
  efforts: BestEffort[];
  /** Steps dropped as faster than a runner can go (GPS glitches). */
  glitches: number;
}

/**
 * A run without streams counts for a standard distance only when the run itself is that distance
 * (measured up to this much longer: a 10.2 km race is a 10K): its time scaled to the distance.
 */
export const SUMMARY_TOLERANCE = 0.03;

const hundredths = (value: number) => Math.round(value * 100) / 100;

function usableSamples(streams: RunStreams): { samples: Samples; gps: boolean } | undefined {
  const time = Array.isArray(streams.time) ? streams.time : undefined;
  if (!time || time.length < 2) return undefined;
  const latlng = Array.isArray(streams.latlng) && streams.latlng.length >= 2 ? streams.latlng : undefined;
  const distance =
    Array.isArray(streams.distance) && streams.distance.length >= 2
      ? streams.distance
      : latlng
        ? distanceAlong(latlng)
        : undefined;
  if (!distance) return undefined;
  const samples = prepareSamples(time, distance);
  if (samples.time.length < 2 || samples.distance[samples.distance.length - 1]! <= 0) return undefined;
  return { samples, gps: latlng !== undefined };
}

function summaryEfforts(summary: RunSummary): BestEffort[] {
  const { distance, elapsedTime } = summary;
  if (!(distance > 0) || !(elapsedTime > 0) || distance / elapsedTime > MAX_SPEED) return [];
  return STANDARD_DISTANCES.filter(
    (standard) => distance >= standard.distance && distance <= standard.distance * (1 + SUMMARY_TOLERANCE),
  ).map((standard) => ({
    distance: standard.distance,
    name: standard.name,
    elapsedTime: hundredths((elapsedTime * standard.distance) / distance),
    startOffset: 0,
  }));
}

/**
 * The fastest time for each standard distance within one run, from its streams when it has
 * them (see fastestWindow), from its summary otherwise. Distances longer than the run have none.
 */
export function computeBestEfforts(streams: RunStreams, summary: RunSummary): BestEfforts {
  const usable = usableSamples(streams);
  if (!usable) return { source: 'summary', efforts: summaryEfforts(summary), glitches: 0 };
  const efforts: BestEffort[] = [];
  for (const standard of STANDARD_DISTANCES) {
    const window = fastestWindow(usable.samples, standard.distance);
    if (!window) continue;
    efforts.push({
      distance: standard.distance,
      name: standard.name,
      elapsedTime: hundredths(window.elapsedTime),
      startOffset: hundredths(window.startTime),
    });
  }
  return { source: usable.gps ? 'streams' : 'distance', efforts, glitches: usable.samples.glitches };
}
