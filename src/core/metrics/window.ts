/** Bounded views of an agent's recent runs: the last N samples, and a count over the last minute. */

/** Runs kept per agent for the percentiles, the recent rates and the dashboard's figures ("last 100 runs"). */
export const DEFAULT_RECENT_CAPACITY = 100;

/** Keeps the last `capacity` items pushed; older ones fall out. */
export class RingBuffer<T> {
  readonly #items: T[] = [];
  #start = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer: ${capacity}`);
  }

  /** Items held (at most `capacity`). */
  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    if (this.#items.length < this.capacity) {
      this.#items.push(item);
    } else {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % this.capacity;
    }
  }

  /** The items, oldest first. */
  toArray(): T[] {
    return [...this.#items.slice(this.#start), ...this.#items.slice(0, this.#start)];
  }

  clear(): void {
    this.#items.length = 0;
    this.#start = 0;
  }
}

/**
 * Counts events over a sliding window, in buckets of `bucketMs`: memory stays at `windowMs / bucketMs` numbers however
 * many events come (an agent may run thousands of times a minute). The count covers the current bucket and the
 * ones before it that fit in the window, so an event is counted for at least `windowMs - bucketMs` and never
 * for `windowMs` or more.
 */
export class SlidingCounter {
  readonly #counts: number[];
  /** Which bucket (time / bucketMs) each slot holds; -Infinity = none yet. */
  readonly #buckets: number[];

  constructor(readonly windowMs = 60_000, readonly bucketMs = 1_000) {
    const slots = Math.max(1, Math.round(windowMs / bucketMs));
    this.#counts = new Array<number>(slots).fill(0);
    this.#buckets = new Array<number>(slots).fill(-Infinity);
  }

  /** Counts one event at `at` (epoch ms). An event older than the slot's current bucket is ignored. */
  add(at: number): void {
    const bucket = Math.floor(at / this.bucketMs);
    const slot = this.#slotOf(bucket);
    if (this.#buckets[slot] > bucket) return;
    if (this.#buckets[slot] < bucket) {
      this.#buckets[slot] = bucket;
      this.#counts[slot] = 0;
    }
    this.#counts[slot]++;
  }

  /** Events within the window ending at `now`. */
  count(now: number): number {
    const current = Math.floor(now / this.bucketMs);
    const oldest = current - this.#counts.length + 1;
    let total = 0;
    for (let slot = 0; slot < this.#counts.length; slot++) {
      const bucket = this.#buckets[slot];
      if (bucket >= oldest && bucket <= current) total += this.#counts[slot];
    }
    return total;
  }

  clear(): void {
    this.#counts.fill(0);
    this.#buckets.fill(-Infinity);
  }

  #slotOf(bucket: number): number {
    const n = this.#counts.length;
    return ((bucket % n) + n) % n;
  }
}
