import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './helpers/fakeTime';
import { mulberry32 } from './helpers/random';
import { assertNear } from './helpers/sketchAssert';
import { MetricsCollector } from '../../src/core/metrics/collector';
import { percentile } from '../../src/core/metrics/percentile';
import { parsePersistedMetrics } from '../../src/core/metrics/persistence';
import { SKETCH_MAX_BUCKET, SKETCH_MIN_MS, SketchCounts, sketchBucket } from '../../src/core/metrics/sketch';
import { detectTrends } from '../../src/core/metrics/trends';
import { foldIntoSlots, MAX_TREND_SLOTS, TREND_HOUR_SLOT_MS, TREND_SLOT_MS, TREND_SPAN_MS, TrendSlots } from '../../src/core/metrics/trendSlots';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('duration sketch', { timeout: 10_000 }, () => {
  it('reads every percentile within 5 % of the exact nearest-rank one, from 20 µs to 10 min (seeded)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = mulberry32(seed);
      // Log-uniform over 4.5 decades, and a cluster, as an agent's durations look.
      const durations = Array.from({ length: 2000 }, (_, i) => (i % 4 === 0 ? 40 + random() * 5 : 0.02 * 10 ** (random() * 7.5)));
      const sketch = new SketchCounts();
      for (const d of durations) sketch.add(d);
      assert.equal(sketch.total, durations.length);
      for (const p of [1, 50, 90, 95, 99, 100]) assertNear(sketch.percentile(p), percentile(durations, p), `seed ${seed} p${p}`);
    }
  });

  it('merges bucket by bucket: two sketches merged read as one of all the durations', () => {
    const [a, b, all] = [new SketchCounts(), new SketchCounts(), new SketchCounts()];
    for (let i = 1; i <= 300; i++) {
      (i % 3 === 0 ? a : b).add(i * 1.7);
      all.add(i * 1.7);
    }
    const merged = new SketchCounts();
    merged.merge(a.toSketch());
    merged.merge(b.toSketch());
    assert.deepEqual(merged.toSketch(), all.toSketch());
    assert.equal(merged.percentile(95), all.percentile(95));
  });

  it('puts zero, negative and non-finite durations in bucket 0 (read as 0) and caps very long ones', () => {
    for (const d of [0, -5, NaN, Infinity, SKETCH_MIN_MS]) assert.equal(sketchBucket(d), 0, String(d));
    assert.equal(sketchBucket(1e12), SKETCH_MAX_BUCKET);
    const sketch = new SketchCounts();
    sketch.add(0);
    assert.equal(sketch.percentile(50), 0);
    assert.ok(Number.isNaN(new SketchCounts().percentile(95)));
    assert.throws(() => sketch.percentile(0), RangeError);
  });
});

describe('trend slots', { timeout: 20_000 }, () => {
  it('keeps every run of the span: the last two hours in 10-minute slots, older ones by the hour, however many runs', () => {
    const slots = new TrendSlots();
    // Three weeks of audits of 300 files, every 20 minutes.
    for (let at = T0; at < T0 + 21 * DAY; at += 20 * MIN) {
      for (let file = 0; file < 300; file++) slots.addRun(at + file, 5 + (file % 40), file % 100 !== 0);
    }
    const kept = slots.toJSON();
    assert.ok(kept.length <= MAX_TREND_SLOTS, `${kept.length} slots`);
    const newest = kept.at(-1)!.start;
    assert.ok(kept[0].start + kept[0].width > newest - TREND_SPAN_MS && kept[0].start <= newest - TREND_SPAN_MS + HOUR, 'the span, no more');
    const hours = kept.filter((s) => s.width === TREND_HOUR_SLOT_MS);
    const fine = kept.filter((s) => s.width === TREND_SLOT_MS);
    assert.ok(fine.length <= 13 && fine.every((s) => s.start > newest - 2 * HOUR - TREND_SLOT_MS), `${fine.length} 10-minute slots`);
    assert.ok(fine.every((s) => s.runs === 300 && s.failures === 3));
    // Every full hour holds its three audits; the last one may still be partly in 10-minute slots.
    for (const hour of hours.slice(0, -1)) assert.deepEqual([hour.runs, hour.failures], [900, 9], `hour ${hour.start}`);
    for (const slot of kept) {
      assert.equal(slot.durations.reduce((n, [, c]) => n + c, 0), slot.runs);
      assert.ok(slot.durations.length <= 40, `${slot.durations.length} buckets`);
      assert.equal(slot.start % slot.width, 0);
    }
    assert.ok(kept.every((s, i) => i === 0 || s.start >= kept[i - 1].start), 'oldest first');
  });

  it('restores a save without the slots that ended before the span or start after now', () => {
    const now = T0 + 30 * DAY;
    const saved = foldIntoSlots([
      { at: now - 8 * DAY, durationMs: 5, success: true },
      { at: now - 2 * DAY, durationMs: 5, success: false },
      { at: now - MIN, durationMs: 7, success: true },
      { at: now + 2 * TREND_SLOT_MS, durationMs: 9, success: true },
    ], [{ at: now - MIN, hit: true }]);
    const restored = TrendSlots.restore(saved, now).toJSON();
    assert.deepEqual(restored.map((s) => [s.start, s.width, s.runs, s.failures, s.lookups, s.hits]), [
      [Math.floor((now - 2 * DAY) / HOUR) * HOUR, HOUR, 1, 1, 0, 0],
      [Math.floor((now - MIN) / TREND_SLOT_MS) * TREND_SLOT_MS, TREND_SLOT_MS, 1, 0, 1, 1],
    ]);
  });
});

