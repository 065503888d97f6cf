import type { BreakerState } from '../model';
import type { AgentMetrics, MetricsSnapshot } from './snapshot';

/**
 * A metrics snapshot in the Prometheus text exposition format, version 0.0.4
 * (`Content-Type: text/plain; version=0.0.4`), for "Export metrics" and `--metrics FILE`.
 *
 * Every series is prefixed `maintenance_team_`; per-agent series carry an `agent` label, agents in id order.
 * Counters end in `_total`. Durations keep the engine's unit, milliseconds (`_ms`), and the duration is a summary:
 * quantiles 0.5 and 0.95 (nearest rank) over the recent window, `_sum` and `_count` over every run, as Prometheus
 * client summaries do. The breaker state is one gauge per agent: 0 = closed, 1 = halfOpen, 2 = open (ordered by
 * how unavailable the agent is, so `max()` and `> 0` read naturally). Rates, min/max and the recent durations are
 * derivable or too detailed for a scrape; they are in the JSON export.
 */

/** The content type to serve the text with. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const PREFIX = 'maintenance_team_';

/** The breaker gauge's value of each state. */
export const BREAKER_STATE_VALUES: Readonly<Record<BreakerState, number>> = { closed: 0, halfOpen: 1, open: 2 };

type Labels = Readonly<Record<string, string>>;

interface Sample {
  /** Appended to the family name (`_sum`, `_count`). */
  readonly suffix?: string;
  readonly labels: Labels;
  readonly value: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'summary';
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

function durationSummary(agents: readonly AgentMetrics[]): Sample[] {
  return agents.flatMap((a) => {
    // A quantile of no runs is NaN, as in the Prometheus clients; the snapshot's 0 would read as "instant".
    const none = a.recentDurationsMs.length === 0;
    const labels = { agent: a.agent };
    return [
      { labels: { ...labels, quantile: '0.5' }, value: none ? NaN : a.p50DurationMs },
      { labels: { ...labels, quantile: '0.95' }, value: none ? NaN : a.p95DurationMs },
      { suffix: '_sum', labels, value: a.totalDurationMs },
      { suffix: '_count', labels, value: a.executions },
    ];
  });
}

const counter = (name: string, help: string, samples: Sample[]): Family => ({ name, help, type: 'counter', samples });
const gauge = (name: string, help: string, samples: Sample[]): Family => ({ name, help, type: 'gauge', samples });

function agentFamilies(agents: readonly AgentMetrics[]): Family[] {
  const breakerState = (a: AgentMetrics) => (a.breaker ? BREAKER_STATE_VALUES[a.breaker.state] : undefined);
  return [
    counter('agent_executions_total', 'Runs of the agent (results served from the cache are not runs).',
      perAgent(agents, (a) => a.executions)),
    counter('agent_successes_total', 'Runs of the agent that succeeded.', perAgent(agents, (a) => a.successes)),
    counter('agent_failures_total', 'Runs of the agent that failed (errors and timeouts).', perAgent(agents, (a) => a.failures)),
    {
      name: 'agent_duration_ms', type: 'summary', samples: durationSummary(agents),
      help: 'Duration of a run in milliseconds; quantiles over the last 100 runs.',
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
    gauge('shared_cache_lookup_ms', 'Latency of recent lookups in milliseconds, by quantile.', [
      { labels: { quantile: '0.5' }, value: asked ? tier.latencyMs.p50 : NaN },
      { labels: { quantile: '0.95' }, value: asked ? tier.latencyMs.p95 : NaN },
    ]),
    gauge('shared_cache_breaker_state', "State of the shared cache's circuit breaker: 0 = closed, 1 = halfOpen, 2 = open.",
      one(BREAKER_STATE_VALUES[tier.breaker])),
  ];
}

/** The snapshot in the Prometheus text format; families with no series are left out; ends with a line feed. */
export function toPrometheusText(snapshot: MetricsSnapshot): string {
  const agents = Object.keys(snapshot.agents).sort().map((id) => snapshot.agents[id]);
  return [...agentFamilies(agents), ...globalFamilies(snapshot), ...sharedCacheFamilies(snapshot)].map(render).join('');
}
