import type { SharedCacheSummary } from '../../model';
import type { SharedTier, SharedTierStats } from './sharedTier';

/** The summary of an audit without a shared tier. */
export const NO_SHARED: SharedCacheSummary = {
  enabled: false, hits: 0, misses: 0, errors: 0, invalid: 0, skipped: 0, latencyMs: { p50: 0, p95: 0 }, breaker: 'closed',
};

/**
 * What the tier did during one audit: its counters now less those at the start (`before`), so an editor session
 * that audits many times reports each audit's own; latency and breaker are the tier's current ones.
 */
export function sharedSummary(tier: SharedTier | undefined, before: SharedTierStats | undefined): SharedCacheSummary {
  if (!tier) return NO_SHARED;
  const now = tier.stats();
  const since = (field: 'hits' | 'misses' | 'errors' | 'invalid' | 'skipped') => now[field] - (before?.[field] ?? 0);
  return {
    enabled: true,
    hits: since('hits'),
    misses: since('misses'),
    errors: since('errors'),
    invalid: since('invalid'),
    skipped: since('skipped'),
    latencyMs: { ...now.latencyMs },
    breaker: now.breaker,
  };
}

/** Two audits' summaries as one (an audit, then the re-audit of the files `--fix` changed). */
export function addSharedSummaries(
  a: SharedCacheSummary | undefined, b: SharedCacheSummary | undefined,
): SharedCacheSummary | undefined {
  if (!a || !b) return b ?? a;
  return {
    enabled: a.enabled || b.enabled,
    hits: a.hits + b.hits,
    misses: a.misses + b.misses,
    errors: a.errors + b.errors,
    invalid: a.invalid + b.invalid,
    skipped: a.skipped + b.skipped,
    latencyMs: b.enabled ? b.latencyMs : a.latencyMs,
    breaker: b.breaker,
  };
}
