import { systemClock, type Clock } from '../clock';
import type { BreakerSnapshot } from '../resilience/breaker';
import type { Alert } from './alerts';
import type { DurationHistogram } from './durationHistogram';
import type { TrendHistory } from './trends';
import { agentMetrics, newAgentRecord, ratio, type AgentRecord } from './agentRecord';
import { METRICS_FORMAT_VERSION, parsePersistedMetrics, type PersistedAgent, type PersistedMetrics } from './persistence';
import type { AgentMetrics, GlobalMetrics, MetricsSnapshot } from './snapshot';
import { foldIntoSlots, TrendSlots } from './trendSlots';
import { DEFAULT_RECENT_CAPACITY } from './window';

// Declared beside the window (no dependency) so the dashboard's bundle can name it without the collector's.
export { DEFAULT_RECENT_CAPACITY };

/** How long saved metrics stay meaningful when no retention is configured: a week. */
export const DEFAULT_METRICS_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** One agent's outcome on one file. */
export interface ExecutionRecord {
  readonly agent: string;
  /** How long the run took (ignored for a cache hit). */
  readonly durationMs: number;
  /** False for an error or a timeout. */
  readonly success: boolean;
  /** A memory sample taken with the run, e.g. `process.memoryUsage().heapUsed`. */
  readonly memoryBytes?: number;
  /**
   * `true`: served from the cache, the agent did not run; counted as a cache hit and not as an execution.
   * `false`: looked up in the cache, missed, and ran; counted as a miss and an execution.
   * Absent: the cache was not consulted (disabled for the agent); counted as an execution only.
   */
  readonly fromCache?: boolean;
}

/** How a collector is built. */
export interface CollectorOptions {
  readonly clock?: Clock;
  /** Runs kept per agent (default 100). */
  readonly recentCapacity?: number;
}

/** What a snapshot adds from outside the collector. */
export interface SnapshotContext {
  /** The alert monitor's active alerts. */
  readonly alerts?: readonly Alert[];
  /** The breakers' states, by agent id; agents that never ran still appear. */
  readonly breakers?: Readonly<Record<string, BreakerSnapshot>>;
}

/** How saved metrics are loaded. */
export interface LoadOptions extends CollectorOptions {
  /** Older samples, and agents idle for longer, are dropped (see persistence.ts). */
  readonly retentionMs: number;
}

/** A loaded collector, and why the saved metrics were not used when they were not. */
export interface LoadedMetrics {
  readonly collector: MetricsCollector;
  readonly problem?: string;
}

const peak = (current: number | null, sample: number): number => Math.max(current ?? sample, sample);

/**
 * Collects the team's metrics for the session (seeds' `AdvancedMetricsCollector`): per agent and global, kept in
 * memory, saved and restored with `toJSON` / `fromJSON`. Time comes from the injected clock.
 */
export class MetricsCollector {
  readonly #clock: Clock;
  readonly #recentCapacity: number;
  readonly #agents = new Map<string, AgentRecord>();
  #memoryBytes: number | null = null;
  #peakMemoryBytes: number | null = null;

  constructor(options: CollectorOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#recentCapacity = options.recentCapacity ?? DEFAULT_RECENT_CAPACITY;
  }

  /** Records one agent's outcome on one file, at the clock's time (the run's end). */
  record(execution: ExecutionRecord): void {
    const now = this.#clock.now();
    const agent = this.#agent(execution.agent);
    agent.lastSeenAt = now;
    if (execution.memoryBytes !== undefined) this.#sampleMemory(execution.memoryBytes, agent);
    if (execution.fromCache === true) {
      agent.cacheHits++;
      agent.trend.addLookup(now, true);
      return;
    }
    if (execution.fromCache === false) {
      agent.cacheMisses++;
      agent.trend.addLookup(now, false);
    }
    // A clock stepping back can give a negative duration; NaN would poison every average.
    const durationMs = Number.isFinite(execution.durationMs) ? Math.max(0, execution.durationMs) : 0;
    agent.executions++;
    if (execution.success) agent.successes++;
    else agent.failures++;
    agent.totalDurationMs += durationMs;
    agent.minDurationMs = Math.min(agent.minDurationMs, durationMs);
    agent.maxDurationMs = Math.max(agent.maxDurationMs, durationMs);
    agent.lastRunAt = now;
    agent.recent.push({ at: now, durationMs, success: execution.success });
    agent.trend.addRun(now, durationMs, execution.success);
    agent.histogram.observe(durationMs);
    agent.throughput.add(now);
  }

  /** Counts a cache hit for the agent (same as `record` with `fromCache: true`). */
  recordCacheHit(agent: string): void {
    const record = this.#agent(agent);
    record.cacheHits++;
    record.lastSeenAt = this.#clock.now();
    record.trend.addLookup(record.lastSeenAt, true);
  }

  /** Counts a cache miss for the agent; the run itself is recorded separately. */
  recordCacheMiss(agent: string): void {
    const record = this.#agent(agent);
    record.cacheMisses++;
    record.lastSeenAt = this.#clock.now();
    record.trend.addLookup(record.lastSeenAt, false);
  }

