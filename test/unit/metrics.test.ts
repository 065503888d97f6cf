import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RECENT_CAPACITY, MetricsCollector } from '../../src/core/metrics/collector';
import { mean, percentile } from '../../src/core/metrics/percentile';
import { TREND_HOUR_SLOT_MS, TREND_SLOT_MS } from '../../src/core/metrics/trendSlots';
import { RingBuffer, SlidingCounter } from '../../src/core/metrics/window';
import { FakeClock } from './helpers/fakeTime';

const MINUTE = 60_000;
const T0 = 1_700_000_000_000;

function setup() {
  const clock = new FakeClock(T0);
  return { clock, metrics: new MetricsCollector({ clock }) };
}

describe('percentile (nearest rank)', () => {
  it('gives the measured value at rank ⌈p/100 × n⌉', () => {
    const five = [50, 15, 40, 20, 35]; // unsorted on purpose
    assert.deepEqual([5, 30, 40, 50, 100].map((p) => percentile(five, p)), [15, 20, 20, 35, 50]);
    const ten = [3, 6, 7, 8, 8, 10, 13, 15, 16, 20];
    assert.deepEqual([25, 50, 75, 100].map((p) => percentile(ten, p)), [7, 8, 15, 20]);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual([1, 7, 50, 95, 99, 100].map((p) => percentile(hundred, p)), [1, 7, 50, 95, 99, 100]);
    assert.equal(percentile([42], 50), 42);
    assert.equal(percentile([42], 95), 42);
  });

  it('is NaN for no values and refuses p outside (0, 100]', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile([1], 0), RangeError);
    assert.throws(() => percentile([1], 101), RangeError);
    assert.equal(mean([1, 2, 6]), 3);
    assert.ok(Number.isNaN(mean([])));
  });
});

describe('RingBuffer and SlidingCounter', () => {
  it('the ring buffer keeps the last `capacity` items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    assert.deepEqual(ring.toArray(), []);
    for (let i = 1; i <= 7; i++) ring.push(i);
    assert.equal(ring.size, 3);
    assert.deepEqual(ring.toArray(), [5, 6, 7]);
    ring.clear();
    ring.push(9);
    assert.deepEqual(ring.toArray(), [9]);
    assert.throws(() => new RingBuffer(0), RangeError);
  });

  it('the sliding counter counts the last minute at one-second resolution, in bounded memory', () => {
    const counter = new SlidingCounter(MINUTE, 1000);
    for (const at of [0, 10_000, 30_000, 59_500, 59_900]) counter.add(at);
    assert.equal(counter.count(59_999), 5);
    assert.equal(counter.count(60_000), 4); // second 0 has left the window
    assert.equal(counter.count(70_000), 3);
    assert.equal(counter.count(118_999), 2);
    assert.equal(counter.count(119_000), 0); // 59.5 s old, but its second has left: at most one second early
    counter.add(200_000);
    counter.add(140_000); // older than what its slot now holds: ignored
    assert.equal(counter.count(200_000), 1);
    for (let i = 0; i < 10_000; i++) counter.add(200_000 + i);
    assert.equal(counter.count(210_000), 10_001);
  });
});

