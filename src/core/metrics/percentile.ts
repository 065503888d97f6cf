/**
 * The `p`-th percentile (0 < p ≤ 100) of `values` by the nearest-rank method: the smallest value such that at
 * least p % of the values are less than or equal to it, i.e. the `⌈p/100 × n⌉`-th value in ascending order. It is
 * always one of the measured values (no interpolation). `NaN` for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  const rank = nearestRank(p, values.length);
  if (values.length === 0) return NaN;
  return [...values].sort((a, b) => a - b)[rank - 1];
}

/** The 1-based rank of the `p`-th percentile (0 < p ≤ 100) among `n` sorted values: `⌈p/100 × n⌉`. */
export function nearestRank(p: number, n: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100]: ${p}`);
  // p × n / 100 rather than p / 100 × n: 7 / 100 × 100 is 7.000000000000001 in floating point.
  return Math.ceil((p * n) / 100);
}

/** The arithmetic mean; `NaN` for no values. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
