import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsCollector } from '../../src/core/metrics/collector';
import { formatMetrics, metricsFormatOf } from '../../src/core/metrics/export';
import { escapeLabelValue, toPrometheusText } from '../../src/core/metrics/prometheus';
import { FakeClock } from './helpers/fakeTime';

const T0 = 1_700_000_000_000;

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
  it('writes the exposition format 0.0.4: HELP, TYPE, counters, gauges, a summary with quantiles', () => {
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
      '# HELP maintenance_team_agent_duration_ms Duration of a run in milliseconds; quantiles over the last 100 runs.',
      '# TYPE maintenance_team_agent_duration_ms summary',
      'maintenance_team_agent_duration_ms{agent="hygiene",quantile="0.5"} NaN',
      'maintenance_team_agent_duration_ms{agent="hygiene",quantile="0.95"} NaN',
      'maintenance_team_agent_duration_ms_sum{agent="hygiene"} 0',
      'maintenance_team_agent_duration_ms_count{agent="hygiene"} 0',
      'maintenance_team_agent_duration_ms{agent="imports",quantile="0.5"} 10',
      'maintenance_team_agent_duration_ms{agent="imports",quantile="0.95"} 30.5',
      'maintenance_team_agent_duration_ms_sum{agent="imports"} 40.5',
      'maintenance_team_agent_duration_ms_count{agent="imports"} 2',
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
      'maintenance_team_shared_cache_lookup_ms{quantile="0.5"} 0.5', 'maintenance_team_shared_cache_lookup_ms{quantile="0.95"} 7',
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
