/** What the result cache did in a run: the counters the coordinator keeps, and the summary a report shows. */
import type { ResultCache } from '../cache/resultCache';
import { addSharedSummaries, sharedSummary } from '../cache/shared/sharedSummary';
import type { SharedTierStats } from '../cache/shared/sharedTier';
import type { AuditCacheSummary, SharedCacheSummary } from '../model';

/** Cache counters of one run. */
export interface CacheCounters {
  hits: number;
  misses: number;
  memory: number;
  disk: number;
  /** Results served by the shared tier (L3). */
  shared: number;
  computed: number;
  byAgent: Record<string, { hits: number; misses: number }>;
}

/** The cache summary of a run without cache (or of no run). */
export const NO_CACHE: AuditCacheSummary = {
  hits: 0, misses: 0, lookups: { memory: 0, disk: 0, misses: 0 }, hitRate: 0, byAgent: {}, entries: 0, bytes: 0, enabled: false,
};

/** Two runs' cache summaries as one (an audit, then the re-audit of the files `--fix` changed). */
export function addCacheSummaries(a: AuditCacheSummary, b: AuditCacheSummary): AuditCacheSummary {
  const memory = a.lookups.memory + b.lookups.memory;
  const disk = a.lookups.disk + b.lookups.disk;
  // Results served by L3 are counted in the shared summary, and are hits.
  const hits = memory + disk + (a.shared?.hits ?? 0) + (b.shared?.hits ?? 0);
  const misses = a.lookups.misses + b.lookups.misses;
  const byAgent: Record<string, { hits: number; misses: number }> = {};
  for (const [id, s] of [...Object.entries(a.byAgent), ...Object.entries(b.byAgent)]) {
    const sum = (byAgent[id] ??= { hits: 0, misses: 0 });
    sum.hits += s.hits;
    sum.misses += s.misses;
  }
  return {
    hits: a.hits + b.hits,
    misses: a.misses + b.misses,
    lookups: { memory, disk, misses },
    hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
    byAgent,
    entries: b.entries,
    bytes: b.bytes,
    enabled: a.enabled || b.enabled,
    ...withShared(addSharedSummaries(a.shared, b.shared)),
  };
}

/** What the cache did in one run, from its counters and the shared tier's statistics before the run. */
export function cacheSummary(
  cache: ResultCache | undefined, counters: CacheCounters, sharedBefore: SharedTierStats | undefined,
): AuditCacheSummary {
  const hits = counters.memory + counters.disk + counters.shared;
  const lookups = hits + counters.computed;
  // Writing the store back is the caller's choice (at the end of a CLI run; debounced in the editor).
  const stats = cache?.stats();
  return {
    hits: counters.hits,
    misses: counters.misses,
    lookups: { memory: counters.memory, disk: counters.disk, misses: counters.computed },
    hitRate: lookups === 0 ? 0 : hits / lookups,
    byAgent: counters.byAgent,
    entries: stats?.entries ?? 0,
    bytes: stats?.bytes ?? 0,
    enabled: cache !== undefined,
    ...withShared(cache && sharedSummary(cache.shared, sharedBefore)),
  };
}

function withShared(shared: SharedCacheSummary | undefined): { shared?: SharedCacheSummary } {
  return shared ? { shared } : {};
}