  /** Records an engine-wide memory sample taken outside any run. */
  recordMemory(bytes: number): void {
    this.#sampleMemory(bytes);
  }

  /** The figures now, as plain data; `context` adds the alerts and the breakers' states. */
  snapshot(context: SnapshotContext = {}): MetricsSnapshot {
    const now = this.#clock.now();
    const breakers = context.breakers ?? {};
    const ids = [...new Set([...this.#agents.keys(), ...Object.keys(breakers)])].sort();
    const agents: Record<string, AgentMetrics> = {};
    for (const id of ids) {
      agents[id] = agentMetrics(id, this.#agents.get(id) ?? this.#newRecord(), now, breakers[id]);
    }
    const alerts = [...(context.alerts ?? [])];
    return { takenAt: now, global: this.#global(Object.values(agents), alerts.length), agents, alerts };
  }

  /** Each agent's slots of runs and lookups over the trend span, for `detectTrends`. */
  trendHistory(): TrendHistory {
    return { agents: Object.fromEntries([...this.#agents].map(([id, a]) => [id, { slots: a.trend.toJSON() }])) };
  }

  /** Each agent's duration histogram over the runs this collector recorded, by agent id. */
  durationHistograms(): Record<string, DurationHistogram> {
    return Object.fromEntries([...this.#agents].map(([id, a]) => [id, a.histogram.snapshot()]));
  }

  /** Forgets everything. */
  reset(): void {
    this.#agents.clear();
    this.#memoryBytes = null;
    this.#peakMemoryBytes = null;
  }

  /** The saved form (see persistence.ts); `JSON.stringify` it. */
  toJSON(): PersistedMetrics {
    const agents: Record<string, PersistedAgent> = {};
    for (const [id, a] of this.#agents) {
      agents[id] = {
        executions: a.executions, successes: a.successes, failures: a.failures,
        totalDurationMs: a.totalDurationMs, minDurationMs: a.executions > 0 ? a.minDurationMs : 0,
        maxDurationMs: a.maxDurationMs, lastRunAt: a.lastRunAt, lastSeenAt: a.lastSeenAt,
        cacheHits: a.cacheHits, cacheMisses: a.cacheMisses, samples: a.recent.toArray(),
        slots: a.trend.toJSON(),
      };
    }
    return { version: METRICS_FORMAT_VERSION, savedAt: this.#clock.now(), agents };
  }

  /**
   * A collector restored from `toJSON()` output (an object or its JSON text), keeping what is within
   * `retentionMs` of the clock's time. Unusable input gives an empty collector and the reason; never throws.
   */
  static fromJSON(data: unknown, options: LoadOptions): LoadedMetrics {
    const collector = new MetricsCollector(options);
    const parsed = parsePersistedMetrics(data);
    if (!parsed.ok) return { collector, problem: parsed.problem };
    const cutoff = collector.#clock.now() - options.retentionMs;
    for (const [id, saved] of Object.entries(parsed.data.agents)) {
      if (saved.lastSeenAt < cutoff) continue;
      const { samples, lookups, slots, ...counters } = saved;
      const record: AgentRecord = {
        ...collector.#newRecord(), ...counters,
        minDurationMs: saved.executions > 0 ? saved.minDurationMs : Infinity,
        // A save from before the slots: its last runs and lookups are what there is of the trends' history.
        trend: TrendSlots.restore(slots ?? foldIntoSlots(samples, lookups), collector.#clock.now(), options.retentionMs),
      };
      for (const sample of samples) {
        if (sample.at < cutoff) continue;
        record.recent.push(sample);
        record.throughput.add(sample.at);
      }
      collector.#agents.set(id, record);
    }
    return { collector };
  }

  #agent(id: string): AgentRecord {
    let record = this.#agents.get(id);
    if (!record) {
      record = this.#newRecord();
      this.#agents.set(id, record);
    }
    return record;
  }

  #newRecord(): AgentRecord {
    return newAgentRecord(this.#clock.now(), this.#recentCapacity);
  }

  #sampleMemory(bytes: number, agent?: AgentRecord): void {
    if (!Number.isFinite(bytes) || bytes < 0) return;
    this.#memoryBytes = bytes;
    this.#peakMemoryBytes = peak(this.#peakMemoryBytes, bytes);
    if (!agent) return;
    agent.memoryBytes = bytes;
    agent.peakMemoryBytes = peak(agent.peakMemoryBytes, bytes);
  }

  #global(agents: readonly AgentMetrics[], activeAlerts: number): GlobalMetrics {
    const sum = (field: 'executions' | 'successes' | 'failures' | 'cacheHits' | 'cacheMisses') =>
      agents.reduce((total, a) => total + a[field], 0);
    const executions = sum('executions');
    const successes = sum('successes');
    const cacheHits = sum('cacheHits');
    const cacheMisses = sum('cacheMisses');
    return {
      executions, successes, failures: sum('failures'), successRate: ratio(successes, executions),
      cacheHits, cacheMisses, cacheHitRate: ratio(cacheHits, cacheHits + cacheMisses),
      memoryBytes: this.#memoryBytes, peakMemoryBytes: this.#peakMemoryBytes, activeAlerts,
    };
  }
}
