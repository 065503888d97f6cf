import type { BreakerSnapshot } from '../resilience/breaker';
import { DurationHistogramRecorder } from './durationHistogram';
import { mean, percentile } from './percentile';
import type { AgentMetrics } from './snapshot';
import { TrendSlots } from './trendSlots';
import { RingBuffer, SlidingCounter } from './window';

/** What the collector keeps per agent, and how the snapshot's figures are derived from it. */

/** One run, as kept in the recent window and saved. */
export interface Sample {
  readonly at: number;
  readonly durationMs: number;
  readonly success: boolean;
}

/** An agent's running totals and recent runs. */
export interface AgentRecord {
  executions: number;
  successes: number;
  failures: number;
  totalDurationMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  lastRunAt: number | null;
  lastSeenAt: number;
  memoryBytes: number | null;
  peakMemoryBytes: number | null;
  cacheHits: number;
  cacheMisses: number;
  readonly recent: RingBuffer<Sample>;
  /** Every run and cache lookup of the trend span, in time slots (trends.ts judges them). */
  readonly trend: TrendSlots;
  readonly throughput: SlidingCounter;
  /** Durations of the runs recorded by this collector (not saved: a restored collector starts a new one). */
  readonly histogram: DurationHistogramRecorder;
}

/** `part / whole`, or 0 when there is no whole. */
export const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

const orZero = (value: number): number => (Number.isFinite(value) ? value : 0);

/** A record with nothing in it yet; `recentCapacity` runs are kept, the throughput is counted over one minute. */
export function newAgentRecord(now: number, recentCapacity: number): AgentRecord {
  return {
    executions: 0, successes: 0, failures: 0, totalDurationMs: 0, minDurationMs: Infinity, maxDurationMs: 0,
    lastRunAt: null, lastSeenAt: now, memoryBytes: null, peakMemoryBytes: null, cacheHits: 0, cacheMisses: 0,
    recent: new RingBuffer<Sample>(recentCapacity), trend: new TrendSlots(), throughput: new SlidingCounter(60_000, 1_000),
    histogram: new DurationHistogramRecorder(),
  };
}

/** The figures of DESIGN.md derived from an agent's record at `now`. */
export function agentMetrics(agent: string, a: AgentRecord, now: number, breaker: BreakerSnapshot | undefined): AgentMetrics {
  const recent = a.recent.toArray();
  const durations = recent.map((s) => s.durationMs);
  const recentFailures = recent.reduce((n, s) => n + (s.success ? 0 : 1), 0);
  return {
    agent,
    executions: a.executions,
    successes: a.successes,
    failures: a.failures,
    errorRate: ratio(a.failures, a.executions),
    totalDurationMs: a.totalDurationMs,
    avgDurationMs: ratio(a.totalDurationMs, a.executions),
    minDurationMs: a.executions > 0 ? a.minDurationMs : 0,
    maxDurationMs: a.maxDurationMs,
    recentErrorRate: ratio(recentFailures, recent.length),
    recentAvgDurationMs: orZero(mean(durations)),
    p50DurationMs: orZero(percentile(durations, 50)),
    p95DurationMs: orZero(percentile(durations, 95)),
    recentDurationsMs: durations,
    throughputPerMinute: a.throughput.count(now),
    lastRunAt: a.lastRunAt,
    memoryBytes: a.memoryBytes,
    peakMemoryBytes: a.peakMemoryBytes,
    cacheHits: a.cacheHits,
    cacheMisses: a.cacheMisses,
    cacheHitRate: ratio(a.cacheHits, a.cacheHits + a.cacheMisses),
    ...(breaker ? { breaker } : {}),
  };
}
