import { decodePolyline, type StravaSummaryActivity } from '@runnerly/strava';
import { Prng } from './prng.js';

/**
 * Each activity's streams, as Strava would keep them for the file the athlete uploaded: one
 * sample a second while moving (time, distance, latlng along its summary polyline, altitude,
 * heart rate when it has any), the stop between moving and elapsed time as a gap in the time
 * stream, the last sample at exactly the activity's distance and elapsed time. Deterministic: the
 * same activity always has the same streams (the archive's files are written from them too).
 *
 * A few runs carry a planted fastest segment (see plantedSegment): a stretch of a standard
 * distance run at a constant pace faster than any other second of the run, starting and ending on
 * a sample, so the fastest effort for that distance within the run is exactly the planted one.
 */
export interface ActivityStreams {
  /** Seconds from the start. */
  time: number[];
  /** Metres from the start, to the decimetre (as Strava sends it). */
  distance: number[];
  /** Only for activities with a summary polyline. */
  latlng?: Array<[number, number]>;
  altitude: number[];
  /** Only for activities with heart rate. */
  heartrate?: number[];
}

export interface PlantedSegment {
  activityId: number;
  /** Metres: one of the standard best-effort distances. */
  distance: number;
  name: string;
  /** Seconds to cover it (a whole number). */
  elapsedTime: number;
  /** Seconds from the start of the activity where it starts (a whole number). */
  startOffset: number;
}

type StreamSource = Pick<
  StravaSummaryActivity,
  | 'id'
  | 'sport_type'
  | 'distance'
  | 'moving_time'
  | 'elapsed_time'
  | 'manual'
  | 'map'
  | 'has_heartrate'
  | 'average_heartrate'
  | 'max_heartrate'
  | 'total_elevation_gain'
  | 'elev_low'
>;

/** Runs whose id falls on this stride carry a planted segment (about one run in 20). */
const PLANT_EVERY = 20;
/** The planted stretch's pace over the run's average pace. */
const PLANT_PACE = 0.85;
/** Beyond this many samples (a 14-hour activity) a stream is thinned. */
const MAX_SAMPLES = 50_000;

const PLANTABLE = [
  { name: '1K', distance: 1000 },
  { name: '1 mile', distance: 1609.344 },
  { name: '5K', distance: 5000 },
  { name: '10K', distance: 10000 },
] as const;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function hasStreams(activity: StreamSource): boolean {
  return !activity.manual && activity.moving_time > 0;
}

/** The planted fastest segment of a run, if it has one. */
export function plantedSegment(activity: StreamSource): PlantedSegment | undefined {
  const gps = Boolean(activity.map?.summary_polyline);
  if (!hasStreams(activity) || !gps || activity.sport_type !== 'Run') return undefined;
  if (activity.id % PLANT_EVERY !== 7 % PLANT_EVERY) return undefined;
  if (activity.moving_time > MAX_SAMPLES) return undefined;
  const prng = new Prng(activity.id ^ 0x91a7);
  const fits = PLANTABLE.filter((item) => item.distance <= activity.distance * 0.6);
  if (fits.length === 0) return undefined;
  const choice = fits[prng.int(0, fits.length - 1)]!;
  const averagePace = activity.moving_time / activity.distance;
  const elapsedTime = Math.round(choice.distance * averagePace * PLANT_PACE);
  const before = activity.moving_time - elapsedTime;
  const startOffset = Math.round(before * prng.between(0.15, 0.7));
  return { activityId: activity.id, distance: choice.distance, name: choice.name, elapsedTime, startOffset };
}

/** A smooth pace wobble (±6 %) plus a little noise, one factor a second. */
function wobble(prng: Prng, seconds: number): number[] {
  const p1 = prng.between(240, 900);
  const p2 = prng.between(60, 200);
  const f1 = prng.between(0, 2 * Math.PI);
  const f2 = prng.between(0, 2 * Math.PI);
  const out = new Array<number>(seconds);
  for (let k = 0; k < seconds; k += 1)
    out[k] =
      1 +
      0.04 * Math.sin((2 * Math.PI * k) / p1 + f1) +
      0.015 * Math.sin((2 * Math.PI * k) / p2 + f2) +
      prng.between(-0.005, 0.005);
  return out;
}

