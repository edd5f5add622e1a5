/**
 * The Eddington number: the largest n such that the runner has n days of at least n units each.
 * `dayDistances` are the metres run on each day (one entry per day); `unitMeters` is 1000 or 1609.344.
 */
export function eddington(dayDistances: number[], unitMeters: number): { number: number; nextNeeded: number } {
  const units = dayDistances.map((m) => m / unitMeters).sort((a, b) => b - a);
  let n = 0;
  while (n < units.length && units[n]! >= n + 1) n += 1;
  const next = n + 1;
  const already = units.filter((u) => u >= next).length;
  return { number: n, nextNeeded: next - already };
}

/** Sums runs into local days: `YYYY-MM-DD…` start → metres. */
export function distanceByDay(runs: Array<{ startDateLocal: string; distance: number }>): Map<string, number> {
  const days = new Map<string, number>();
  for (const run of runs) {
    const day = run.startDateLocal.slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + run.distance);
  }
  return days;
}
