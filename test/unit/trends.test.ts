import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectTrends, trendChanges, trendKey, type TrendHistory } from '../../src/core/metrics/trends';
import { foldIntoSlots } from '../../src/core/metrics/trendSlots';
import { assertNear } from './helpers/sketchAssert';

interface TrendSample { readonly at: number; readonly durationMs: number; readonly success: boolean }
interface TrendLookup { readonly at: number; readonly hit: boolean }

const NOW = 1_700_000_000_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** `n` runs spread over the last hour (recent) or over days 1–6 before it (baseline). */
function runs(n: number, where: 'recent' | 'baseline', durationMs: number | ((i: number) => number), fail: (i: number) => boolean = () => false): TrendSample[] {
  return Array.from({ length: n }, (_, i) => ({
    at: where === 'recent' ? NOW - 50 * MIN + i * 1000 : NOW - 2 * HOUR - (i % 6) * DAY - i * 1000,
    durationMs: typeof durationMs === 'number' ? durationMs : durationMs(i),
    success: !fail(i),
  }));
}

function lookups(n: number, where: 'recent' | 'baseline', hits: number): TrendLookup[] {
  return runs(n, where, 0).map((s, i) => ({ at: s.at, hit: i < hits }));
}

/** The agent `imports` with these runs and lookups, in slots as the collector keeps them. */
const history = (samples: TrendSample[], cacheLookups?: TrendLookup[]): TrendHistory =>
  ({ agents: { imports: { slots: foldIntoSlots(samples, cacheLookups) } } });