describe('MetricsCollector: per agent', () => {
  it('counts runs, successes, failures and durations', () => {
    const { clock, metrics } = setup();
    metrics.record({ agent: 'imports', durationMs: 20, success: true, memoryBytes: 50e6 });
    clock.advance(1000);
    metrics.record({ agent: 'imports', durationMs: 10, success: true });
    clock.advance(1000);
    metrics.record({ agent: 'imports', durationMs: 60, success: false, memoryBytes: 40e6 });
    const a = metrics.snapshot().agents.imports;
    assert.deepEqual(a, {
      agent: 'imports', executions: 3, successes: 2, failures: 1, errorRate: 1 / 3,
      totalDurationMs: 90, avgDurationMs: 30, minDurationMs: 10, maxDurationMs: 60,
      recentErrorRate: 1 / 3, recentAvgDurationMs: 30, p50DurationMs: 20, p95DurationMs: 60,
      recentDurationsMs: [20, 10, 60], throughputPerMinute: 3, lastRunAt: T0 + 2000,
      memoryBytes: 40e6, peakMemoryBytes: 50e6, cacheHits: 0, cacheMisses: 0, cacheHitRate: 0,
    });
  });

  it('keeps the last 100 durations; percentiles and recent figures follow them, totals do not', () => {
    const { metrics } = setup();
    for (let d = 1; d <= 150; d++) metrics.record({ agent: 'complexity', durationMs: d, success: d > 140 });
    const a = metrics.snapshot().agents.complexity;
    assert.equal(DEFAULT_RECENT_CAPACITY, 100);
    assert.deepEqual(a.recentDurationsMs, Array.from({ length: 100 }, (_, i) => i + 51));
    assert.equal(a.p50DurationMs, 100);
    assert.equal(a.p95DurationMs, 145);
    assert.equal(a.recentAvgDurationMs, 100.5);
    assert.equal(a.avgDurationMs, 75.5);
    assert.equal(a.minDurationMs, 1);
    assert.equal(a.maxDurationMs, 150);
    assert.equal(a.executions, 150);
    assert.equal(a.errorRate, 140 / 150);
    assert.equal(a.recentErrorRate, 0.9);
  });

  it('throughput counts the runs of the last minute by the clock', () => {
    const { clock, metrics } = setup();
    for (let i = 0; i < 4; i++) {
      metrics.record({ agent: 'hygiene', durationMs: 1, success: true });
      clock.advance(15_000);
    }
    // Runs at 0, 15, 30 and 45 s.
    clock.advance(-1);
    assert.equal(metrics.snapshot().agents.hygiene.throughputPerMinute, 4);
    clock.advance(1);
    assert.equal(metrics.snapshot().agents.hygiene.throughputPerMinute, 3);
    clock.advance(MINUTE);
    assert.equal(metrics.snapshot().agents.hygiene.throughputPerMinute, 0);
  });

  it('a cache hit is not a run; a miss is a run that looked in the cache first', () => {
    const { metrics } = setup();
    metrics.record({ agent: 'imports', durationMs: 0, success: true, fromCache: true });
    metrics.record({ agent: 'imports', durationMs: 5, success: true, fromCache: false });
    metrics.record({ agent: 'imports', durationMs: 5, success: true }); // cache not consulted
    metrics.recordCacheHit('imports');
    metrics.recordCacheHit('security');
    metrics.recordCacheMiss('security');
    const { agents, global } = metrics.snapshot();
    assert.deepEqual([agents.imports.executions, agents.imports.cacheHits, agents.imports.cacheMisses], [2, 2, 1]);
    assert.equal(agents.imports.cacheHitRate, 2 / 3);
    assert.deepEqual([agents.security.executions, agents.security.cacheHits, agents.security.cacheMisses], [0, 1, 1]);
    assert.deepEqual([global.cacheHits, global.cacheMisses, global.cacheHitRate], [3, 2, 0.6]);
  });

  it('a negative or non-numeric duration counts as 0 instead of poisoning the averages', () => {
    const { metrics } = setup();
    metrics.record({ agent: 'a', durationMs: -3, success: true });
    metrics.record({ agent: 'a', durationMs: NaN, success: true });
    const a = metrics.snapshot().agents.a;
    assert.deepEqual([a.totalDurationMs, a.minDurationMs, a.avgDurationMs], [0, 0, 0]);
  });
});

