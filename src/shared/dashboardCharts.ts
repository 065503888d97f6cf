/**
 * The dashboard charts' data, in the column layout uPlot draws (one x array, one array per series, `null` for a
 * gap), and the host's history of metrics from which the cache chart is drawn. Pure: no DOM, no 'vscode'.
 */
import type { MetricsSnapshot } from '../core/metrics/snapshot';
import type { AgentPercentiles, HistoryPoint } from './protocol';

/** Points of history kept: one per metrics message (an audit, or a re-audit of edited files), the oldest dropped. */
export const HISTORY_POINTS_KEPT = 200;

/** One line of a chart. */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** Series of one group (an agent's p50 and p95) share a colour; none: the series' own. */
  readonly group?: string;
  /** Drawn dashed (the p95 beside its solid p50). */
  readonly dashed?: boolean;
}

/** A chart's columns: `x` ascending, each series as long as `x`. */
export interface ChartData {
  readonly x: readonly number[];
  readonly series: readonly ChartSeries[];
}

/** The agents' percentiles at a snapshot: over each agent's window of recent runs (agents with none are left out). */
export function agentPercentiles(snapshot: MetricsSnapshot): Record<string, AgentPercentiles> {
  const result: Record<string, AgentPercentiles> = {};
  for (const agent of Object.values(snapshot.agents)) {
    if (agent.recentDurationsMs.length === 0) continue;
    result[agent.agent] = { p50DurationMs: agent.p50DurationMs, p95DurationMs: agent.p95DurationMs };
  }
  return result;
}

/**
 * Each agent's rolling p50 and p95 duration over time, in ms: at each history point, the percentiles of the agent's
 * last runs (the metrics window, 100) as they were then. x is in seconds (uPlot's time unit). A point from before
 * the agent's first run, or saved by a version without percentiles, is a gap.
 */
export function durationChart(history: readonly HistoryPoint[]): ChartData {
  const agents = [...new Set(history.flatMap((point) => Object.keys(point.agents ?? {})))].sort();
  const column = (agent: string, stat: keyof AgentPercentiles) => history.map((point) => point.agents?.[agent]?.[stat] ?? null);
  // Nothing to draw (no run yet, or only points saved by an older version): the chart's empty text instead of axes.
  if (agents.length === 0) return { x: [], series: [] };
  return {
    x: history.map((point) => point.at / 1000),
    series: agents.flatMap((agent) => [
      { label: `${agent} p50`, values: column(agent, 'p50DurationMs'), group: agent },
      { label: `${agent} p95`, values: column(agent, 'p95DurationMs'), group: agent, dashed: true },
    ]),
  };
}

/** The history with the snapshot's cumulative figures appended, unless nothing was counted since the last point. */
export function appendHistory(
  history: readonly HistoryPoint[], snapshot: MetricsSnapshot, max = HISTORY_POINTS_KEPT,
): HistoryPoint[] {
  const { global } = snapshot;
  const point: HistoryPoint = {
    at: snapshot.takenAt, cacheHits: global.cacheHits, cacheMisses: global.cacheMisses,
    executions: global.executions, failures: global.failures, agents: agentPercentiles(snapshot),
  };
  const last = history.at(-1);
  const same = last && last.cacheHits === point.cacheHits && last.cacheMisses === point.cacheMisses
    && last.executions === point.executions && last.failures === point.failures;
  if (same) return [...history];
  return [...history, point].slice(-max);
}

/**
 * Cache hit rate over time, in percent: per interval (the results looked up since the previous point: what the
 * last audit got from the cache) and overall (every lookup since the metrics began). x is in seconds (uPlot's time
 * unit). An interval with no lookup, or where the counts went down (the metrics were reset), is a gap.
 */
export function cacheHitChart(history: readonly HistoryPoint[]): ChartData {
  const interval: (number | null)[] = [];
  const overall: (number | null)[] = [];
  history.forEach((point, i) => {
    const total = point.cacheHits + point.cacheMisses;
    overall.push(total > 0 ? (100 * point.cacheHits) / total : null);
    const previous = i > 0 ? history[i - 1] : undefined;
    const hits = point.cacheHits - (previous?.cacheHits ?? 0);
    const misses = point.cacheMisses - (previous?.cacheMisses ?? 0);
    interval.push(previous && hits >= 0 && misses >= 0 && hits + misses > 0 ? (100 * hits) / (hits + misses) : null);
  });
  return {
    x: history.map((point) => point.at / 1000),
    series: [{ label: 'since the previous point', values: interval }, { label: 'overall', values: overall }],
  };
}

/** The least span a time axis shows, in seconds: one point (the first audit) sits in a 2-minute window, not years. */
export const MIN_TIME_SPAN_S = 120;

/**
 * The x range of a time chart whose points span `min`–`max` (epoch seconds): the data's own when it spans at least
 * `MIN_TIME_SPAN_S`, else that span centred on the data (uPlot's default for a single instant reaches years away).
 */
export function timeAxisRange(min: number, max: number): [number, number] {
  if (max - min >= MIN_TIME_SPAN_S) return [min, max];
  const middle = (min + max) / 2;
  return [middle - MIN_TIME_SPAN_S / 2, middle + MIN_TIME_SPAN_S / 2];
}
