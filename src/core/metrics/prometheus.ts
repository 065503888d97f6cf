import { SEVERITIES, type AuditResult, type BreakerState, type Severity } from '../model';
import { DURATION_BUCKETS_SECONDS, histogramOf, type DurationHistogram } from './durationHistogram';
import type { AgentMetrics, MetricsSnapshot } from './snapshot';

/**
 * A metrics snapshot in the Prometheus text exposition format, version 0.0.4
 * (`Content-Type: text/plain; version=0.0.4`), for "Export metrics", `--metrics FILE` and `--metrics-push URL`.
 *
 * Names follow Prometheus's conventions (checked by `promtool check metrics` in the tests): every series is
 * prefixed `maintenance_team_`, base units in the name (`_seconds`, `_bytes`), counters end in `_total`, and a run's
 * duration is a histogram (`_bucket{le=…}`, `_sum`, `_count`, in seconds) so that Prometheus computes any quantile
 * over any window. Per-agent series carry an `agent` label, agents in id order. The breaker state is one gauge per
 * agent: 0 = closed, 1 = halfOpen, 2 = open (ordered by how unavailable the agent is, so `max()` and `> 0` read
 * naturally). Rates, min/max and the recent durations are derivable or too detailed for a scrape; they are in the
 * JSON export. The metric names are a contract of `monitoring/alerts.yml` and docs/operations.md.
 */

/** The content type to serve the text with. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const PREFIX = 'maintenance_team_';

/** The breaker gauge's value of each state. */
export const BREAKER_STATE_VALUES: Readonly<Record<BreakerState, number>> = { closed: 0, halfOpen: 1, open: 2 };

type Labels = Readonly<Record<string, string>>;

interface Sample {
  /** Appended to the family name (`_bucket`, `_sum`, `_count`). */
  readonly suffix?: string;
  readonly labels: Labels;
  readonly value: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'summary' | 'histogram';
  readonly samples: readonly Sample[];
}

/** A label value as the format wants it: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A HELP text as the format wants it: backslash and line feed escaped. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value: Go float syntax, with `NaN`, `+Inf` and `-Inf`. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

function render(family: Family): string {
  if (family.samples.length === 0) return '';
  const name = PREFIX + family.name;
  const lines = [`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`];
  for (const s of family.samples) lines.push(`${name}${s.suffix ?? ''}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  return lines.join('\n') + '\n';
}

/** One sample per agent that has the value (`pick` returns undefined or null to leave the agent out). */
function perAgent(agents: readonly AgentMetrics[], pick: (a: AgentMetrics) => number | null | undefined): Sample[] {
  const samples: Sample[] = [];
  for (const a of agents) {
    const value = pick(a);
    if (value !== undefined && value !== null) samples.push({ labels: { agent: a.agent }, value });
  }
  return samples;
}

/** Each agent's duration histogram: the collector's when given, else one made of the snapshot's recent window. */
type Histograms = Readonly<Record<string, DurationHistogram>>;

function durationHistogram(agents: readonly AgentMetrics[], histograms: Histograms | undefined): Sample[] {
  return agents.flatMap((a) => {
    const h = histograms ? (histograms[a.agent] ?? histogramOf([])) : histogramOf(a.recentDurationsMs);
    const labels = { agent: a.agent };
    const buckets = DURATION_BUCKETS_SECONDS.map((bound, i) => (
      { suffix: '_bucket', labels: { ...labels, le: String(bound) }, value: h.cumulativeCounts[i] }));
    return [
      ...buckets,
      { suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: h.count },
      { suffix: '_sum', labels, value: h.sumSeconds },
      { suffix: '_count', labels, value: h.count },
    ];
  });
}

const counter = (name: string, help: string, samples: Sample[]): Family => ({ name, help, type: 'counter', samples });
const gauge = (name: string, help: string, samples: Sample[]): Family => ({ name, help, type: 'gauge', samples });

function agentFamilies(agents: readonly AgentMetrics[], histograms: Histograms | undefined): Family[] {
  const breakerState = (a: AgentMetrics) => (a.breaker ? BREAKER_STATE_VALUES[a.breaker.state] : undefined);
  return [
    counter('agent_executions_total', 'Runs of the agent (results served from the cache are not runs).',
      perAgent(agents, (a) => a.executions)),
    counter('agent_successes_total', 'Runs of the agent that succeeded.', perAgent(agents, (a) => a.successes)),
    counter('agent_failures_total', 'Runs of the agent that failed (errors and timeouts).', perAgent(agents, (a) => a.failures)),
    {
      name: 'agent_duration_seconds', type: 'histogram', samples: durationHistogram(agents, histograms),
      help: 'Duration of a run of the agent in seconds.',
    },
    gauge('agent_throughput_per_minute', 'Runs of the agent in the last minute.', perAgent(agents, (a) => a.throughputPerMinute)),
    gauge('agent_last_run_timestamp_seconds', 'When the agent last ran (Unix time).',
      perAgent(agents, (a) => (a.lastRunAt === null ? null : a.lastRunAt / 1000))),
    gauge('agent_memory_bytes', "Memory sample taken with the agent's last run.", perAgent(agents, (a) => a.memoryBytes)),
    counter('agent_cache_hits_total', 'Results of the agent served from the cache.', perAgent(agents, (a) => a.cacheHits)),
    counter('agent_cache_misses_total', 'Cache lookups for the agent that missed.', perAgent(agents, (a) => a.cacheMisses)),
    gauge('agent_breaker_state', "State of the agent's circuit breaker: 0 = closed, 1 = halfOpen, 2 = open.",
      perAgent(agents, breakerState)),
  ];
}