describe('MetricsCollector: global and snapshot', () => {
  it('sums the agents; an agent known only by its breaker shows with zeros; alerts are counted', () => {
    const { metrics } = setup();
    metrics.record({ agent: 'imports', durationMs: 5, success: true });
    metrics.record({ agent: 'security', durationMs: 5, success: false });
    metrics.record({ agent: 'security', durationMs: 5, success: true });
    metrics.recordMemory(123e6);
    const breakers = { structure: { state: 'open', consecutiveFailures: 5, openTimeoutMs: 60_000 } } as const;
    const alert = { type: 'high-memory', value: 600, threshold: 500, message: 'm', since: T0 } as const;
    const snapshot = metrics.snapshot({ breakers, alerts: [alert] });
    assert.deepEqual(Object.keys(snapshot.agents), ['imports', 'security', 'structure']);
    assert.deepEqual(snapshot.global, {
      executions: 3, successes: 2, failures: 1, successRate: 2 / 3, cacheHits: 0, cacheMisses: 0, cacheHitRate: 0,
      memoryBytes: 123e6, peakMemoryBytes: 123e6, activeAlerts: 1,
    });
    const structure = snapshot.agents.structure;
    assert.deepEqual(structure.breaker, breakers.structure);
    assert.deepEqual([structure.executions, structure.p50DurationMs, structure.minDurationMs, structure.lastRunAt], [0, 0, 0, null]);
    assert.equal(snapshot.agents.imports.breaker, undefined);
    assert.deepEqual(snapshot.alerts, [alert]);
    assert.equal(snapshot.takenAt, T0);
  });

  it('is plain data: JSON gives it back unchanged', () => {
    const { metrics } = setup();
    metrics.record({ agent: 'imports', durationMs: 1.25, success: true });
    metrics.recordCacheMiss('structure');
    const snapshot = metrics.snapshot();
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });

  it('reset forgets everything', () => {
    const { metrics } = setup();
    metrics.record({ agent: 'imports', durationMs: 5, success: true, memoryBytes: 1 });
    metrics.reset();
    const snapshot = metrics.snapshot();
    assert.deepEqual(snapshot.agents, {});
    assert.equal(snapshot.global.executions, 0);
    assert.equal(snapshot.global.successRate, 0);
    assert.equal(snapshot.global.memoryBytes, null);
  });
});

