/**
 * The dashboard charts' data, in the column layout uPlot draws (one x array, one array per series, `null` for a
 * gap), and the host's history of metrics from which the cache chart is drawn. Pure: no DOM, no 'vscode'.
 */
import type { MetricsSnapshot } from '../core/metrics/snapshot';
import type { HistoryPoint } from './protocol';

/** Points of history kept: one per metrics message (an audit, or a re-audit of edited files), the oldest dropped. */
export const HISTORY_POINTS_KEPT = 200;

/** One line of a chart. */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

/** A chart's columns: `x` ascending, each series as long as `x`. */
export interface ChartData {
  readonly x: readonly number[];
  readonly series: readonly ChartSeries[];
}

/**
 * Duration of each agent's recent runs (the metrics window, up to 100), aligned on the latest run: x is the run's
 * position counted back from it (…, -2, -1, 0), so agents with fewer runs start later instead of stretching.
 */
export function durationChart(snapshot: MetricsSnapshot | undefined): ChartData {
  const agents = Object.values(snapshot?.agents ?? {}).filter((a) => a.recentDurationsMs.length > 0);
  // A loop, not Math.max(...): a spread of an unbounded array overflows the stack.
  let length = 0;
  for (const agent of agents) length = Math.max(length, agent.recentDurationsMs.length);
  const x = Array.from({ length }, (_, i) => i - length + 1);
  const series = agents.map((agent) => {
    const runs = agent.recentDurationsMs;
    const pad: null[] = new Array<null>(length - runs.length).fill(null);
    return { label: agent.agent, values: [...pad, ...runs] };
  });
  return { x, series };
}

/** The history with the snapshot's cumulative figures appended, unless nothing was counted since the last point. */
export function appendHistory(
  history: readonly HistoryPoint[], snapshot: MetricsSnapshot, max = HISTORY_POINTS_KEPT,
): HistoryPoint[] {
  const { global } = snapshot;
  const point: HistoryPoint = {
    at: snapshot.takenAt, cacheHits: global.cacheHits, cacheMisses: global.cacheMisses,
    executions: global.executions, failures: global.failures,
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