function globalFamilies(snapshot: MetricsSnapshot): Family[] {
  const { memoryBytes, activeAlerts } = snapshot.global;
  const alertLabels = (alert: MetricsSnapshot['alerts'][number]): Labels =>
    (alert.agent === undefined ? { type: alert.type } : { type: alert.type, agent: alert.agent });
  return [
    gauge('memory_bytes', "The engine's latest memory sample.", memoryBytes === null ? [] : [{ labels: {}, value: memoryBytes }]),
    gauge('active_alerts', 'Alerts active now.', [{ labels: {}, value: activeAlerts }]),
    gauge('alert_active', 'One series per active alert, by type and agent.',
      snapshot.alerts.map((alert) => ({ labels: alertLabels(alert), value: 1 }))),
  ];
}

/** The team's Redis tier (issue 10), when the engine has one: its counters, lookup latency and breaker. */
function sharedCacheFamilies(snapshot: MetricsSnapshot): Family[] {
  const tier = snapshot.sharedCache;
  if (!tier) return [];
  const one = (value: number): Sample[] => [{ labels: {}, value }];
  // Like the agents' durations: a quantile of no lookups is NaN, not an instant 0.
  const asked = tier.hits + tier.misses > 0;
  return [
    counter('shared_cache_hits_total', 'Results served by the shared (Redis) cache.', one(tier.hits)),
    counter('shared_cache_misses_total', 'Results asked of the shared cache and absent or invalid.', one(tier.misses)),
    counter('shared_cache_errors_total', 'Failed or timed-out calls to the shared cache.', one(tier.errors)),
    counter('shared_cache_invalid_total', 'Values of the shared cache that failed validation.', one(tier.invalid)),
    counter('shared_cache_writes_total', 'Results written to the shared cache.', one(tier.writes)),
    counter('shared_cache_dropped_writes_total', 'Results not written (breaker open, failed pipeline, full queue).',
      one(tier.droppedWrites)),
    {
      // The tier keeps quantiles of its recent lookups, not buckets: a summary is the type that says so.
      name: 'shared_cache_lookup_seconds', type: 'summary', help: 'Latency of recent shared cache lookups in seconds.',
      samples: [
        { labels: { quantile: '0.5' }, value: asked ? tier.latencyMs.p50 / 1000 : NaN },
        { labels: { quantile: '0.95' }, value: asked ? tier.latencyMs.p95 / 1000 : NaN },
      ],
    },
    gauge('shared_cache_breaker_state', "State of the shared cache's circuit breaker: 0 = closed, 1 = halfOpen, 2 = open.",
      one(BREAKER_STATE_VALUES[tier.breaker])),
  ];
}

/** What the CLI knows of a whole run beyond the engine's snapshot: its findings and when it finished. */
export interface RunFigures {
  /** Findings of the run by severity, every severity present (0 when none). */
  readonly findingsBySeverity: Readonly<Record<Severity, number>>;
  /** When the run finished, Unix time in seconds. */
  readonly finishedAtSeconds: number;
}

/** The figures of `result` (its findings by severity), finished at `nowMs` (Unix time in milliseconds). */
export function runFiguresOf(result: Pick<AuditResult, 'files'>, nowMs: number): RunFigures {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const file of result.files) for (const finding of file.findings) counts[finding.severity] += 1;
  return { findingsBySeverity: counts, finishedAtSeconds: nowMs / 1000 };
}

/** The run's own series, for the Grafana dashboard: findings by severity and when the run finished. */
function runFamilies(run: RunFigures | undefined): Family[] {
  if (!run) return [];
  return [
    gauge('findings', 'Findings of the run by severity.',
      SEVERITIES.map((severity) => ({ labels: { severity }, value: run.findingsBySeverity[severity] }))),
    gauge('last_run_timestamp_seconds', 'When the run finished (Unix time).', [{ labels: {}, value: run.finishedAtSeconds }]),
  ];
}

/**
 * The snapshot in the Prometheus text format; families with no series are left out; ends with a line feed.
 * `histograms` are the collector's duration histograms (`MetricsCollector.durationHistograms()`); without them the
 * histogram is made of each agent's recent window (the last 100 runs). `run` (the CLI's) adds the run's series.
 */
export function toPrometheusText(snapshot: MetricsSnapshot, histograms?: Histograms, run?: RunFigures): string {
  const agents = Object.keys(snapshot.agents).sort().map((id) => snapshot.agents[id]);
  return [
    ...agentFamilies(agents, histograms), ...globalFamilies(snapshot), ...sharedCacheFamilies(snapshot), ...runFamilies(run),
  ].map(render).join('');
}
