/**
 * A quantile sketch of durations with a bounded relative error (the log-bucket scheme of DDSketch, Masson et al.,
 * VLDB 2019): a duration falls in bucket ⌈log_γ(ms / MIN_MS)⌉ with γ = (1 + α) / (1 − α), and a bucket stands for
 * the value 2γ^i / (γ + 1) × MIN_MS, within α of every duration in it. Sketches add up bucket by bucket, so a week of
 * runs costs a few dozen counts per time slot instead of one entry per run, and its p95 is still within 5 %.
 * Pure; counts are kept sparse as `[bucket, count]` pairs sorted by bucket.
 */
import { nearestRank } from './percentile';

/** The relative accuracy: a quantile read from a sketch is within 5 % of the true one (above `SKETCH_MIN_MS`). */
export const SKETCH_ALPHA = 0.05;
const GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LOG_GAMMA = Math.log(GAMMA);

/** Durations at or under 10 µs share bucket 0, read as 0 ms. */
export const SKETCH_MIN_MS = 0.01;

/** The last bucket: about 20 minutes; longer runs count there (agents are stopped long before). */
export const SKETCH_MAX_BUCKET = 200;

/** A sparse sketch: `[bucket, count]` pairs, buckets ascending and distinct, counts ≥ 1. */
export type Sketch = readonly (readonly [number, number])[];

/** The bucket of a duration in ms (negative or non-finite durations count as 0). */
export function sketchBucket(durationMs: number): number {
  if (!Number.isFinite(durationMs) || durationMs <= SKETCH_MIN_MS) return 0;
  return Math.min(SKETCH_MAX_BUCKET, Math.max(1, Math.ceil(Math.log(durationMs / SKETCH_MIN_MS) / LOG_GAMMA)));
}

/** The duration in ms a bucket stands for. */
export function sketchValue(bucket: number): number {
  return bucket <= 0 ? 0 : (SKETCH_MIN_MS * 2 * GAMMA ** bucket) / (GAMMA + 1);
}

/** Counts by bucket, for building and merging sketches. */
export class SketchCounts {
  readonly #counts = new Map<number, number>();
  #total = 0;

  /** Adds `count` durations in `bucket`. */
  addBucket(bucket: number, count = 1): void {
    this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + count);
    this.#total += count;
  }

  /** Adds one duration in ms. */
  add(durationMs: number): void {
    this.addBucket(sketchBucket(durationMs));
  }

  /** Adds every count of `sketch`. */
  merge(sketch: Sketch): void {
    for (const [bucket, count] of sketch) this.addBucket(bucket, count);
  }

  /** How many durations were added. */
  get total(): number {
    return this.#total;
  }

  /** The sparse form, buckets ascending. */
  toSketch(): [number, number][] {
    return [...this.#counts].sort((a, b) => a[0] - b[0]);
  }

  /**
   * The `p`-th percentile (0 < p ≤ 100) by nearest rank, as `percentile()` computes it on the raw durations, read
   * from the buckets: within `SKETCH_ALPHA` of it. `NaN` when empty.
   */
  percentile(p: number): number {
    const rank = nearestRank(p, this.#total);
    if (this.#total === 0) return NaN;
    let seen = 0;
    for (const [bucket, count] of this.toSketch()) {
      seen += count;
      if (seen >= rank) return sketchValue(bucket);
    }
    return NaN; // not reached: the counts add up to the total
  }
}
