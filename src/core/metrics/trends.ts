import { addUpSlots, type SlotTotals, type TrendSlot } from './trendSlots';

/**
 * Trend detection on the persisted metrics (issue 23, item 3): the same three trends as the Prometheus rules of
 * monitoring/alerts.yml, with the same factors, computed from an agent's saved slots (trendSlots.ts: every run
 * of the span, in 10-minute and hourly slots) instead of Prometheus series. The recent window is the last hour
 * (the slots that overlap it); the baseline the 7 days before it. Each window must hold `minSamples` runs (lookups
 * for the cache) so that one slow run, or one failure, is not a trend. Pure: the time is passed in.
 *
 * - `slower`: p95 (nearest rank, read from the slots' sketches: within 5 %) of the last hour more than 2× the
 *   baseline's p95.
 * - `failing-more`: failure ratio of the last hour above 5 % and more than 2× the baseline's ratio.
 * - `cache-falling`: cache hit ratio of the last hour under 70 % of the baseline's, when that was above 20 %, per agent.
 */

/** What a trend is about. */
export type TrendKind = 'slower' | 'failing-more' | 'cache-falling';

/** One active trend, plain data. */
export interface Trend {
  readonly agent: string;
  readonly kind: TrendKind;
  /** The last hour's figure: p95 in ms, or a ratio 0–1. */
  readonly recent: number;
  /** The baseline's figure, same unit. */
  readonly baseline: number;
  /** recent / baseline; null when the baseline is 0 (a failure ratio rising from none). */
  readonly factor: number | null;
  /** One sentence for the notification, the log and the dashboard's banner. */
  readonly message: string;
}

/** The history trends are judged on: each agent's slots (trendSlots.ts; the saved metrics' `slots`). */
export interface TrendHistory {
  readonly agents: Readonly<Record<string, { readonly slots: readonly TrendSlot[] }>>;
}

/** How trends are judged; alerts.yml's values by default. */
export interface TrendOptions {
  /** Length of the recent window (default 1 h). */
  readonly recentMs?: number;
  /** Length of the baseline, which ends where the recent window starts (default 7 days). */
  readonly baselineMs?: number;
  /** Runs (or lookups) each window needs before a trend is judged (default 20). */
  readonly minSamples?: number;
}

const HOUR_MS = 60 * 60 * 1000;

/** The defaults: alerts.yml's windows, and 20 runs per window (one slow run among 20 is not the p95). */
export const DEFAULT_TREND_OPTIONS: Required<TrendOptions> = { recentMs: HOUR_MS, baselineMs: 7 * 24 * HOUR_MS, minSamples: 20 };

/** alerts.yml's factors. */
export const TREND_FACTORS = { slower: 2, failingMore: 2, failureRatioFloor: 0.05, cacheFalling: 0.7, cacheBaselineFloor: 0.2 } as const;

interface Windows {
  readonly recent: SlotTotals;
  readonly baseline: SlotTotals;
}

/**
 * The recent window: the slots that overlap the last `recentMs` (so up to one slot more); the baseline: the slots
 * of the `baselineMs` before them. Slots starting after `now` belong to neither.
 */
function split(slots: readonly TrendSlot[], now: number, o: Required<TrendOptions>): Windows {
  const start = now - o.recentMs;
  return {
    recent: addUpSlots(slots.filter((s) => s.start + s.width > start && s.start <= now)),
    baseline: addUpSlots(slots.filter((s) => s.start + s.width <= start && s.start + s.width > start - o.baselineMs)),
  };
}

/** An estimate within 5 %, to two significant digits: "850 ms", "8.5 ms", "1.5 s". */
function ms(value: number): string {
  return value < 1000 ? `${Number(value.toPrecision(2))} ms` : `${(value / 1000).toPrecision(2)} s`;
}

/** "12 %", "0.5 %". */
function pct(value: number): string {
  const p = value * 100;
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)} %`;
}

function slower(agent: string, w: Windows): Trend | undefined {
  const recent = w.recent.durations.percentile(95);
  const baseline = w.baseline.durations.percentile(95);
  if (!(baseline > 0 && recent > TREND_FACTORS.slower * baseline)) return undefined;
  const factor = recent / baseline;
  return {
    agent, kind: 'slower', recent, baseline, factor,
    message: `Agent ${agent} is ${factor.toFixed(1)}× slower than its 7-day level (p95 ≈ ${ms(recent)} vs ${ms(baseline)})`,
  };
}

function failingMore(agent: string, w: Windows): Trend | undefined {
  const recent = w.recent.failures / w.recent.runs;
  const baseline = w.baseline.failures / w.baseline.runs;
  if (!(recent > TREND_FACTORS.failureRatioFloor && recent > TREND_FACTORS.failingMore * baseline)) return undefined;
  const factor = baseline > 0 ? recent / baseline : null;
  const times = factor === null ? '' : `, ${factor.toFixed(1)}×`;
  return {
    agent, kind: 'failing-more', recent, baseline, factor,
    message: `Agent ${agent} fails more often: ${pct(recent)} of its runs in the last hour vs ${pct(baseline)} over 7 days${times}`,
  };
}

function cacheFalling(agent: string, w: Windows): Trend | undefined {
  const recent = w.recent.hits / w.recent.lookups;
  const baseline = w.baseline.hits / w.baseline.lookups;
  if (!(baseline > TREND_FACTORS.cacheBaselineFloor && recent < TREND_FACTORS.cacheFalling * baseline)) return undefined;
  return {
    agent, kind: 'cache-falling', recent, baseline, factor: recent / baseline,
    message: `The cache serves agent ${agent} less: ${pct(recent)} of lookups in the last hour vs ${pct(baseline)} over 7 days`,
  };
}

/** The trends active at `now`, by agent id then kind (slower, failing-more, cache-falling). */
export function detectTrends(history: TrendHistory, now: number, options: TrendOptions = {}): Trend[] {
  const o = { ...DEFAULT_TREND_OPTIONS, ...options };
  const trends: Trend[] = [];
  for (const agent of Object.keys(history.agents).sort()) {
    const w = split(history.agents[agent].slots, now, o);
    const judged = [
      w.recent.runs >= o.minSamples && w.baseline.runs >= o.minSamples ? [slower(agent, w), failingMore(agent, w)] : [],
      w.recent.lookups >= o.minSamples && w.baseline.lookups >= o.minSamples ? [cacheFalling(agent, w)] : [],
    ].flat();
    for (const trend of judged) if (trend) trends.push(trend);
  }
  return trends;
}

/** A key that names a trend while it stays active (agent and kind), to notify it once. */
export const trendKey = (trend: Pick<Trend, 'agent' | 'kind'>): string => `${trend.kind} ${trend.agent}`;

/**
 * The trends newly active in `trends` (to notify once: not again while they stay active), and the keys of every
 * active one, to pass as `previous` next time.
 */
export function trendChanges(previous: ReadonlySet<string>, trends: readonly Trend[]): { raised: Trend[]; active: Set<string> } {
  return { raised: trends.filter((t) => !previous.has(trendKey(t))), active: new Set(trends.map(trendKey)) };
}
