/**
 * The dashboard's view-model: turns `DashboardData` (src/shared/protocol.ts) into the rows, figures and words the
 * webview shows. Pure: no 'vscode', no DOM, the time passed in, so every rule here is unit-tested under plain Node.
 */
import type { AgentMetrics, MetricsSnapshot } from '../core/metrics/snapshot';
import type { BreakerState, Grade } from '../core/model';
import type { BreakerSnapshot } from '../core/resilience/breaker';
import { DEFAULT_RECENT_CAPACITY } from '../core/metrics/window';
import { gradeOf } from '../core/run/score';
import type { AuditProgress, DashboardData, WorstFile } from './protocol';
import { cacheHitChart, durationChart, type ChartData } from './dashboardCharts';
import { formatCount, formatDuration, formatPercent } from './dashboardFormat';

/** An agent's health colour: by its error rate, as the seeds' dashboard had it; `none` before its first run. */
export type Health = 'green' | 'amber' | 'red' | 'none';

/** The seeds' thresholds (🟢 error rate < 5 %, 🟡 < 15 %, 🔴 otherwise); 15 % is also the default alert threshold. */
export const HEALTH_THRESHOLDS = { green: 0.05, amber: 0.15 } as const;

/** Lowest-scoring files shown. */
export const WORST_FILES_SHOWN = 10;

const HEALTH_LABELS: Record<Health, string> = { green: 'healthy', amber: 'degraded', red: 'failing', none: 'no runs yet' };

/** Green below 5 %, amber below 15 %, red from 15 %; `none` when nothing ran. */
export function healthOf(errorRate: number, runs: number): Health {
  if (runs === 0) return 'none';
  if (errorRate < HEALTH_THRESHOLDS.green) return 'green';
  if (errorRate < HEALTH_THRESHOLDS.amber) return 'amber';
  return 'red';
}

/**
 * The error rate an agent's colour follows: over its recent runs (the metrics window, as the alerts judge it), so
 * the colour recovers with the agent; over every run when the window is empty (figures loaded from an old session).
 */
export function judgedErrorRate(agent: AgentMetrics): { readonly rate: number; readonly runs: number } {
  const recent = agent.recentDurationsMs.length;
  return recent > 0 ? { rate: agent.recentErrorRate, runs: recent } : { rate: agent.errorRate, runs: agent.executions };
}

/** How the breaker column reads. */
export interface BreakerCell {
  readonly state: BreakerState | 'unknown';
  /** "closed", "open · probe in 42 s", "half-open · next run probes". */
  readonly label: string;
  /** Offer the per-agent reset (anything but closed). */
  readonly resettable: boolean;
}

/** "42 s" under a minute, else "4:05". Rounded up: "probe in 0 s" would read as now while it is not yet. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * The breaker column at `now`. An open breaker counts down to its `openUntil` (the worker's clock, the same
 * machine's); once that has passed the next call is the probe, which the breaker reports as half-open when asked.
 */
export function breakerCell(breaker: BreakerSnapshot | undefined, now: number): BreakerCell {
  if (!breaker) return { state: 'unknown', label: 'not used yet', resettable: false };
  switch (breaker.state) {
    case 'closed': return { state: 'closed', label: 'closed', resettable: false };
    case 'halfOpen': return { state: 'halfOpen', label: 'half-open · next run probes', resettable: true };
    case 'open': {
      const left = breaker.openUntil !== undefined ? breaker.openUntil - now : (breaker.retryInMs ?? 0);
      const label = left > 0 ? `open · probe in ${formatCountdown(left)}` : 'open · next run probes';
      return { state: 'open', label, resettable: true };
    }
  }
}

/** One row of the agents table. */
export interface AgentRow {
  readonly agent: string;
  readonly health: Health;
  readonly healthLabel: string;
  /** The judged error rate, e.g. "2.5 %" (over the window, else over every run). */
  readonly errorRate: string;
  readonly executions: string;
  readonly successRate: string;
  /** Mean and p95 of the same runs, the window's: "3.5 ms"; "—" with none. */
  readonly avgDuration: string;
  readonly p95Duration: string;
  /** Files the agent ran on in the last minute: "250 files/min". */
  readonly throughput: string;
  readonly breaker: BreakerCell;
}

/** The runs the windowed figures cover: the metrics collector's window. */
export const WINDOW_LABEL = `last ${DEFAULT_RECENT_CAPACITY} runs`;

/**
 * The agents table's column headers, in order: each figure's header says its window, each cell its unit, so two
 * figures side by side can be compared (average and p95 over the same runs; totals say they are totals).
 */
export const AGENT_TABLE_HEADERS = [
  'Agent', 'Health', `Error rate (${WINDOW_LABEL})`, 'Runs (total)', 'Success (all runs)', `Avg (${WINDOW_LABEL})`,
  `p95 (${WINDOW_LABEL})`, 'Throughput (last minute)', 'Circuit breaker', 'Action',
] as const;

/** The charts' captions: what is drawn, its unit and its window. */
export const DURATION_CHART_CAPTION = `Duration per agent over time (ms): rolling p50 (solid) and p95 (dashed) of its ${WINDOW_LABEL}`;
export const CACHE_CHART_CAPTION = 'Cache hit rate over time (%): since the previous point, and over all lookups';