describe('MetricsCollector: persistence with retention', () => {
  const DAY = 24 * 60 * MINUTE;

  it('restores counters and recent samples, from the object or its JSON text', () => {
    const { clock, metrics } = setup();
    metrics.record({ agent: 'imports', durationMs: 10, success: true, fromCache: false, memoryBytes: 9e6 });
    metrics.record({ agent: 'imports', durationMs: 30, success: false });
    metrics.recordCacheHit('imports');
    const saved = metrics.toJSON();
    const before = metrics.snapshot().agents.imports;
    for (const data of [saved, JSON.stringify(saved)]) {
      const { collector, problem } = MetricsCollector.fromJSON(data, { retentionMs: DAY, clock });
      assert.equal(problem, undefined);
      // Memory describes the process that measured it: not carried over.
      assert.deepEqual(collector.snapshot().agents.imports, { ...before, memoryBytes: null, peakMemoryBytes: null });
    }
  });

  it('drops samples older than the retention, and agents idle for longer; keeps the rest', () => {
    const { clock, metrics } = setup();
    metrics.record({ agent: 'old', durationMs: 1, success: true });
    metrics.record({ agent: 'imports', durationMs: 100, success: false });
    clock.advance(2 * DAY);
    metrics.record({ agent: 'imports', durationMs: 7, success: true });
    metrics.record({ agent: 'imports', durationMs: 9, success: true });
    const saved = JSON.stringify(metrics.toJSON());
    clock.advance(12 * 60 * MINUTE);
    const { collector, problem } = MetricsCollector.fromJSON(saved, { retentionMs: DAY, clock });
    assert.equal(problem, undefined);
    const { agents } = collector.snapshot();
    assert.deepEqual(Object.keys(agents), ['imports']);
    assert.deepEqual(agents.imports.recentDurationsMs, [7, 9]);
    assert.equal(agents.imports.recentErrorRate, 0);
    assert.deepEqual([agents.imports.executions, agents.imports.failures, agents.imports.maxDurationMs], [3, 1, 100]);
    assert.equal(agents.imports.throughputPerMinute, 0);
  });

  it('saves runs and cache lookups in time slots, drops the slots older than the retention, and reads saves with only lookups', () => {
    const { clock, metrics } = setup();
    metrics.recordCacheHit('a');
    clock.advance(20 * 60 * MINUTE);
    metrics.record({ agent: 'a', durationMs: 1, success: true, fromCache: false });
    metrics.recordCacheMiss('a');
    const saved = metrics.toJSON();
    // The first lookup's 10-minute slot, 20 hours old, was added into its hour.
    const slotOf = (at: number, width: number) => Math.floor(at / width) * width;
    assert.deepEqual(saved.agents.a.slots?.map((s) => [s.start, s.width, s.runs, s.lookups, s.hits]), [
      [slotOf(T0, TREND_HOUR_SLOT_MS), TREND_HOUR_SLOT_MS, 0, 1, 1], [slotOf(T0 + 20 * 60 * MINUTE, TREND_SLOT_MS), TREND_SLOT_MS, 1, 2, 0],
    ]);
    clock.advance(6 * 60 * MINUTE);
    const { collector } = MetricsCollector.fromJSON(saved, { retentionMs: DAY, clock });
    assert.deepEqual(collector.toJSON().agents.a.slots?.map((s) => [s.runs, s.lookups, s.hits]), [[1, 2, 0]]);
    // A save from before the slots: its timed lookups are folded in.
    const older: Record<string, unknown> = { ...saved.agents.a, lookups: [{ at: clock.now() - MINUTE, hit: true }] };
    delete older.slots;
    const reloaded = MetricsCollector.fromJSON({ ...saved, agents: { a: older } }, { retentionMs: DAY, clock });
    assert.equal(reloaded.problem, undefined);
    assert.deepEqual(reloaded.collector.toJSON().agents.a.slots?.map((s) => [s.lookups, s.hits]), [[0, 0], [1, 1]]);
  });

  it('rebuilds the throughput of a reload within the minute', () => {
    const { clock, metrics } = setup();
    metrics.record({ agent: 'a', durationMs: 1, success: true });
    clock.advance(10_000);
    const { collector } = MetricsCollector.fromJSON(metrics.toJSON(), { retentionMs: DAY, clock });
    assert.equal(collector.snapshot().agents.a.throughputPerMinute, 1);
  });

  it('corrupt input gives an empty collector and the reason, never a throw', () => {
    const clock = new FakeClock(T0);
    const valid = (() => {
      const m = new MetricsCollector({ clock });
      m.record({ agent: 'a', durationMs: 1, success: true });
      return m.toJSON();
    })();
    const cases: [unknown, RegExp][] = [
      ['{"version": 1, "savedAt": ', /^not JSON: /],
      [null, /^the saved metrics: /],
      [42, /^the saved metrics: /],
      [[], /^unsupported format version undefined/],
      [{}, /^unsupported format version undefined \(expected 1\)$/],
      [{ ...valid, version: 2 }, /^unsupported format version 2 \(expected 1\)$/],
      [{ ...valid, agents: { a: { ...valid.agents.a, executions: -1 } } }, /^agents\.a\.executions: /],
      [{ ...valid, agents: { a: { ...valid.agents.a, executions: 5 } } }, /successes \+ failures must equal executions/],
      [{ ...valid, agents: { a: { ...valid.agents.a, samples: [{ at: 'x' }] } } }, /^agents\.a\.samples\.0\.at: /],
    ];
    for (const [data, reason] of cases) {
      const { collector, problem } = MetricsCollector.fromJSON(data, { retentionMs: 1000, clock });
      assert.match(problem ?? '', reason, JSON.stringify(data));
      assert.deepEqual(collector.snapshot().agents, {});
    }
  });
});
