/**
 * The pure arithmetic of `npm run calibrate` (scripts/calibrate.ts): which files are tests, how lines are counted,
 * rates per 1,000 lines, percentiles, and the value a complexity finding's message carries. Tested in
 * test/unit/calibrate.test.ts; nothing here reads a file or the network.
 */
import { GlobSet } from '../../src/core/glob/configGlob';

/**
 * The test-file globs of the calibration, the usual patterns of Jest, Vitest, Mocha and Theia: files named
 * `*.spec.*` or `*.test.*`, and anything under a `__tests__`, `__mocks__`, `test` or `tests` folder.
 */
export const TEST_GLOBS: readonly string[] = [
  '**/*.spec.*', '**/*.test.*', '**/__tests__/**', '**/__mocks__/**', '**/test/**', '**/tests/**',
];

const TESTS = new GlobSet(TEST_GLOBS);

/** Whether a POSIX path relative to the audit root is a test file under `TEST_GLOBS`. */
export function isTestPath(path: string): boolean {
  return TESTS.matches(path);
}

/** Lines of a text as editors and `wc -l` count them: a final line break ends the last line, it starts none. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  const breaks = text.match(/\r\n|\r|\n/g)?.length ?? 0;
  return breaks + (/[\r\n]$/.test(text) ? 0 : 1);
}

/** Findings per 1,000 lines, or 0 when there are no lines. */
export function per1000(count: number, lines: number): number {
  return lines === 0 ? 0 : (count * 1000) / lines;
}

/** A rate as the tables print it: one decimal under 100, none above; `0` for nothing at all. */
export function formatRate(rate: number): string {
  if (rate === 0) return '0';
  if (rate >= 100) return rate.toFixed(0);
  return rate < 0.05 ? '<0.1' : rate.toFixed(1);
}

/**
 * The nearest-rank percentile `p` (0 < p ≤ 100) of values sorted in ascending order: the smallest value with at
 * least p % of the values at or below it. Undefined for no values.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The percentiles the calibration reports, and the largest value. */
export interface Distribution {
  readonly count: number;
  readonly p50?: number;
  readonly p90?: number;
  readonly p95?: number;
  readonly p99?: number;
  readonly max?: number;
}

/** p50/p90/p95/p99/max of `values` (any order). */
export function distributionOf(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1),
  };
}

/** How many values a rule with this threshold reports: the agents report a measure strictly above its limit. */
export function countAbove(values: readonly number[], threshold: number): number {
  let n = 0;
  for (const value of values) if (value > threshold) n++;
  return n;
}

/**
 * The measure a `complexity` finding's message states, the number just before `(max N)`:
 * "Function 'f' has a cyclomatic complexity of 12 (max 10)" → 12, "… is 1,204 lines long (max 80)" → 1204.
 * Undefined for a message of another shape.
 */
export function measureInMessage(message: string): number | undefined {
  const match = /(\d[\d,]*)(?: lines? long| parameters?)? \(max -?\d+\)$/.exec(message);
  return match ? Number(match[1].replace(/,/g, '')) : undefined;
}