describe('slots in the saved metrics', { timeout: 20_000 }, () => {
  const load = (data: unknown, clock = new FakeClock(T0)) => MetricsCollector.fromJSON(data, { retentionMs: 7 * DAY, clock });

  it('round-trips: a week of large audits saved and loaded judges the same trends', () => {
    const clock = new FakeClock(T0);
    const collector = new MetricsCollector({ clock });
    for (let hour = 0; hour < 7 * 24; hour++) {
      clock.advance(60 * MIN);
      const slow = hour >= 7 * 24 - 1;
      for (let file = 0; file < 200; file++) collector.record({ agent: 'imports', durationMs: slow ? 90 : 30, success: true, fromCache: false });
    }
    const before = detectTrends(collector.trendHistory(), clock.now());
    assert.deepEqual(before.map((t) => t.kind), ['slower']);
    const text = JSON.stringify(collector.toJSON());
    const after = load(text, clock);
    assert.equal(after.problem, undefined);
    assert.deepEqual(detectTrends(after.collector.trendHistory(), clock.now()), before);
    // A week of 200-file audits every hour, saved: some 24 KB (most of it the last 100 runs), not a run per file.
    assert.ok(text.length < 32 * 1024, `${text.length} bytes`);
  });

  it('reads a save from before the slots: its runs and lookups become the trends\' history', () => {
    const runs = [
      ...Array.from({ length: 30 }, (_, i) => ({ at: T0 - 2 * DAY + i * MIN, durationMs: 10, success: true })),
      ...Array.from({ length: 30 }, (_, i) => ({ at: T0 - 40 * MIN + i * 1000, durationMs: 50, success: true })),
    ];
    const agent = {
      executions: 60, successes: 60, failures: 0, totalDurationMs: 1800, minDurationMs: 10, maxDurationMs: 50,
      lastRunAt: T0 - MIN, lastSeenAt: T0 - MIN, cacheHits: 0, cacheMisses: 0, samples: runs, lookups: [],
    };
    const loaded = load({ version: 1, savedAt: T0 - MIN, agents: { imports: agent } });
    assert.equal(loaded.problem, undefined);
    assert.deepEqual(detectTrends(loaded.collector.trendHistory(), T0).map((t) => [t.agent, t.kind]), [['imports', 'slower']]);
  });

  it('refuses slots that do not add up, and more slots than the span holds, naming where', () => {
    const start = Math.floor(T0 / TREND_SLOT_MS) * TREND_SLOT_MS;
    const slot = { start, width: TREND_SLOT_MS, runs: 2, failures: 0, durations: [[10, 2]], lookups: 1, hits: 1 };
    const save = (slots: unknown[]) => ({ version: 1, savedAt: T0, agents: { imports: {
      executions: 0, successes: 0, failures: 0, totalDurationMs: 0, minDurationMs: 0, maxDurationMs: 0,
      lastRunAt: null, lastSeenAt: T0, cacheHits: 0, cacheMisses: 0, samples: [], slots,
    } } });
    assert.equal(parsePersistedMetrics(save([slot])).ok, true);
    const problem = (slots: unknown[]) => {
      const parsed = parsePersistedMetrics(save(slots));
      return parsed.ok ? 'accepted' : parsed.problem;
    };
    assert.match(problem([{ ...slot, runs: 3 }]), /^agents\.imports\.slots\.0: the durations must count every run/);
    assert.match(problem([{ ...slot, failures: 3 }]), /more failures than runs/);
    assert.match(problem([{ ...slot, hits: 2 }]), /hits than lookups/);
    assert.match(problem([{ ...slot, durations: [[10, 1], [10, 1]] }]), /buckets must ascend/);
    assert.match(problem([{ ...slot, durations: [[SKETCH_MAX_BUCKET + 1, 2]] }]), /slots\.0\.durations/);
    assert.match(problem([{ ...slot, start: start + 1 }]), /a slot must start at a multiple of its width/);
    assert.match(problem([{ ...slot, width: 5 * MIN }]), /slots\.0\.width/);
    assert.match(problem(Array.from({ length: MAX_TREND_SLOTS + 1 }, (_, i) => ({ ...slot, start: start + i * TREND_SLOT_MS }))), /slots/);
  });
});
