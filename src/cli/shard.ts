import { lstat } from 'node:fs/promises';
import type { AuditTarget } from '../core/run/coordinator';
import type { ShardSummary, SkippedFile } from '../core/model';
import { itemsOfShard, type ShardItem, type ShardSpec } from '../core/files/shard';

/** What one shard audits: its files, and its part of the folders the walk could not read. */
export interface ShardTargets {
  readonly targets: AuditTarget[];
  readonly skipped?: SkippedFile[];
  /** Absent for a whole run. */
  readonly shard?: ShardSummary;
}

/**
 * Keeps the files and unreadable folders of shard `spec` (src/core/files/shard.ts). Sizes come from `lstat`, the
 * same on every checkout of the tree; a file that cannot be stat'ed weighs 0 (it still lands in one shard, where
 * the loader reports it skipped), as does an unreadable folder. Without `spec` (a whole run), everything.
 */
export async function shardTargets(
  targets: AuditTarget[], skipped: SkippedFile[] | undefined, spec: ShardSpec | undefined,
): Promise<ShardTargets> {
  if (!spec) return { targets, ...(skipped ? { skipped } : {}) };
  const sizes = await Promise.all(targets.map((t) => lstat(t.absPath).then((s) => s.size, () => 0)));
  const items: (ShardItem & { target?: AuditTarget; skip?: SkippedFile })[] = [
    ...targets.map((target, i) => ({ path: target.path, size: sizes[i], target })),
    ...(skipped ?? []).map((skip) => ({ path: skip.path, size: 0, skip })),
  ];
  const mine = itemsOfShard(items, spec);
  return {
    targets: mine.flatMap((item) => (item.target ? [item.target] : [])),
    ...(skipped ? { skipped: mine.flatMap((item) => (item.skip ? [item.skip] : [])) } : {}),
    shard: { index: spec.index, count: spec.count, files: mine.length },
  };
}
