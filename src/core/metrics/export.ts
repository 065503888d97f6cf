import type { DurationHistogram } from './durationHistogram';
import { toPrometheusText, type RunFigures } from './prometheus';
import type { MetricsSnapshot } from './snapshot';

/** The formats "Export metrics" and `--metrics FILE` write. */
export type MetricsFormat = 'json' | 'prometheus';

/** The format a file name asks for: `.json` is JSON, anything else (`.prom`, `.txt`…) the Prometheus text. */
export function metricsFormatOf(fileName: string): MetricsFormat {
  return fileName.toLowerCase().endsWith('.json') ? 'json' : 'prometheus';
}

/**
 * The snapshot as file content: JSON is the snapshot itself, indented, with a final line feed; the Prometheus text
 * uses the collector's duration `histograms` when given and the CLI's `run` figures (see `toPrometheusText`).
 */
export function formatMetrics(
  snapshot: MetricsSnapshot, format: MetricsFormat, histograms?: Readonly<Record<string, DurationHistogram>>, run?: RunFigures,
): string {
  return format === 'json' ? `${JSON.stringify(snapshot, null, 2)}\n` : toPrometheusText(snapshot, histograms, run);
}
