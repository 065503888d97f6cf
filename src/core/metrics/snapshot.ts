import type { SharedTierStats } from '../cache/shared/sharedTier';
import type { BreakerSnapshot } from '../resilience/breaker';
import type { Alert } from './alerts';
import type { Trend } from './trends';

/**
 * The metrics as plain data: what the dashboard shows, what "Export metrics" writes as JSON and what the
 * Prometheus exposition is made from. Times are epoch ms, durations ms, memory bytes, rates fractions 0–1.
 *
 * Two horizons: counters, totals, min/max and `avgDurationMs` cover every run since the collector was reset
 * (they survive a reload); the `recent*` fields and the percentiles cover the last runs kept in the window (100),
 * so they follow the agent's present behaviour, and alerts are raised on them.
 * A rate or duration with nothing measured is 0 (look at the counts to tell "none" from "zero").
 */

/** One agent's figures. */
export interface AgentMetrics {
  readonly agent: string;
  /** Runs of the agent (results served from the cache are not runs). */
  readonly executions: number;
  readonly successes: number;
  /** Failed runs, timeouts included. */
  readonly failures: number;
  /** failures / executions, over every run. */
  readonly errorRate: number;
  readonly totalDurationMs: number;
  readonly avgDurationMs: number;
  readonly minDurationMs: number;
  readonly maxDurationMs: number;
  /** Failures among the runs in the window, as a fraction of them. */
  readonly recentErrorRate: number;
  /** Mean duration of the runs in the window. */
  readonly recentAvgDurationMs: number;
  /** Nearest-rank median of the window. */
  readonly p50DurationMs: number;
  /** Nearest-rank 95th percentile of the window. */
  readonly p95DurationMs: number;
  /** Durations of the runs in the window, oldest first (at most 100). */
  readonly recentDurationsMs: readonly number[];
  /** Runs recorded in the last minute by the clock (1 s resolution: runs 59–60 s old may have left). */
  readonly throughputPerMinute: number;
  /** When the agent last ran, or null. */
  readonly lastRunAt: number | null;
  /** Memory sample taken with the agent's last run in this session, or null. */
  readonly memoryBytes: number | null;
  /** Largest such sample in this session, or null. */
  readonly peakMemoryBytes: number | null;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  /** hits / (hits + misses). */
  readonly cacheHitRate: number;
  /** The agent's circuit breaker, when the snapshot was given the breakers. */
  readonly breaker?: BreakerSnapshot;
}

/** The whole team's figures. */
export interface GlobalMetrics {
  readonly executions: number;
  readonly successes: number;
  readonly failures: number;
  /** successes / executions. */
  readonly successRate: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly cacheHitRate: number;
  /** The engine's latest memory sample in this session, or null. */
  readonly memoryBytes: number | null;
  readonly peakMemoryBytes: number | null;
  readonly activeAlerts: number;
}

/** Everything at one instant. */
export interface MetricsSnapshot {
  /** Epoch ms of the snapshot, by the collector's clock. */
  readonly takenAt: number;
  readonly global: GlobalMetrics;
  /** By agent id, in id order. */
  readonly agents: Readonly<Record<string, AgentMetrics>>;
  /** Alerts active when the snapshot was taken (as given to `snapshot()`). */
  readonly alerts: readonly Alert[];
  /** The shared (Redis) cache tier since the engine started, when it has one (added by the engine, not the collector). */
  readonly sharedCache?: SharedTierStats;
  /** Trends active at the snapshot, judged on the persisted 7-day runs (added by the editor's engine worker). */
  readonly trends?: readonly Trend[];
}
