import { RUN_SPORT_TYPES, type SportType } from '@runnerly/data-client';

export interface BestDistance {
  key: string;
  label: string;
  /** Metres. */
  distance: number;
}

export const BEST_DISTANCES: BestDistance[] = [
  { key: '5k', label: '5K', distance: 5000 },
  { key: '10k', label: '10K', distance: 10_000 },
  { key: 'half', label: 'Half marathon', distance: 21_097.5 },
  { key: 'marathon', label: 'Marathon', distance: 42_195 },
];

export interface RunSummary {
  stravaId: number;
  name: string;
  sportType: SportType | string;
  startDateLocal: string;
  distance: number;
  movingTime: number;
}

export interface PersonalBest extends BestDistance {
  /** Seconds per metre of the run, and the time that average pace gives over `distance`. */
  pace?: number;
  time?: number;
  run?: Pick<RunSummary, 'stravaId' | 'name' | 'startDateLocal' | 'distance' | 'movingTime'>;
}

/**
 * The fastest run for each distance, by average pace, among runs at least that long (a strong
 * 12 km run counts for the 5K and the 10K). Ties go to the earlier run: it got there first.
 */
export function personalBests(runs: Iterable<RunSummary>, distances = BEST_DISTANCES): PersonalBest[] {
  const best = new Map<string, { pace: number; run: RunSummary }>();
  for (const run of runs) {
    if (!RUN_SPORT_TYPES.includes(run.sportType as SportType) || !(run.distance > 0) || !(run.movingTime > 0)) continue;
    const pace = run.movingTime / run.distance;
    for (const { key, distance } of distances) {
      if (run.distance < distance) continue;
      const current = best.get(key);
      if (
        !current ||
        pace < current.pace ||
        (pace === current.pace && run.startDateLocal < current.run.startDateLocal)
      ) {
        best.set(key, { pace, run });
      }
    }
  }
  return distances.map((target) => {
    const found = best.get(target.key);
    if (!found) return { ...target };
    const { stravaId, name, startDateLocal, distance, movingTime } = found.run;
    return {
      ...target,
      pace: found.pace,
      time: Math.round(found.pace * target.distance),
      run: { stravaId, name, startDateLocal, distance, movingTime },
    };
  });
}