/** Metres covered in each moving second (or step): the planted stretch constant, the rest wobbling. */
function steps(prng: Prng, activity: StreamSource, count: number, planted: PlantedSegment | undefined): number[] {
  const plantedSteps = planted?.elapsedTime ?? 0;
  const plantedStart = planted?.startOffset ?? 0;
  const restSteps = count - plantedSteps;
  const restDistance = activity.distance - (planted?.distance ?? 0);
  const factors = wobble(prng, restSteps);
  const sum = factors.reduce((total, factor) => total + factor, 0);
  const scale = restSteps > 0 ? restDistance / sum : 0;
  const out: number[] = [];
  for (let k = 0; k < plantedStart; k += 1) out.push(factors[k]! * scale);
  for (let k = 0; k < plantedSteps; k += 1) out.push(planted!.distance / plantedSteps);
  for (let k = plantedStart; k < restSteps; k += 1) out.push(factors[k]! * scale);
  return out;
}

/** Points along the polyline at the given fractions (0..1) of its length. */
function along(polyline: string, fractions: number[]): Array<[number, number]> {
  const points = decodePolyline(polyline);
  if (points.length < 2) return fractions.map(() => [points[0]?.[0] ?? 0, points[0]?.[1] ?? 0]);
  const cumulative = [0];
  for (let i = 1; i < points.length; i += 1) {
    const [a, b] = [points[i - 1]!, points[i]!];
    const dy = (b[0] - a[0]) * 111_320;
    const dx = (b[1] - a[1]) * 111_320 * Math.cos((a[0] * Math.PI) / 180);
    cumulative.push(cumulative[i - 1]! + Math.hypot(dx, dy));
  }
  const total = cumulative[cumulative.length - 1]! || 1;
  const out: Array<[number, number]> = [];
  let segment = 1;
  for (const fraction of fractions) {
    const at = Math.min(1, Math.max(0, fraction)) * total;
    while (segment < points.length - 1 && cumulative[segment]! < at) segment += 1;
    const span = cumulative[segment]! - cumulative[segment - 1]!;
    const f = span > 0 ? Math.min(1, Math.max(0, (at - cumulative[segment - 1]!) / span)) : 0;
    const [a, b] = [points[segment - 1]!, points[segment]!];
    out.push([round(a[0] + (b[0] - a[0]) * f, 6), round(a[1] + (b[1] - a[1]) * f, 6)]);
  }
  return out;
}

/** The activity's streams; undefined for a manual activity (Strava has none: its streams are 404). */
export function activityStreams(activity: StreamSource): ActivityStreams | undefined {
  if (!hasStreams(activity)) return undefined;
  const prng = new Prng(activity.id ^ 0x5743);
  const planted = plantedSegment(activity);
  // One step a second while moving; a very long activity in coarser steps.
  const stride = Math.max(1, Math.ceil(activity.moving_time / MAX_SAMPLES));
  const count = Math.max(1, Math.floor(activity.moving_time / stride));
  const moves = steps(prng, activity, count, planted);
  const pause = Math.max(0, activity.elapsed_time - activity.moving_time);
  // The stop: somewhere in the middle; on a planted run right after the planted stretch, so that
  // the stretch's start offset is the same in moving and in elapsed time.
  const middle = Math.floor(count * prng.between(0.35, 0.65));
  const stopAt = planted ? planted.startOffset + planted.elapsedTime : middle;
  const time = [0];
  const distance = [0];
  let covered = 0;
  for (let k = 0; k < count; k += 1) {
    covered += moves[k]!;
    const last = k === count - 1;
    const at = (k + 1) * stride + (k >= stopAt ? pause : 0);
    time.push(last ? Math.max(activity.elapsed_time, time[k]! + 1) : at);
    distance.push(last ? activity.distance : round(covered, 1));
  }
  const fractions = distance.map((metres) => (activity.distance > 0 ? metres / activity.distance : 0));
  const polyline = activity.map?.summary_polyline;
  const climbs = Math.max(1, Math.round(activity.distance / 2500));
  const rise = activity.total_elevation_gain / climbs;
  const base = activity.elev_low ?? 20;
  const altitude = fractions.map((f) => round(base + (rise * (1 - Math.cos(2 * Math.PI * climbs * f))) / 2, 1));
  const streams: ActivityStreams = { time, distance, altitude };
  if (polyline) streams.latlng = along(polyline, fractions);
  if (activity.has_heartrate && activity.average_heartrate !== undefined) {
    const average = activity.average_heartrate;
    const max = activity.max_heartrate ?? average + 15;
    streams.heartrate = fractions.map((f, k) =>
      Math.round(Math.min(max, Math.max(average - 25, average - 12 * Math.exp(-k / 120) + 4 * Math.sin(f * 9)))),
    );
  }
  return streams;
}