/** One row per agent of the snapshot, in its (id) order. */
export function agentRows(snapshot: MetricsSnapshot | undefined, now: number): AgentRow[] {
  return Object.values(snapshot?.agents ?? {}).map((agent) => {
    const judged = judgedErrorRate(agent);
    const health = healthOf(judged.rate, judged.runs);
    const windowed = agent.recentDurationsMs.length > 0;
    return {
      agent: agent.agent,
      health,
      healthLabel: HEALTH_LABELS[health],
      errorRate: judged.runs > 0 ? formatPercent(judged.rate) : '—',
      executions: formatCount(agent.executions),
      successRate: agent.executions > 0 ? formatPercent(agent.successes / agent.executions) : '—',
      // Average and p95 over the same runs (the window), so the p95 is never below the average it sits beside.
      avgDuration: windowed ? formatDuration(agent.recentAvgDurationMs) : '—',
      p95Duration: windowed ? formatDuration(agent.p95DurationMs) : '—',
      throughput: `${formatCount(agent.throughputPerMinute)} ${agent.throughputPerMinute === 1 ? 'file' : 'files'}/min`,
      breaker: breakerCell(agent.breaker, now),
    };
  });
}

/** How a figure should be read: drives its accent colour (always with words beside it). */
export type Tone = 'ok' | 'warn' | 'bad' | 'neutral';

/** A headline figure. */
export interface Kpi {
  readonly id: 'files' | 'findings' | 'score' | 'successRate' | 'cacheHitRate' | 'sharedCache' | 'duration' | 'alerts';
  readonly label: string;
  readonly value: string;
  readonly detail: string;
  readonly tone: Tone;
}

const HEALTH_TONES: Record<Health, Tone> = { green: 'ok', amber: 'warn', red: 'bad', none: 'neutral' };
const GRADE_TONES: Record<Grade, Tone> = { A: 'ok', B: 'ok', C: 'warn', D: 'warn', F: 'bad' };

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The headline figures, in display order. */
export function kpis(data: DashboardData, now: number): Kpi[] {
  const { counts, audit } = data;
  const global = data.snapshot?.global;
  const findings = counts.error + counts.warning + counts.info + counts.hint;
  const alerts = data.snapshot?.alerts ?? [];
  const lookups = (global?.cacheHits ?? 0) + (global?.cacheMisses ?? 0);
  return [
    {
      id: 'files', label: 'Files audited', value: formatCount(data.filesAudited), tone: 'neutral',
      detail: audit.kind === 'running' ? `${formatCount(audit.done)} of ${formatCount(audit.total)} in this audit`
        : audit.kind === 'done' ? `${formatCount(audit.skipped)} skipped` : '',
    },
    {
      id: 'findings', label: 'Findings', value: formatCount(findings),
      detail: [plural(counts.error, 'error'), plural(counts.warning, 'warning'), `${formatCount(counts.info)} info`,
        plural(counts.hint, 'hint')].join(' · '),
      tone: counts.error > 0 ? 'bad' : counts.warning > 0 ? 'warn' : 'ok',
    },
    {
      id: 'score', label: 'Workspace score (0–100)', value: `${data.score} (${data.grade})`, detail: 'mean of the file scores',
      tone: data.filesAudited > 0 ? GRADE_TONES[data.grade] : 'neutral',
    },
    {
      id: 'successRate', label: 'Success rate (all runs)', value: global?.executions ? formatPercent(global.successRate) : '—',
      detail: global ? `${plural(global.executions, 'run')}, ${formatCount(global.failures)} failed` : 'no metrics yet',
      tone: global?.executions ? HEALTH_TONES[healthOf(1 - global.successRate, global.executions)] : 'neutral',
    },
    {
      id: 'cacheHitRate', label: 'Cache hit rate (all lookups)', value: lookups > 0 ? formatPercent(global!.cacheHitRate) : '—',
      detail: lookups > 0 ? `${formatCount(global!.cacheHits)} of ${plural(lookups, 'result')} from the cache` : 'no lookups yet',
      tone: 'neutral',
    },
    ...sharedCacheKpi(data.snapshot),
    durationKpi(audit, now),
    {
      id: 'alerts', label: 'Active alerts', value: formatCount(alerts.length), tone: alerts.length > 0 ? 'bad' : 'ok',
      detail: alerts.length > 0 ? alerts[0].message : 'none',
    },
  ];
}

