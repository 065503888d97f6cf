/**
 * What `merge` checks before combining shard reports, whatever their format: each is a shard of the same run (same
 * tool version, same root, same N), no shard is there twice, none is missing.
 */
import type { ShardSummary } from '../core/model';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';

/** A report that cannot be merged; the message names the file. */
export class MergeError extends Error {}

/** What every shard report says about itself. */
export interface ShardHeader {
  /** The report's file, as the user named it. */
  readonly name: string;
  readonly toolName: unknown;
  readonly version: unknown;
  /** The audit root (JSON `root`, SARIF `%SRCROOT%`). */
  readonly root: unknown;
  readonly shard: ShardSummary | undefined;
}

/** Throws a {@link MergeError} unless `headers` are the N shards of one run of this version, each once. */
export function checkShards(headers: readonly ShardHeader[]): void {
  for (const h of headers) checkHeader(h);
  const [first] = headers;
  const count = first.shard!.count;
  const byIndex = new Map<number, string>();
  for (const h of headers) {
    const { index, count: n } = h.shard!;
    if (h.root !== first.root) throw new MergeError(`${h.name} audited ${String(h.root)}, ${first.name} audited ${String(first.root)}`);
    if (n !== count) throw new MergeError(`${h.name} is shard ${index}/${n}, ${first.name} is one of ${count}`);
    const other = byIndex.get(index);
    if (other !== undefined) throw new MergeError(`${other} and ${h.name} both claim shard ${index}/${count}`);
    byIndex.set(index, h.name);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new MergeError(`shard ${missing.map((i) => `${i}/${count}`).join(', ')} missing: ${headers.length} of ${count} reports given`);
  }
}

/** Throws a {@link MergeError} unless `h` is a shard report of this version. */
export function checkHeader(h: ShardHeader): void {
  if (h.toolName !== TOOL_NAME) throw new MergeError(`${h.name} is not a ${TOOL_NAME} report`);
  // The merge runs this version's reporters: another version's report could not give the same bytes.
  if (h.version !== TOOL_VERSION) {
    throw new MergeError(`${h.name} was written by ${TOOL_NAME} ${String(h.version)}; this is ${TOOL_VERSION}`);
  }
  if (typeof h.root !== 'string') throw new MergeError(`${h.name} does not say its audit root`);
  const s = h.shard;
  const whole = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!s || !whole(s.index) || !whole(s.count) || !whole(s.files) || s.index < 1 || s.index > s.count) {
    throw new MergeError(`${h.name} is not a shard report (audit --shard K/N writes one)`);
  }
}

/** Sorts by `path` in code-unit order, as the coordinator sorts a run's files (stable for equal paths). */
export function byPath(a: { readonly path: string }, b: { readonly path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
