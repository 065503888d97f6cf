/**
 * Array helpers for arrays of any length. `target.push(...items)` and `Math.max(...items)` pass every element as
 * an argument, and past some 100,000 elements that overflows the call stack (issue 18: one file with 130,000
 * findings crashed the whole audit). These loop instead.
 */

/** Appends every element of `items` to `target`; returns `target`. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, or `fallback` when there is none. */
export function maxOf(values: Iterable<number>, fallback = -Infinity): number {
  let max = fallback;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** The smallest of `values`, or `fallback` when there is none. */
export function minOf(values: Iterable<number>, fallback = Infinity): number {
  let min = fallback;
  for (const value of values) if (value < min) min = value;
  return min;
}
