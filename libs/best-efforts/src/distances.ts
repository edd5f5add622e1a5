/** The distances Runnerly keeps a best effort for, in metres, with Strava's names for them. */
export const STANDARD_DISTANCES = [
  { name: '400m', distance: 400 },
  { name: '1K', distance: 1000 },
  { name: '1 mile', distance: 1609.344 },
  { name: '5K', distance: 5000 },
  { name: '10K', distance: 10000 },
  { name: '15K', distance: 15000 },
  { name: '10 mile', distance: 16093.44 },
  { name: 'Half-Marathon', distance: 21097.5 },
  { name: '30K', distance: 30000 },
  { name: 'Marathon', distance: 42195 },
] as const satisfies ReadonlyArray<{ name: string; distance: number }>;

export type StandardDistance = (typeof STANDARD_DISTANCES)[number];

/** The standard distance of that length (metres, as stored), if it is one. */
export function standardDistance(distance: number): StandardDistance | undefined {
  return STANDARD_DISTANCES.find((standard) => Math.abs(standard.distance - distance) < 0.01);
}
