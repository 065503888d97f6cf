/**
 * A Prometheus-style histogram of run durations: counts per bucket (upper bounds in seconds), their sum and count.
 * Prometheus computes quantiles from it over any window (`histogram_quantile(0.95, rate(…_bucket[1h]))`), which a
 * precomputed p95 gauge cannot give: quantiles do not add up across runs, buckets do.
 */

/**
 * Upper bounds of the buckets, in seconds, +Inf implied. From 5 ms (a cached lint of a small file) to 60 s; 30 s is
 * a bound so that the "agent slower than 30 s" alert reads an exact bucket.
 */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** A histogram's figures, as the exposition writes them. */
export interface DurationHistogram {
  /** Cumulative counts, one per bound of `DURATION_BUCKETS_SECONDS` (observations ≤ the bound). */
  readonly cumulativeCounts: readonly number[];
  /** Every observation, the +Inf bucket. */
  readonly count: number;
  readonly sumSeconds: number;
}

/** The accumulator a collector keeps per agent. */
export class DurationHistogramRecorder {
  readonly #perBucket = new Array<number>(DURATION_BUCKETS_SECONDS.length).fill(0);
  #count = 0;
  #sumSeconds = 0;

  /** Adds one run of `durationMs` (negative or non-finite durations count as 0). */
  observe(durationMs: number): void {
    const seconds = Number.isFinite(durationMs) ? Math.max(0, durationMs) / 1000 : 0;
    const bucket = DURATION_BUCKETS_SECONDS.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) this.#perBucket[bucket]++;
    this.#count++;
    this.#sumSeconds += seconds;
  }

  /** The figures now. */
  snapshot(): DurationHistogram {
    let running = 0;
    const cumulativeCounts = this.#perBucket.map((n) => (running += n));
    return { cumulativeCounts, count: this.#count, sumSeconds: this.#sumSeconds };
  }
}

/** A histogram of the given durations (used when only a snapshot's recent window is at hand). */
export function histogramOf(durationsMs: readonly number[]): DurationHistogram {
  const recorder = new DurationHistogramRecorder();
  for (const d of durationsMs) recorder.observe(d);
  return recorder.snapshot();
}
