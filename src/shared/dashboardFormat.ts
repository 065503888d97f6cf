/** How the dashboard writes numbers (pure; shared by the view-model and its tests). */

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 5000 → "5,000"; fractions keep one decimal (a throughput of 2.5/min). */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/**
 * A fraction 0–1 as a percentage: one decimal near the ends (4.5 % and 5 % are different colours; 6 failures in
 * 3,662 runs are 99.8 %, not 100 %), whole numbers between; never rounded onto 0 % or 100 % when it is not.
 */
export function formatPercent(fraction: number): string {
  const percent = 100 * fraction;
  if (percent > 0 && percent < 0.1) return '< 0.1 %';
  if (percent > 99.9 && percent < 100) return '> 99.9 %';
  const nearEnd = percent < 10 || percent > 90;
  return `${percent.toFixed(nearEnd && !Number.isInteger(percent) ? 1 : 0)} %`;
}

/** "0.04 ms", "0.4 ms", "3.5 ms", "12 ms", "1.2 s", "2 min 05 s": a fast agent never reads as "0 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Number(ms.toPrecision(1))} ms`;
  if (ms < 10) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
