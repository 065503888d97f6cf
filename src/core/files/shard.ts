/**
 * `--shard K/N`: which part of a tree one machine audits. Every machine walks the same tree, so each computes the
 * whole assignment from the same list and keeps its part: the assignment is a function of the paths and sizes
 * only (never of the walk's order, the machine, the time or chance), and every path lands in exactly one shard.
 */

/** One shard of N, 1-based: `--shard 2/4` is `{ index: 2, count: 4 }`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** A path to place (a file, or a directory the walk could not read), with its size in bytes (0 when unknown). */
export interface ShardItem {
  /** POSIX path relative to the audit root. */
  readonly path: string;
  readonly size: number;
}

/** The largest N of `--shard K/N`: more machines than that is a mistake, not a plan. */
export const MAX_SHARDS = 1000;

/** `K/N` as typed, or why it is not one (`1 ≤ K ≤ N ≤ 1000`, whole numbers written with digits only). */
export function parseShard(value: string): ShardSpec | string {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(value);
  if (!match) return `invalid --shard '${value}' (expected K/N, such as 1/4)`;
  const [index, count] = [Number(match[1]), Number(match[2])];
  if (count < 1 || count > MAX_SHARDS) return `invalid --shard '${value}' (N must be 1 to ${MAX_SHARDS})`;
  if (index < 1 || index > count) return `invalid --shard '${value}' (K must be 1 to N)`;
  return { index, count };
}

/** Biggest first, then by path (code units): a total order, so any input order gives the same sequence. */
function compareItems(a: ShardItem, b: ShardItem): number {
  if (a.size !== b.size) return b.size - a.size;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Greedy LPT: the items, biggest first, each go to the shard holding the fewest bytes so far (the lowest index on a
 * tie). Each item joins a shard at or under the mean at that moment, so no shard ends more than the biggest item
 * above the mean. Returns the 1-based shard of each path. Pure; O(n log n + n log N).
 */
export function assignShards(items: readonly ShardItem[], count: number): Map<string, number> {
  const heap = new ShardHeap(count);
  const assignment = new Map<string, number>();
  for (const item of [...items].sort(compareItems)) {
    if (assignment.has(item.path)) continue;
    assignment.set(item.path, heap.place(item.size));
  }
  return assignment;
}

/** The items of shard `spec.index`, in their input order. */
export function itemsOfShard<T extends ShardItem>(items: readonly T[], spec: ShardSpec): T[] {
  const assignment = assignShards(items, spec.count);
  return items.filter((item) => assignment.get(item.path) === spec.index);
}

/** A min-heap of shards by (bytes, index). */
class ShardHeap {
  private readonly loads: { bytes: number; index: number }[];

  constructor(count: number) {
    // Equal loads in index order already satisfy the heap property.
    this.loads = Array.from({ length: count }, (_, i) => ({ bytes: 0, index: i + 1 }));
  }

  /** Adds `size` bytes to the lightest shard; returns its index. */
  place(size: number): number {
    const top = this.loads[0];
    top.bytes += size;
    this.siftDown(0);
    return top.index;
  }

  private less(i: number, j: number): boolean {
    const [a, b] = [this.loads[i], this.loads[j]];
    return a.bytes !== b.bytes ? a.bytes < b.bytes : a.index < b.index;
  }

  private siftDown(start: number): void {
    let i = start;
    for (;;) {
      const [left, right] = [2 * i + 1, 2 * i + 2];
      let least = i;
      if (left < this.loads.length && this.less(left, least)) least = left;
      if (right < this.loads.length && this.less(right, least)) least = right;
      if (least === i) return;
      [this.loads[i], this.loads[least]] = [this.loads[least], this.loads[i]];
      i = least;
    }
  }
}
