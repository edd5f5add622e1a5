/** One measured figure, always next to a baseline measured in the same run. */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  baseline?: { name: string; value: number };
  /** value / baseline.value */
  ratio?: number;
  /** The target it is held to, in words (e.g. "≥ 1.5× oidc-provider"). */
  target?: string;
  notes?: string;
}

export function compared(
  name: string,
  unit: string,
  value: number,
  baseline: { name: string; value: number },
  extra: Pick<BenchResult, 'target' | 'notes'> = {},
): BenchResult {
  return { name, unit, value, baseline, ratio: baseline.value === 0 ? undefined : value / baseline.value, ...extra };
}

/** The middle of `values` (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
