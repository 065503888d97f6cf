import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsCollector } from '../../src/core/metrics/collector';
import { DURATION_BUCKETS_SECONDS } from '../../src/core/metrics/durationHistogram';
import { formatMetrics, metricsFormatOf } from '../../src/core/metrics/export';
import { escapeLabelValue, runFiguresOf, toPrometheusText } from '../../src/core/metrics/prometheus';
import { FakeClock } from './helpers/fakeTime';
import { missingTool, promtool } from './helpers/promtool';

const T0 = 1_700_000_000_000;

/** The `_bucket` lines of one agent's duration histogram: cumulative counts per bound, then +Inf. */
function bucketLines(agent: string, cumulative: readonly number[], count: number): string[] {
  return [
    ...DURATION_BUCKETS_SECONDS.map((le, i) => `maintenance_team_agent_duration_seconds_bucket{agent="${agent}",le="${le}"} ${cumulative[i]}`),
    `maintenance_team_agent_duration_seconds_bucket{agent="${agent}",le="+Inf"} ${count}`,
  ];
}

/** Two agents: imports ran twice (one failure), hygiene was only served from the cache and has its breaker open. */
function smallSnapshot() {
  const metrics = new MetricsCollector({ clock: new FakeClock(T0) });
  metrics.record({ agent: 'imports', durationMs: 10, success: true, fromCache: false, memoryBytes: 2048 });
  metrics.record({ agent: 'imports', durationMs: 30.5, success: false, fromCache: false });
  metrics.recordCacheHit('hygiene');
  return metrics.snapshot({
    breakers: {
      hygiene: { state: 'open', consecutiveFailures: 5, openTimeoutMs: 60_000 },
      imports: { state: 'closed', consecutiveFailures: 1, openTimeoutMs: 60_000 },
    },
    alerts: [
      { type: 'high-memory', value: 600, threshold: 500, message: 'x', since: 1 },
      { type: 'slow-response', agent: 'imports', value: 2000, threshold: 1000, message: 'y', since: 2 },
    ],
  });
}

