import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../src/core/config/schema';
import {
  AlertMonitor, alertThresholdsFromConfig, DEFAULT_ALERT_THRESHOLDS, type AlertChanges,
} from '../../src/core/metrics/alerts';
import { MetricsCollector } from '../../src/core/metrics/collector';
import { FakeClock } from './helpers/fakeTime';

const T0 = 1_700_000_000_000;
const MB = 1024 * 1024;

function setup(options: { minExecutions?: number } = {}) {
  const clock = new FakeClock(T0);
  const metrics = new MetricsCollector({ clock });
  const monitor = new AlertMonitor({}, options);
  const evaluate = () => monitor.evaluate(metrics.snapshot());
  const run = (agent: string, success: boolean, durationMs = 10) => metrics.record({ agent, durationMs, success });
  return { clock, metrics, monitor, evaluate, run };
}

/** `type agent` of each alert, for short assertions. */
function names(changes: AlertChanges): { raised: string[]; cleared: string[] } {
  const name = (a: { type: string; agent?: string }) => `${a.type} ${a.agent ?? '*'}`;
  return { raised: changes.raised.map(name), cleared: changes.cleared.map(name) };
}

describe('AlertMonitor: error rate', () => {
  it('is raised once while active, with its value kept current, and cleared when back under', () => {
    const { evaluate, run, monitor, clock } = setup();
    for (let i = 0; i < 5; i++) run('imports', i < 4); // 1 failure in 5 = 20 %
    const first = evaluate();
    assert.deepEqual(names(first), { raised: ['high-error-rate imports'], cleared: [] });
    assert.deepEqual(first.raised[0], {
      type: 'high-error-rate', agent: 'imports', value: 0.2, threshold: 0.15, since: T0,
      message: 'Agent imports failed on 20 % of its recent runs (threshold 15 %)',
    });
    clock.advance(1000);
    run('imports', false); // 2 in 6
    assert.deepEqual(names(evaluate()), { raised: [], cleared: [] });
    assert.equal(monitor.active()[0].value, 2 / 6);
    assert.equal(monitor.active()[0].message, 'Agent imports failed on 33.3 % of its recent runs (threshold 15 %)');
    assert.equal(monitor.active()[0].since, T0);

    for (let i = 0; i < 8; i++) run('imports', true); // 2 in 14 = 14.3 %
    const cleared = evaluate();
    assert.deepEqual(names(cleared), { raised: [], cleared: ['high-error-rate imports'] });
    assert.equal(cleared.cleared[0].value, 2 / 14);
    assert.deepEqual(monitor.active(), []);
    assert.deepEqual(names(evaluate()), { raised: [], cleared: [] });
  });

  it('is raised again, with a new `since`, when the rate goes back over', () => {
    const { evaluate, run, clock } = setup();
    for (let i = 0; i < 5; i++) run('imports', false);
    evaluate();
    for (let i = 0; i < 95; i++) run('imports', true);
    assert.equal(names(evaluate()).cleared.length, 1);
    clock.advance(5000);
    for (let i = 0; i < 20; i++) run('imports', false);
    const again = evaluate();
    assert.deepEqual(names(again).raised, ['high-error-rate imports']);
    assert.equal(again.raised[0].since, T0 + 5000);
  });

  it('needs 5 recent runs before judging: one failure out of one run is not "100 %"', () => {
    const { evaluate, run } = setup();
    run('imports', false);
    assert.deepEqual(names(evaluate()), { raised: [], cleared: [] });
    for (let i = 0; i < 3; i++) run('imports', false);
    assert.deepEqual(names(evaluate()).raised, []);
    run('imports', false);
    assert.deepEqual(names(evaluate()).raised, ['high-error-rate imports']);

    const custom = setup({ minExecutions: 1 });
    custom.run('imports', false);
    assert.deepEqual(names(custom.evaluate()).raised, ['high-error-rate imports']);
  });

  it('a rate exactly at the threshold is not over it', () => {
    const { evaluate, run, monitor } = setup();
    monitor.configure({ errorRate: 0.2 });
    for (let i = 0; i < 5; i++) run('imports', i > 0);
    assert.deepEqual(names(evaluate()).raised, []);
  });
});

describe('AlertMonitor: slow response and memory', () => {
  it("judges an agent's average over its recent runs against slowResponseMs", () => {
    const { evaluate, run, monitor } = setup();
    run('complexity', true, 900);
    run('complexity', true, 1100); // average 1000: not over
    assert.deepEqual(names(evaluate()).raised, []);
    run('complexity', true, 1300);
    const changes = evaluate();
    assert.deepEqual(names(changes).raised, ['slow-response complexity']);
    assert.equal(changes.raised[0].message, 'Agent complexity takes 1100 ms per file on average (threshold 1000 ms)');
    for (let i = 0; i < 100; i++) run('complexity', true, 50); // the slow runs leave the window
    assert.deepEqual(names(evaluate()).cleared, ['slow-response complexity']);
    assert.deepEqual(monitor.active(), []);
  });

  it("raises one engine-wide alert on the latest memory sample, in MB of 2^20 bytes", () => {
    const { evaluate, metrics } = setup();
    metrics.recordMemory(500 * MB);
    assert.deepEqual(names(evaluate()).raised, []);
    metrics.record({ agent: 'imports', durationMs: 1, success: true, memoryBytes: 612 * MB });
    const changes = evaluate();
    assert.deepEqual(changes.raised, [{
      type: 'high-memory', value: 612, threshold: 500, since: T0,
      message: 'The engine uses 612 MB of memory (threshold 500 MB)',
    }]);
    metrics.recordMemory(300 * MB);
    assert.deepEqual(names(evaluate()).cleared, ['high-memory *']);
  });
});

describe('AlertMonitor: life cycle', () => {
  it('lists the active alerts oldest first and clears those of agents gone from the metrics', () => {
    const { evaluate, run, metrics, monitor, clock } = setup();
    for (let i = 0; i < 5; i++) run('security', false);
    evaluate();
    clock.advance(1000);
    run('complexity', true, 5000);
    evaluate();
    assert.deepEqual(monitor.active().map((a) => `${a.type} ${a.agent}`), ['high-error-rate security', 'slow-response complexity']);
    metrics.reset();
    assert.deepEqual(names(evaluate()), { raised: [], cleared: ['high-error-rate security', 'slow-response complexity'] });
  });

  it('feeds the snapshot: the active alerts travel with it', () => {
    const { evaluate, run, metrics, monitor } = setup();
    for (let i = 0; i < 5; i++) run('security', false);
    evaluate();
    const snapshot = metrics.snapshot({ alerts: monitor.active() });
    assert.equal(snapshot.global.activeAlerts, 1);
    assert.equal(snapshot.alerts[0].type, 'high-error-rate');
  });

  it('reset forgets without reporting; thresholds come from the config', () => {
    const { evaluate, run, monitor } = setup();
    for (let i = 0; i < 5; i++) run('security', false);
    evaluate();
    monitor.reset();
    assert.deepEqual(monitor.active(), []);
    assert.deepEqual(names(evaluate()).raised, ['high-error-rate security']);

    assert.deepEqual(alertThresholdsFromConfig(defaultConfig().global.alerts), DEFAULT_ALERT_THRESHOLDS);
    assert.deepEqual(DEFAULT_ALERT_THRESHOLDS, { errorRate: 0.15, slowResponseMs: 1000, memoryMb: 500 });
    const custom = new AlertMonitor({ slowResponseMs: 50, memoryMb: undefined });
    assert.deepEqual(custom.thresholds, { errorRate: 0.15, slowResponseMs: 50, memoryMb: 500 });
  });
});