describe('detectTrends', { timeout: 10_000 }, () => {
  it('finds an agent slower than twice its 7-day p95 (each within 5 %), with a message a person reads', () => {
    const trends = detectTrends(history([...runs(40, 'baseline', 320), ...runs(20, 'recent', 840)]), NOW);
    assert.equal(trends.length, 1);
    const [trend] = trends;
    assert.deepEqual([trend.agent, trend.kind], ['imports', 'slower']);
    assertNear(trend.recent, 840);
    assertNear(trend.baseline, 320);
    assertNear(trend.factor!, 840 / 320);
    assert.equal(trend.message, 'Agent imports is 2.7× slower than its 7-day level (p95 ≈ 860 ms vs 310 ms)');
    assert.equal(trendKey(trend), 'slower imports');
  });

  it('finds a failure ratio above 5 % and over twice the 7-day ratio', () => {
    const samples = [...runs(100, 'baseline', 10, (i) => i < 2), ...runs(20, 'recent', 10, (i) => i < 2)];
    const [trend, ...rest] = detectTrends(history(samples), NOW);
    assert.equal(rest.length, 0);
    assert.equal(trend.kind, 'failing-more');
    assert.equal(trend.recent, 0.1);
    assert.equal(trend.baseline, 0.02);
    assert.equal(trend.message, 'Agent imports fails more often: 10 % of its runs in the last hour vs 2.0 % over 7 days, 5.0×');
  });

  it('finds failures rising from none (no factor)', () => {
    const [trend] = detectTrends(history([...runs(30, 'baseline', 10), ...runs(20, 'recent', 10, (i) => i < 3)]), NOW);
    assert.equal(trend.kind, 'failing-more');
    assert.equal(trend.factor, null);
    assert.match(trend.message, /15 % of its runs in the last hour vs 0 % over 7 days$/);
  });

  it('finds the cache hit ratio under 70 % of its 7-day level', () => {
    const steady = [...runs(30, 'baseline', 10), ...runs(20, 'recent', 10)];
    const [trend, ...rest] = detectTrends(history(steady, [...lookups(40, 'baseline', 32), ...lookups(20, 'recent', 5)]), NOW);
    assert.equal(rest.length, 0);
    assert.deepEqual([trend.kind, trend.recent, trend.baseline], ['cache-falling', 0.25, 0.8]);
    assert.equal(trend.message, 'The cache serves agent imports less: 25 % of lookups in the last hour vs 80 % over 7 days');
  });

  it('finds nothing on a steady history', () => {
    const samples = [...runs(80, 'baseline', (i) => 100 + (i % 10) * 10, (i) => i % 25 === 0),
      ...runs(20, 'recent', (i) => 100 + (i % 10) * 10, (i) => i === 0)];
    assert.deepEqual(detectTrends(history(samples, [...lookups(40, 'baseline', 30), ...lookups(20, 'recent', 15)]), NOW), []);
  });

  it('finds nothing with too few runs in either window, or one slow run among enough', () => {
    assert.deepEqual(detectTrends(history([...runs(40, 'baseline', 100), ...runs(19, 'recent', 900, () => true)]), NOW), []);
    assert.deepEqual(detectTrends(history([...runs(19, 'baseline', 100), ...runs(40, 'recent', 900, () => true)]), NOW), []);
    assert.deepEqual(detectTrends(history([...runs(40, 'baseline', 100), ...runs(20, 'recent', (i) => (i === 0 ? 5000 : 100))]), NOW), []);
    assert.deepEqual(detectTrends(history(runs(40, 'recent', 100), [...lookups(19, 'baseline', 19), ...lookups(20, 'recent', 0)]), NOW), []);
    // minSamples is an option.
    assert.equal(detectTrends(history([...runs(5, 'baseline', 100), ...runs(5, 'recent', 900)]), NOW, { minSamples: 5 }).length, 1);
  });

  it('does not fire at the factors (under 2× as the sketches read it, 5 %, 70 %, a 20 % baseline)', () => {
    // Durations are judged within 5 %: 1.9× is not a trend, 2.4× is.
    assert.deepEqual(detectTrends(history([...runs(40, 'baseline', 100), ...runs(20, 'recent', 190)]), NOW), []);
    assert.equal(detectTrends(history([...runs(40, 'baseline', 100), ...runs(20, 'recent', 240)]), NOW).length, 1);
    // 5 % recent (1 in 20) with none before: not above 5 %.
    assert.deepEqual(detectTrends(history([...runs(40, 'baseline', 10), ...runs(20, 'recent', 10, (i) => i === 0)]), NOW), []);
    // 20 % recent, 10 % baseline: exactly 2×.
    assert.deepEqual(detectTrends(history([...runs(40, 'baseline', 10, (i) => i < 4), ...runs(20, 'recent', 10, (i) => i < 4)]), NOW), []);
    const steady = [...runs(30, 'baseline', 10), ...runs(20, 'recent', 10)];
    // 14 / 20 = 70 % of a 100 % baseline: not under.
    assert.deepEqual(detectTrends(history(steady, [...lookups(20, 'baseline', 20), ...lookups(20, 'recent', 14)]), NOW), []);
    // A 20 % baseline is not above 20 %.
    assert.deepEqual(detectTrends(history(steady, [...lookups(20, 'baseline', 4), ...lookups(20, 'recent', 0)]), NOW), []);
  });

  it('ignores runs older than the 7-day baseline and in the future', () => {
    const old = runs(40, 'baseline', 100).map((s) => ({ ...s, at: NOW - 8 * DAY - s.at % 1000 }));
    // Time is kept in 10-minute slots: a run in a later slot than now's is in the future.
    const future = runs(20, 'recent', 900).map((s) => ({ ...s, at: NOW + 15 * MIN }));
    assert.deepEqual(detectTrends(history([...old, ...runs(20, 'recent', 900)]), NOW), []);
    assert.deepEqual(detectTrends(history([...runs(40, 'baseline', 100), ...future]), NOW), []);
  });
});

describe('trendChanges', { timeout: 10_000 }, () => {
  it('raises a trend once while it stays active, and again after it cleared', () => {
    const slow = { agent: 'imports', kind: 'slower' as const, recent: 2, baseline: 1, factor: 2, message: 'm' };
    const failing = { ...slow, kind: 'failing-more' as const };
    let active: ReadonlySet<string> = new Set();
    const step = (trends: (typeof slow | typeof failing)[]) => {
      const changes = trendChanges(active, trends);
      active = changes.active;
      return changes.raised.map(trendKey);
    };
    assert.deepEqual(step([slow]), ['slower imports']);
    assert.deepEqual(step([slow]), []);
    assert.deepEqual(step([slow, failing]), ['failing-more imports']);
    assert.deepEqual(step([]), []);
    assert.deepEqual(step([slow]), ['slower imports']);
  });
});