describe('toPrometheusText', () => {
  it('writes the exposition format 0.0.4: HELP, TYPE, counters, gauges, a duration histogram in seconds', () => {
    assert.equal(toPrometheusText(smallSnapshot()), [
      '# HELP maintenance_team_agent_executions_total Runs of the agent (results served from the cache are not runs).',
      '# TYPE maintenance_team_agent_executions_total counter',
      'maintenance_team_agent_executions_total{agent="hygiene"} 0',
      'maintenance_team_agent_executions_total{agent="imports"} 2',
      '# HELP maintenance_team_agent_successes_total Runs of the agent that succeeded.',
      '# TYPE maintenance_team_agent_successes_total counter',
      'maintenance_team_agent_successes_total{agent="hygiene"} 0',
      'maintenance_team_agent_successes_total{agent="imports"} 1',
      '# HELP maintenance_team_agent_failures_total Runs of the agent that failed (errors and timeouts).',
      '# TYPE maintenance_team_agent_failures_total counter',
      'maintenance_team_agent_failures_total{agent="hygiene"} 0',
      'maintenance_team_agent_failures_total{agent="imports"} 1',
      '# HELP maintenance_team_agent_duration_seconds Duration of a run of the agent in seconds.',
      '# TYPE maintenance_team_agent_duration_seconds histogram',
      ...bucketLines('hygiene', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0),
      'maintenance_team_agent_duration_seconds_sum{agent="hygiene"} 0',
      'maintenance_team_agent_duration_seconds_count{agent="hygiene"} 0',
      ...bucketLines('imports', [0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 2),
      'maintenance_team_agent_duration_seconds_sum{agent="imports"} 0.0405',
      'maintenance_team_agent_duration_seconds_count{agent="imports"} 2',
      '# HELP maintenance_team_agent_throughput_per_minute Runs of the agent in the last minute.',
      '# TYPE maintenance_team_agent_throughput_per_minute gauge',
      'maintenance_team_agent_throughput_per_minute{agent="hygiene"} 0',
      'maintenance_team_agent_throughput_per_minute{agent="imports"} 2',
      '# HELP maintenance_team_agent_last_run_timestamp_seconds When the agent last ran (Unix time).',
      '# TYPE maintenance_team_agent_last_run_timestamp_seconds gauge',
      'maintenance_team_agent_last_run_timestamp_seconds{agent="imports"} 1700000000',
      "# HELP maintenance_team_agent_memory_bytes Memory sample taken with the agent's last run.",
      '# TYPE maintenance_team_agent_memory_bytes gauge',
      'maintenance_team_agent_memory_bytes{agent="imports"} 2048',
      '# HELP maintenance_team_agent_cache_hits_total Results of the agent served from the cache.',
      '# TYPE maintenance_team_agent_cache_hits_total counter',
      'maintenance_team_agent_cache_hits_total{agent="hygiene"} 1',
      'maintenance_team_agent_cache_hits_total{agent="imports"} 0',
      '# HELP maintenance_team_agent_cache_misses_total Cache lookups for the agent that missed.',
      '# TYPE maintenance_team_agent_cache_misses_total counter',
      'maintenance_team_agent_cache_misses_total{agent="hygiene"} 0',
      'maintenance_team_agent_cache_misses_total{agent="imports"} 2',
      "# HELP maintenance_team_agent_breaker_state State of the agent's circuit breaker: 0 = closed, 1 = halfOpen, 2 = open.",
      '# TYPE maintenance_team_agent_breaker_state gauge',
      'maintenance_team_agent_breaker_state{agent="hygiene"} 2',
      'maintenance_team_agent_breaker_state{agent="imports"} 0',
      "# HELP maintenance_team_memory_bytes The engine's latest memory sample.",
      '# TYPE maintenance_team_memory_bytes gauge',
      'maintenance_team_memory_bytes 2048',
      '# HELP maintenance_team_active_alerts Alerts active now.',
      '# TYPE maintenance_team_active_alerts gauge',
      'maintenance_team_active_alerts 2',
      '# HELP maintenance_team_alert_active One series per active alert, by type and agent.',
      '# TYPE maintenance_team_alert_active gauge',
      'maintenance_team_alert_active{type="high-memory"} 1',
      'maintenance_team_alert_active{type="slow-response",agent="imports"} 1',
      '',
    ].join('\n'));
  });

  it('escapes backslash, double quote and line feed in label values', () => {
    assert.equal(escapeLabelValue('we"ird\\na\nme'), 'we\\"ird\\\\na\\nme');
    assert.equal(escapeLabelValue('plain-id_1'), 'plain-id_1');
    const metrics = new MetricsCollector({ clock: new FakeClock(T0) });
    metrics.record({ agent: 'a"b\\c\nd', durationMs: 1, success: true });
    const text = toPrometheusText(metrics.snapshot());
    assert.ok(text.includes('maintenance_team_agent_executions_total{agent="a\\"b\\\\c\\nd"} 1\n'), text);
    // The line feed in the id never splits a sample line.
    assert.ok(text.split('\n').every((line) => line === '' || line.startsWith('#') || line.startsWith('maintenance_team_')));
  });

  it('an empty snapshot has only the global series that always exist', () => {
    const metrics = new MetricsCollector({ clock: new FakeClock(T0) });
    assert.equal(toPrometheusText(metrics.snapshot()), [
      '# HELP maintenance_team_active_alerts Alerts active now.',
      '# TYPE maintenance_team_active_alerts gauge',
      'maintenance_team_active_alerts 0',
      '',
    ].join('\n'));
  });

  it("adds the run's findings by severity and its finish time when the CLI gives them", () => {
    const finding = (severity: 'error' | 'warning' | 'info') => ({ severity });
    const files = [{ findings: [finding('error'), finding('info'), finding('info')] }, { findings: [finding('warning')] }];
    const run = runFiguresOf({ files } as unknown as Parameters<typeof runFiguresOf>[0], T0 + 500);
    assert.deepEqual(run, { findingsBySeverity: { error: 1, warning: 1, info: 2, hint: 0 }, finishedAtSeconds: 1_700_000_000.5 });
    const metrics = new MetricsCollector({ clock: new FakeClock(T0) });
    assert.equal(toPrometheusText(metrics.snapshot(), undefined, run), [
      '# HELP maintenance_team_active_alerts Alerts active now.',
      '# TYPE maintenance_team_active_alerts gauge',
      'maintenance_team_active_alerts 0',
      '# HELP maintenance_team_findings Findings of the run by severity.',
      '# TYPE maintenance_team_findings gauge',
      'maintenance_team_findings{severity="error"} 1',
      'maintenance_team_findings{severity="warning"} 1',
      'maintenance_team_findings{severity="info"} 2',
      'maintenance_team_findings{severity="hint"} 0',
      '# HELP maintenance_team_last_run_timestamp_seconds When the run finished (Unix time).',
      '# TYPE maintenance_team_last_run_timestamp_seconds gauge',
      'maintenance_team_last_run_timestamp_seconds 1700000000.5',
      '',
    ].join('\n'));
  });

  it('adds the shared (Redis) cache series when the engine has the tier', () => {
    const metrics = new MetricsCollector({ clock: new FakeClock(T0) });
    const sharedCache = {
      location: 'redis://127.0.0.1:6379', hits: 90, misses: 10, errors: 2, invalid: 1, skipped: 0, writes: 10,
      droppedWrites: 3, latencyMs: { p50: 0.5, p95: 7 }, breaker: 'open',
    } as const;
    const text = toPrometheusText({ ...metrics.snapshot(), sharedCache });
    for (const line of [
      'maintenance_team_shared_cache_hits_total 90', 'maintenance_team_shared_cache_misses_total 10',
      'maintenance_team_shared_cache_errors_total 2', 'maintenance_team_shared_cache_invalid_total 1',
      'maintenance_team_shared_cache_writes_total 10', 'maintenance_team_shared_cache_dropped_writes_total 3',
      'maintenance_team_shared_cache_lookup_seconds{quantile="0.5"} 0.0005',
      'maintenance_team_shared_cache_lookup_seconds{quantile="0.95"} 0.007',
      'maintenance_team_shared_cache_breaker_state 2',
    ]) assert.ok(text.split('\n').includes(line), line);
    assert.ok(!toPrometheusText(metrics.snapshot()).includes('shared_cache'));
  });
});

describe('formatMetrics', () => {
  it('JSON is the snapshot itself; the file name picks the format', () => {
    const snapshot = smallSnapshot();
    const json = formatMetrics(snapshot, 'json');
    assert.ok(json.endsWith('}\n'));
    assert.deepEqual(JSON.parse(json), snapshot);
    assert.equal(formatMetrics(snapshot, 'prometheus'), toPrometheusText(snapshot));
    assert.equal(metricsFormatOf('out/metrics.JSON'), 'json');
    assert.equal(metricsFormatOf('metrics.prom'), 'prometheus');
    assert.equal(metricsFormatOf('metrics.txt'), 'prometheus');
  });
});

describe('Prometheus conventions', () => {
  it("the histogram covers every run the collector recorded, not only the recent window's 100", () => {
    const metrics = new MetricsCollector({ clock: new FakeClock(T0) });
    for (let i = 0; i < 150; i++) metrics.record({ agent: 'imports', durationMs: i < 120 ? 4 : 40_000, success: true });
    const text = toPrometheusText(metrics.snapshot(), metrics.durationHistograms());
    const lines = text.split('\n');
    assert.ok(lines.includes('maintenance_team_agent_duration_seconds_count{agent="imports"} 150'), text);
    assert.ok(lines.includes('maintenance_team_agent_duration_seconds_bucket{agent="imports",le="0.005"} 120'));
    assert.ok(lines.includes('maintenance_team_agent_duration_seconds_bucket{agent="imports",le="30"} 120'));
    assert.ok(lines.includes('maintenance_team_agent_duration_seconds_bucket{agent="imports",le="60"} 150'));
    assert.ok(lines.includes('maintenance_team_agent_duration_seconds_sum{agent="imports"} 1200.48'));
    // No precomputed quantile gauge, no millisecond unit left.
    assert.ok(!/quantile=|_ms[{ ]/.test(text.replace(/shared_cache_lookup_seconds\{quantile/g, '')), text);
  });

  it('passes `promtool check metrics` (names, units, _total counters, HELP/TYPE, escaping)', (t) => {
    const reason = missingTool('promtool', 'prometheus');
    if (reason) return t.skip(reason);
    const metrics = new MetricsCollector({ clock: new FakeClock(T0) });
    metrics.record({ agent: 'imports', durationMs: 12, success: true, fromCache: false, memoryBytes: 1 << 20 });
    metrics.record({ agent: 'we"ird\\id\nx', durationMs: 3, success: false, fromCache: false });
    metrics.recordCacheHit('hygiene');
    const snapshot = {
      ...metrics.snapshot({
        breakers: { hygiene: { state: 'open', consecutiveFailures: 5, openTimeoutMs: 60_000 } },
        alerts: [{ type: 'high-memory', value: 600, threshold: 500, message: 'x', since: 1 }],
      }),
      sharedCache: {
        location: 'redis://127.0.0.1:6379', hits: 1, misses: 1, errors: 0, invalid: 0, skipped: 0, writes: 1,
        droppedWrites: 0, latencyMs: { p50: 0.5, p95: 7 }, breaker: 'closed',
      },
    } as const;
    const run = { findingsBySeverity: { error: 1, warning: 0, info: 3, hint: 0 }, finishedAtSeconds: T0 / 1000 };
    const text = toPrometheusText(snapshot, metrics.durationHistograms(), run);
    assert.ok(text.includes('maintenance_team_findings{severity="info"} 3'), text);
    const checked = promtool(['check', 'metrics'], text);
    assert.equal(checked.status, 0, checked.output);
    assert.equal(checked.output.trim(), '', 'promtool lints nothing');
    // A deliberate offence is caught, so the check above is not vacuous.
    const offence = promtool(['check', 'metrics'], '# HELP x_ms d\n# TYPE x_ms counter\nx_ms 1\n');
    assert.notEqual(offence.status, 0, offence.output);
  });
});
