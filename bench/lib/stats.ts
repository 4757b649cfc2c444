/** Small order statistics; every function expects a non-empty array. */

export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Linear interpolation between closest ranks (p in 0..1). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const rank = (s.length - 1) * p;
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const a = s[lower]!;
  const b = s[upper]!;
  return a + (b - a) * (rank - lower);
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function summarize(values: readonly number[]): Summary {
  const s = sorted(values);
  return {
    median: median(s),
    min: s[0] ?? Number.NaN,
    max: s.at(-1) ?? Number.NaN,
    runs: [...values],
  };
}
