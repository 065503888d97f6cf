/**
 * What the bench records: measures, each with the runs it took, its baseline (another measure of the same run)
 * and, where the issues set one, its target. Shared by every module of scripts/bench.
 */

/** Units a measure is in: times, memory, a share. */
export type Unit = 'ms' | 'MB' | '%';

/** A target: the measure's ratio to its baseline (or its value, with `on: 'value'`) at most (or at least) `limit`. */
export interface Target {
  readonly on: 'ratio' | 'value';
  readonly op: '≤' | '≥';
  readonly limit: number;
  /** Where it comes from, e.g. `issue 8`. */
  readonly source: string;
}

/** One row of the report. */
export interface Measure {
  /** Stable key in results.json, e.g. `audit.cold.sequential`. */
  readonly id: string;
  readonly label: string;
  readonly unit: Unit;
  /** The median of `runs`. */
  readonly value: number;
  readonly runs: readonly number[];
  /** Id of the measure `ratio` is relative to. */
  readonly baseline?: string;
  readonly ratio?: number;
  readonly target?: Target;
  /** PASS/MISS of `target`. */
  readonly pass?: boolean;
  /** Anything a reader needs beside the figure (hit rate, findings, workers). */
  readonly note?: string;
}

/** A measure before it is related to its baseline. */
export interface RawMeasure {
  readonly id: string;
  readonly label: string;
  readonly unit?: Unit;
  readonly runs: readonly number[];
  readonly baseline?: string;
  readonly target?: Target;
  readonly note?: string;
}

/** The median (the upper one of an even count): robust to one noisy run on a shared machine. */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** The `q`-quantile (0..1) by nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Milliseconds `work` took. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Runs `work` `runs` times; the run of median duration is returned with every duration. */
export async function repeat<T>(runs: number, work: (run: number) => Promise<T>): Promise<{ runs: number[]; median: T }> {
  const results: { ms: number; value: T }[] = [];
  for (let i = 0; i < runs; i++) results.push(await timed(() => work(i)));
  const sorted = [...results].sort((a, b) => a.ms - b.ms);
  return { runs: results.map((r) => r.ms), median: sorted[Math.floor(sorted.length / 2)].value };
}

/** Relates every measure to its baseline (by id) and judges its target. */
export function resolveMeasures(raw: readonly RawMeasure[]): Measure[] {
  const values = new Map(raw.map((m) => [m.id, median(m.runs)]));
  return raw.map((m): Measure => {
    const value = median(m.runs);
    const base = m.baseline === undefined ? undefined : values.get(m.baseline);
    const ratio = base === undefined || base === 0 ? undefined : value / base;
    const judged = m.target?.on === 'value' ? value : ratio;
    const pass = m.target && judged !== undefined
      ? (m.target.op === '≤' ? judged <= m.target.limit : judged >= m.target.limit)
      : undefined;
    return { ...m, unit: m.unit ?? 'ms', value, ratio, pass, baseline: base === undefined ? undefined : m.baseline };
  });
}