/** The team's Redis tier (issue 10), shown only when the engine has one: hit rate, latency, errors, its breaker. */
function sharedCacheKpi(snapshot: DashboardData['snapshot']): Kpi[] {
  const tier = snapshot?.sharedCache;
  if (!tier) return [];
  const lookups = tier.hits + tier.misses;
  const breaker = tier.breaker === 'closed' ? 'connected' : tier.breaker === 'open' ? 'breaker open: local tiers only' : 'probing';
  const detail = [
    lookups > 0 ? `${formatCount(tier.hits)} of ${plural(lookups, 'result')}` : 'no lookups yet',
    lookups > 0 ? `p50 ${formatDuration(tier.latencyMs.p50)}, p95 ${formatDuration(tier.latencyMs.p95)}` : '',
    tier.errors > 0 ? plural(tier.errors, 'error') : '',
    breaker,
  ].filter(Boolean).join(' · ');
  const tone: Tone = tier.breaker === 'open' ? 'bad' : tier.breaker === 'halfOpen' || tier.errors > 0 ? 'warn' : 'ok';
  return [{ id: 'sharedCache', label: 'Shared cache (Redis)', value: lookups > 0 ? formatPercent(tier.hits / lookups) : '—', detail, tone }];
}

function durationKpi(audit: AuditProgress, now: number): Kpi {
  const base = { id: 'duration', label: 'Audit duration', tone: 'neutral' } as const;
  switch (audit.kind) {
    case 'running': return { ...base, value: formatDuration(Math.max(0, now - audit.startedAt)), detail: 'running' };
    case 'done': return { ...base, value: formatDuration(audit.durationMs), detail: audit.cancelled ? 'cancelled' : 'last audit' };
    case 'failed': return { ...base, value: '—', detail: 'the last audit failed', tone: 'bad' };
    case 'idle': return { ...base, value: '—', detail: 'no audit yet' };
  }
}

/** The line under the title: what the audit is doing. */
export function statusLine(data: DashboardData): string {
  const { audit } = data;
  if (data.restored && audit.kind !== 'running') return 'Figures saved before the window reload. Re-run the audit to refresh them.';
  switch (audit.kind) {
    case 'idle': return 'No whole-workspace audit in this session yet.';
    case 'running': {
      const percent = audit.total > 0 ? ` (${Math.floor((100 * audit.done) / audit.total)} %)` : '';
      return `Auditing: ${formatCount(audit.done)} of ${formatCount(audit.total)} files${percent}`;
    }
    case 'done': {
      const cancelled = audit.cancelled ? ' (cancelled)' : '';
      return `Last audit: ${plural(audit.files, 'file')} in ${formatDuration(audit.durationMs)}${cancelled}`;
    }
    case 'failed': return `The last audit failed: ${audit.message}`;
  }
}

/** The banner shown while trends are active: a title naming the agents, and one sentence per trend. */
export interface TrendBanner {
  readonly title: string;
  readonly items: readonly string[];
}

/** The trends banner of `snapshot`, or undefined when no trend is active (the banner is hidden). */
export function trendBanner(snapshot: MetricsSnapshot | undefined): TrendBanner | undefined {
  const trends = snapshot?.trends ?? [];
  if (trends.length === 0) return undefined;
  const agents = [...new Set(trends.map((t) => t.agent))];
  const title = `${agents.length === 1 ? 'Agent' : 'Agents'} degrading over the last hour: ${agents.join(', ')}`;
  return { title, items: trends.map((t) => t.message) };
}

/** Everything the webview renders. */
export interface DashboardView {
  readonly status: string;
  readonly running: boolean;
  /** 0–100 while running. */
  readonly progressPercent?: number;
  readonly kpis: readonly Kpi[];
  readonly agents: readonly AgentRow[];
  readonly alerts: readonly string[];
  /** Trends active (last hour against the 7 days before), or undefined. */
  readonly trends?: TrendBanner;
  readonly worstFiles: readonly WorstFile[];
  readonly durations: ChartData;
  readonly cacheHitRate: ChartData;
  /** Some breaker counts down: re-render every second. */
  readonly ticking: boolean;
}

/** The view of `data` at `now`. */
export function buildView(data: DashboardData, now: number): DashboardView {
  const agents = agentRows(data.snapshot, now);
  const { audit } = data;
  return {
    status: statusLine(data),
    running: audit.kind === 'running',
    progressPercent: audit.kind === 'running' && audit.total > 0 ? (100 * audit.done) / audit.total : undefined,
    kpis: kpis(data, now),
    agents,
    alerts: (data.snapshot?.alerts ?? []).map((alert) => alert.message),
    trends: trendBanner(data.snapshot),
    worstFiles: data.worstFiles,
    durations: durationChart(data.history),
    cacheHitRate: cacheHitChart(data.history),
    ticking: audit.kind === 'running' || agents.some((row) => row.breaker.state === 'open'),
  };
}

/** Mean of the file scores, rounded (the report's workspace score); an empty workspace scores 100. */
export function workspaceScore(scores: readonly number[]): { readonly score: number; readonly grade: Grade } {
  const score = scores.length === 0 ? 100 : Math.round(scores.reduce((sum, s) => sum + s, 0) / scores.length);
  return { score, grade: gradeOf(score) };
}

/** The `n` files that lose the most points: lowest score, then most findings, then path; perfect files are left out. */
export function worstFiles<T extends { readonly score: number; readonly findings: number; readonly uri: string }>(
  files: Iterable<T>, n = WORST_FILES_SHOWN,
): T[] {
  const imperfect = [...files].filter((f) => f.score < 100);
  imperfect.sort((a, b) => a.score - b.score || b.findings - a.findings || (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  return imperfect.slice(0, n);
}
