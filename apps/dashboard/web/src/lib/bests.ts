import type { PersonalBests } from '../api.js';

type Best = PersonalBests['items'][number];
type BestRecord = Best['progression'][number];

/** A run's place in a distance's progression: its current best, or a record it held at the time. */
export interface BestMark {
  name: string;
  distance: number;
  current: boolean;
}

/** Each run that set a record, with its marks: shortest distance first, current bests before earlier records. */
export function marksByRun(items: readonly Best[]): Map<number, BestMark[]> {
  const marks = new Map<number, BestMark[]>();
  for (const best of [...items].sort((a, b) => a.distance - b.distance)) {
    best.progression.forEach((record, i) => {
      const list = marks.get(record.stravaId) ?? [];
      // A run can hold the same record once only (a progression lists each run once per distance).
      if (!list.some((mark) => mark.distance === best.distance)) {
        list.push({ name: best.name, distance: best.distance, current: i === best.progression.length - 1 });
      }
      marks.set(record.stravaId, list);
    });
  }
  for (const list of marks.values()) list.sort((a, b) => Number(b.current) - Number(a.current));
  return marks;
}

export interface RecordStep extends BestRecord {
  /** Seconds taken off the previous record; null for the first. */
  improvement: number | null;
}

/** The progression with what each record took off the one before it. */
export function withImprovements(progression: readonly BestRecord[]): RecordStep[] {
  return progression.map((record, i) => ({
    ...record,
    improvement: i === 0 ? null : progression[i - 1]!.elapsedTime - record.elapsedTime,
  }));
}

/**
 * An SVG step path of the records over time in a `width`×`height` box: time runs right, faster is higher
 * (each record holds until the next, and the last holds to the right edge). Empty without records.
 */
export function stepPath(progression: readonly BestRecord[], width: number, height: number): string {
  if (progression.length === 0) return '';
  const dates = progression.map((record) => Date.parse(`${record.date.slice(0, 19)}Z`));
  const times = progression.map((record) => record.elapsedTime);
  const [first, last] = [Math.min(...dates), Math.max(...dates)];
  const [fast, slow] = [Math.min(...times), Math.max(...times)];
  const x = (date: number) => (last === first ? 0 : ((date - first) / (last - first)) * width);
  // SVG's y grows downwards: the slowest at the bottom, the fastest at the top; a single time sits in the middle.
  const y = (time: number) => (slow === fast ? height / 2 : ((time - fast) / (slow - fast)) * height);
  const round = (n: number) => Math.round(n * 10) / 10;
  let path = `M${round(x(dates[0]!))} ${round(y(times[0]!))}`;
  for (let i = 1; i < progression.length; i++) {
    path += ` H${round(x(dates[i]!))} V${round(y(times[i]!))}`;
  }
  return `${path} H${width}`;
}
