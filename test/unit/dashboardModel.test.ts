import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentMetrics, GlobalMetrics, MetricsSnapshot } from '../../src/core/metrics/snapshot';
import type { BreakerSnapshot } from '../../src/core/resilience/breaker';
import { appendHistory, cacheHitChart, durationChart, HISTORY_POINTS_KEPT, MIN_TIME_SPAN_S, timeAxisRange } from '../../src/shared/dashboardCharts';
import { formatCount, formatDuration, formatPercent } from '../../src/shared/dashboardFormat';
import {
  AGENT_TABLE_HEADERS, agentRows, breakerCell, buildView, DURATION_CHART_CAPTION, formatCountdown, healthOf, kpis, statusLine,
  trendBanner, workspaceScore, worstFiles,
} from '../../src/shared/dashboardModel';
import { MetricsCollector } from '../../src/core/metrics/collector';
import { detectTrends } from '../../src/core/metrics/trends';
import { foldIntoSlots } from '../../src/core/metrics/trendSlots';
import {
  colourDistance, contrastRatio, distinctPalette, MIN_COLOUR_DISTANCE, MIN_GRAPHIC_CONTRAST, parseColour,
} from '../../src/shared/chartColors';
import {
  isDashboardToHost, isPersistedState, type AuditProgress, type DashboardData, type HistoryPoint,
} from '../../src/shared/protocol';
import { createThrottle, type ThrottleTimers } from '../../src/shared/throttle';

const NOW = 1_700_000_000_000;

function agent(id: string, overrides: Partial<AgentMetrics> = {}): AgentMetrics {
  return {
    agent: id, executions: 100, successes: 100, failures: 0, errorRate: 0, totalDurationMs: 1200, avgDurationMs: 12,
    minDurationMs: 1, maxDurationMs: 40, recentErrorRate: 0, recentAvgDurationMs: 12, p50DurationMs: 10, p95DurationMs: 30,
    recentDurationsMs: [10, 12, 14], throughputPerMinute: 50, lastRunAt: NOW, memoryBytes: null, peakMemoryBytes: null,
    cacheHits: 0, cacheMisses: 100, cacheHitRate: 0, breaker: { state: 'closed', consecutiveFailures: 0, openTimeoutMs: 60_000 },
    ...overrides,
  };
}

function snapshot(agents: AgentMetrics[], global: Partial<GlobalMetrics> = {}, alerts: MetricsSnapshot['alerts'] = []): MetricsSnapshot {
  return {
    takenAt: NOW,
    global: {
      executions: 200, successes: 190, failures: 10, successRate: 0.95, cacheHits: 30, cacheMisses: 70, cacheHitRate: 0.3,
      memoryBytes: null, peakMemoryBytes: null, activeAlerts: alerts.length, ...global,
    },
    agents: Object.fromEntries(agents.map((a) => [a.agent, a])),
    alerts,
  };
}

function data(overrides: Partial<DashboardData> = {}): DashboardData {
  return {
    audit: { kind: 'idle' }, counts: { error: 1, warning: 2, info: 3, hint: 0 }, filesAudited: 12, score: 87, grade: 'B',
    worstFiles: [], history: [], restored: false, ...overrides,
  };
}

const open = (openUntil: number): BreakerSnapshot => ({
  state: 'open', consecutiveFailures: 5, openTimeoutMs: 60_000, openUntil, retryInMs: openUntil - NOW,
});

describe('agent health follows the seeds: green < 5 %, amber < 15 %, red from 15 %', () => {
  it('puts the thresholds where the seeds do', () => {
    assert.equal(healthOf(0, 10), 'green');
    assert.equal(healthOf(0.0499, 10), 'green');
    assert.equal(healthOf(0.05, 10), 'amber');
    assert.equal(healthOf(0.1499, 10), 'amber');
    assert.equal(healthOf(0.15, 10), 'red');
    assert.equal(healthOf(1, 10), 'red');
  });

  it('has no colour before the first run', () => {
    assert.equal(healthOf(0, 0), 'none');
  });

  it('judges an agent by its recent runs, so it recovers; by every run when the window is empty', () => {
    const recovered = agent('imports', { errorRate: 0.4, recentErrorRate: 0.01 });
    assert.equal(agentRows(snapshot([recovered]), NOW)[0].health, 'green');
    const restored = agent('imports', { errorRate: 0.1, recentErrorRate: 0, recentDurationsMs: [] });
    const row = agentRows(snapshot([restored]), NOW)[0];
    assert.equal(row.health, 'amber');
    assert.equal(row.errorRate, '10 %');
  });
});

describe('breaker column', () => {
  it('counts down to an open breaker\'s probe, rounding up, minutes as m:ss', () => {
    assert.equal(breakerCell(open(NOW + 42_000), NOW).label, 'open · probe in 42 s');
    assert.equal(breakerCell(open(NOW + 41_001), NOW).label, 'open · probe in 42 s');
    assert.equal(breakerCell(open(NOW + 245_000), NOW).label, 'open · probe in 4:05');
    assert.equal(breakerCell(open(NOW + 42_000), NOW + 40_000).label, 'open · probe in 2 s');
    assert.equal(breakerCell(open(NOW + 42_000), NOW + 42_000).label, 'open · next run probes');
    assert.deepEqual([59_000, 60_000, 61_000].map(formatCountdown), ['59 s', '1:00', '1:01']);
  });

  it('uses retryInMs when the snapshot has no openUntil', () => {
    const breaker: BreakerSnapshot = { state: 'open', consecutiveFailures: 5, openTimeoutMs: 60_000, retryInMs: 9_000 };
    assert.equal(breakerCell(breaker, NOW).label, 'open · probe in 9 s');
  });

  it('offers a reset for open and half-open breakers only', () => {
    assert.equal(breakerCell(open(NOW + 1000), NOW).resettable, true);
    assert.deepEqual(breakerCell({ state: 'halfOpen', consecutiveFailures: 5, openTimeoutMs: 60_000 }, NOW),
      { state: 'halfOpen', label: 'half-open · next run probes', resettable: true });
    assert.deepEqual(breakerCell({ state: 'closed', consecutiveFailures: 0, openTimeoutMs: 60_000 }, NOW),
      { state: 'closed', label: 'closed', resettable: false });
    assert.deepEqual(breakerCell(undefined, NOW), { state: 'unknown', label: 'not used yet', resettable: false });
  });
});

describe('agent rows', () => {
  it('gives one row per agent in the snapshot\'s order, with formatted figures', () => {
    const rows = agentRows(snapshot([
      agent('complexity', {
        executions: 5000, successes: 4900, failures: 100, avgDurationMs: 9, recentAvgDurationMs: 1534, p95DurationMs: 2400, throughputPerMinute: 2.5,
      }),
      agent('faulty:throw', { executions: 20, successes: 0, failures: 20, errorRate: 1, recentErrorRate: 1, breaker: open(NOW + 30_000) }),
    ]), NOW);
    assert.deepEqual(rows.map((r) => r.agent), ['complexity', 'faulty:throw']);
    assert.deepEqual(
      { ...rows[0], breaker: undefined },
      {
        agent: 'complexity', health: 'green', healthLabel: 'healthy', errorRate: '0 %', executions: '5,000', successRate: '98 %',
        avgDuration: '1.5 s', p95Duration: '2.4 s', throughput: '2.5 files/min', breaker: undefined,
      });
    assert.equal(rows[1].health, 'red');
    assert.equal(rows[1].healthLabel, 'failing');
    assert.equal(rows[1].successRate, '0 %');
    assert.equal(rows[1].breaker.label, 'open · probe in 30 s');
  });

  it('shows dashes for an agent that never ran, and nothing without a snapshot', () => {
    const [row] = agentRows(snapshot([agent('security', {
      executions: 0, successes: 0, recentDurationsMs: [], avgDurationMs: 0, throughputPerMinute: 0, breaker: undefined,
    })]), NOW);
    assert.deepEqual([row.health, row.errorRate, row.successRate, row.avgDuration, row.p95Duration], ['none', '—', '—', '—', '—']);
    assert.deepEqual(agentRows(undefined, NOW), []);
  });
});

describe('#11 every figure says its unit and its window', () => {
  it('the table headers name the window of each figure; average and p95 cover the same one', () => {
    assert.deepEqual(AGENT_TABLE_HEADERS, [
      'Agent', 'Health', 'Error rate (last 100 runs)', 'Runs (total)', 'Success (all runs)', 'Avg (last 100 runs)',
      'p95 (last 100 runs)', 'Throughput (last minute)', 'Circuit breaker', 'Action',
    ]);
    assert.match(DURATION_CHART_CAPTION, /\(ms\).*p50.*p95.*last 100 runs/);
  });

  it('a slow start of the session does not put the average above the p95 of recent runs', () => {
    let now = NOW;
    const collector = new MetricsCollector({ clock: { now: () => now } });
    for (let i = 0; i < 50; i++) collector.record({ agent: 'hygiene', durationMs: 400, success: true });
    for (let i = 0; i < 100; i++) {
      now += 10;
      collector.record({ agent: 'hygiene', durationMs: 2 + (i % 3), success: true });
    }
    const [row] = agentRows(collector.snapshot(), now);
    assert.deepEqual([row.avgDuration, row.p95Duration], ['3 ms', '4 ms']);
  });

  it('throughput counts files a minute, singular for one', () => {
    const rows = agentRows(snapshot([agent('a', { throughputPerMinute: 1 }), agent('b', { throughputPerMinute: 1250 })]), NOW);
    assert.deepEqual(rows.map((r) => r.throughput), ['1 file/min', '1,250 files/min']);
  });

  it('the headline figures say what they cover', () => {
    const labels = kpis(data({ snapshot: snapshot([agent('a')]) }), NOW).map((k) => k.label);
    assert.deepEqual(labels, [
      'Files audited', 'Findings', 'Workspace score (0–100)', 'Success rate (all runs)', 'Cache hit rate (all lookups)',
      'Audit duration', 'Active alerts',
    ]);
  });
});

describe('#11 series colours: distinct from each other and from the background, in light and dark themes', () => {
  // The theme's values of the webview's candidates (chart colours, terminal cyan and magenta, chart foreground).
  const THEMES = {
    'Light+': { background: '#ffffff', colours: ['#1a85ff', '#e51400', '#388a34', '#652d90', '#d18616', '#bf8803', '#0598bc', '#bc05bc', '#616161'] },
    'Dark Modern': { background: '#1f1f1f', colours: ['#3794ff', '#f14c4c', '#89d185', '#b180d7', '#d18616', '#cca700', '#11a8cd', '#bc3fbc', '#cccccc'] },
    'High Contrast': { background: '#000000', colours: ['#3794ff', '#f14c4c', '#89d185', '#b180d7', '#d18616', '#cca700', '#00ffff', '#ff00ff', '#ffffff'] },
  };

  for (const [theme, { background, colours }] of Object.entries(THEMES)) {
    it(`${theme}: enough colours for every agent, each far from the others and readable on the background`, () => {
      const palette = distinctPalette(colours, background).map((c) => parseColour(c)!);
      assert.ok(palette.length >= 7, `${palette.length} colours`);
      for (const [i, a] of palette.entries()) {
        assert.ok(contrastRatio(a, parseColour(background)!) >= MIN_GRAPHIC_CONTRAST, `colour ${i} on ${background}`);
        for (const b of palette.slice(i + 1)) assert.ok(colourDistance(a, b) >= MIN_COLOUR_DISTANCE);
      }
    });
  }

  it('Light+\'s orange and yellow, nearly the same, are not both used', () => {
    assert.ok(colourDistance(parseColour('#d18616')!, parseColour('#bf8803')!) < MIN_COLOUR_DISTANCE);
    const palette = distinctPalette(THEMES['Light+'].colours, '#ffffff');
    const orangeOrYellow = palette.filter((c) => colourDistance(parseColour(c)!, parseColour('#c88710')!) < MIN_COLOUR_DISTANCE);
    assert.equal(orangeOrYellow.length, 1, palette.join(' '));
  });

  it('reads the forms CSS variables hold, and skips what it cannot read', () => {
    assert.deepEqual(['#abc', '#aabbcc80', 'rgb(1, 2, 3)', 'rgba(1,2,3,0.5)', ' #0A0B0C '].map(parseColour),
      [{ r: 170, g: 187, b: 204 }, { r: 170, g: 187, b: 204 }, { r: 1, g: 2, b: 3 }, { r: 1, g: 2, b: 3 }, { r: 10, g: 11, b: 12 }]);
    assert.deepEqual(distinctPalette(['', 'red', 'var(--x)'], '#ffffff', '#616161'), ['#616161']);
  });
});

describe('headline figures', () => {
  const byId = (list: ReturnType<typeof kpis>) => Object.fromEntries(list.map((k) => [k.id, k]));

  it('sums up files, findings, score, success, cache, duration and alerts', () => {
    const alert = { type: 'high-error-rate', agent: 'x', value: 1, threshold: 0.15, message: 'x fails 100 %', since: NOW } as const;
    const audit: AuditProgress = {
      kind: 'done', files: 12, skipped: 1, durationMs: 2340, cancelled: false, cacheHits: 3, cacheLookups: 10,
    };
    const k = byId(kpis(data({ audit, snapshot: snapshot([agent('a')], {}, [alert]) }), NOW));
    assert.deepEqual([k.files.value, k.files.detail], ['12', '1 skipped']);
    assert.deepEqual([k.findings.value, k.findings.detail, k.findings.tone], ['6', '1 error · 2 warnings · 3 info · 0 hints', 'bad']);
    assert.deepEqual([k.score.value, k.score.tone], ['87 (B)', 'ok']);
    assert.deepEqual([k.successRate.value, k.successRate.detail, k.successRate.tone], ['95 %', '200 runs, 10 failed', 'warn']);
    assert.deepEqual([k.cacheHitRate.value, k.cacheHitRate.detail], ['30 %', '30 of 100 results from the cache']);
    assert.deepEqual([k.duration.value, k.duration.detail], ['2.3 s', 'last audit']);
    assert.deepEqual([k.alerts.value, k.alerts.detail, k.alerts.tone], ['1', 'x fails 100 %', 'bad']);
  });

  it('counts a running audit\'s progress and time, and says when there is nothing yet', () => {
    const running: AuditProgress = { kind: 'running', done: 1200, total: 5000, startedAt: NOW - 3_500 };
    const k = byId(kpis(data({ audit: running }), NOW));
    assert.equal(k.files.detail, '1,200 of 5,000 in this audit');
    assert.deepEqual([k.duration.value, k.duration.detail], ['3.5 s', 'running']);
    assert.deepEqual([k.successRate.value, k.successRate.detail], ['—', 'no metrics yet']);
    assert.deepEqual([k.cacheHitRate.value, k.alerts.value, k.alerts.tone], ['—', '0', 'ok']);
  });

  it('shows the shared Redis tier only when the engine has one, with its latency, errors and breaker', () => {
    assert.equal(byId(kpis(data({ snapshot: snapshot([agent('a')]) }), NOW)).sharedCache, undefined);
    const tier = {
      location: 'redis://127.0.0.1:6379', hits: 90, misses: 10, errors: 0, invalid: 0, skipped: 0, writes: 10,
      droppedWrites: 0, latencyMs: { p50: 0.6, p95: 7.2 }, breaker: 'closed',
    } as const;
    const up = byId(kpis(data({ snapshot: { ...snapshot([agent('a')]), sharedCache: tier } }), NOW)).sharedCache;
    assert.deepEqual([up.value, up.detail, up.tone], ['90 %', '90 of 100 results · p50 0.6 ms, p95 7.2 ms · connected', 'ok']);
    const down = byId(kpis(data({ snapshot: { ...snapshot([agent('a')]), sharedCache: { ...tier, errors: 3, breaker: 'open' } } }), NOW)).sharedCache;
    assert.deepEqual([down.detail, down.tone], ['90 of 100 results · p50 0.6 ms, p95 7.2 ms · 3 errors · breaker open: local tiers only', 'bad']);
  });
});

describe('status line', () => {
  it('follows the audit', () => {
    assert.equal(statusLine(data({ audit: { kind: 'running', done: 250, total: 5000, startedAt: NOW } })),
      'Auditing: 250 of 5,000 files (5 %)');
    assert.equal(statusLine(data({
      audit: { kind: 'done', files: 1, skipped: 0, durationMs: 80, cancelled: true, cacheHits: 0, cacheLookups: 0 },
    })), 'Last audit: 1 file in 80 ms (cancelled)');
    assert.equal(statusLine(data({ audit: { kind: 'failed', message: 'boom' } })), 'The last audit failed: boom');
    assert.equal(statusLine(data()), 'No whole-workspace audit in this session yet.');
  });

  it('says when the figures are from before a reload, until an audit runs', () => {
    assert.match(statusLine(data({ restored: true })), /before the window reload/);
    assert.match(statusLine(data({ restored: true, audit: { kind: 'running', done: 0, total: 9, startedAt: NOW } })), /^Auditing/);
  });
});

describe('view', () => {
  it('ticks while a breaker counts down or an audit runs, and shows progress', () => {
    assert.equal(buildView(data({ snapshot: snapshot([agent('a')]) }), NOW).ticking, false);
    assert.equal(buildView(data({ snapshot: snapshot([agent('a', { breaker: open(NOW + 5000) })]) }), NOW).ticking, true);
    const view = buildView(data({ audit: { kind: 'running', done: 25, total: 100, startedAt: NOW } }), NOW);
    assert.deepEqual([view.ticking, view.running, view.progressPercent], [true, true, 25]);
  });
});

describe('trends banner', () => {
  const runs = (n: number, start: number, durationMs: number, fail = false): { at: number; durationMs: number; success: boolean }[] =>
    Array.from({ length: n }, (_, i) => ({ at: start + i * 1000, durationMs, success: !fail }));
  const history = {
    agents: {
      imports: { slots: foldIntoSlots([...runs(40, NOW - 3 * 3_600_000, 320), ...runs(20, NOW - 1_800_000, 840)]) },
      tests: { slots: foldIntoSlots([...runs(40, NOW - 3 * 3_600_000, 10), ...runs(20, NOW - 1_800_000, 10, true)]) },
      lint: { slots: foldIntoSlots([...runs(40, NOW - 3 * 3_600_000, 10), ...runs(20, NOW - 1_800_000, 10)]) },
    },
  };

  it('is hidden while no trend is active', () => {
    assert.equal(buildView(data(), NOW).trends, undefined);
    assert.equal(buildView(data({ snapshot: snapshot([agent('a')]) }), NOW).trends, undefined);
    assert.equal(trendBanner({ ...snapshot([agent('a')]), trends: [] }), undefined);
  });

  it('names the degrading agents and says each trend in words, also on figures restored after a reload', () => {
    const trends = detectTrends(history, NOW);
    const expected = {
      title: 'Agents degrading over the last hour: imports, tests',
      items: [
        'Agent imports is 2.7× slower than its 7-day level (p95 ≈ 860 ms vs 310 ms)',
        'Agent tests fails more often: 100 % of its runs in the last hour vs 0 % over 7 days',
      ],
    };
    assert.deepEqual(buildView(data({ snapshot: { ...snapshot([agent('imports')]), trends } }), NOW).trends, expected);
    assert.deepEqual(buildView(data({ restored: true, snapshot: { ...snapshot([]), trends } }), NOW).trends, expected);
    const one = trendBanner({ ...snapshot([]), trends: trends.slice(0, 1) });
    assert.equal(one?.title, 'Agent degrading over the last hour: imports');
  });
});

describe('workspace score and worst files', () => {
  it('scores the mean of the files, rounded; 100 with no file', () => {
    assert.deepEqual(workspaceScore([100, 90, 55]), { score: 82, grade: 'B' });
    assert.deepEqual(workspaceScore([]), { score: 100, grade: 'A' });
    assert.deepEqual(workspaceScore([59]), { score: 59, grade: 'F' });
  });

  it('lists the lowest scores first, then the most findings, leaving perfect files out', () => {
    const files = [
      { uri: 'file:///b.ts', score: 70, findings: 3 }, { uri: 'file:///a.ts', score: 100, findings: 0 },
      { uri: 'file:///c.ts', score: 70, findings: 9 }, { uri: 'file:///d.ts', score: 20, findings: 1 },
      { uri: 'file:///e.ts', score: 70, findings: 3 },
    ];
    assert.deepEqual(worstFiles(files).map((f) => f.uri), ['file:///d.ts', 'file:///c.ts', 'file:///b.ts', 'file:///e.ts']);
    assert.equal(worstFiles(files, 2).length, 2);
  });

  it('keeps 5,000 files cheap: only the worst are returned', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ uri: `file:///f${i}.ts`, score: i % 100, findings: 1 }));
    const worst = worstFiles(many);
    assert.equal(worst.length, 10);
    assert.ok(worst.every((f) => f.score === 0));
  });
});

describe('charts', () => {
  it('#11 draws each agent\'s rolling p50 (solid) and p95 (dashed) over time, from the history, x in seconds', () => {
    const point = (at: number, agents?: HistoryPoint['agents']): HistoryPoint => ({
      at: NOW + at, cacheHits: 0, cacheMisses: at, executions: at, failures: 0, ...(agents ? { agents } : {}),
    });
    const chart = durationChart([
      point(0),
      point(1000, { b: { p50DurationMs: 2, p95DurationMs: 8 } }),
      point(2000, { a: { p50DurationMs: 1, p95DurationMs: 3 }, b: { p50DurationMs: 2.5, p95DurationMs: 9 } }),
    ]);
    assert.deepEqual(chart.x, [NOW / 1000, NOW / 1000 + 1, NOW / 1000 + 2]);
    assert.deepEqual(chart.series, [
      { label: 'a p50', values: [null, null, 1], group: 'a' },
      { label: 'a p95', values: [null, null, 3], group: 'a', dashed: true },
      { label: 'b p50', values: [null, 2, 2.5], group: 'b' },
      { label: 'b p95', values: [null, 8, 9], group: 'b', dashed: true },
    ]);
    assert.deepEqual(durationChart([]), { x: [], series: [] });
    assert.deepEqual(durationChart([point(0), point(1000)]), { x: [], series: [] }, 'points without percentiles (an older version\'s)');
  });

  it('#11 a history point keeps each agent\'s window percentiles (agents that never ran left out)', () => {
    const [point] = appendHistory([], snapshot([
      agent('a', { p50DurationMs: 4, p95DurationMs: 20 }), agent('idle', { recentDurationsMs: [] }),
    ]));
    assert.deepEqual(point.agents, { a: { p50DurationMs: 4, p95DurationMs: 20 } });
  });

  it('keeps a history point per metrics message that counted something, the oldest dropped', () => {
    let history: HistoryPoint[] = [];
    history = appendHistory(history, snapshot([], { cacheHits: 0, cacheMisses: 10 }));
    history = appendHistory(history, snapshot([], { cacheHits: 0, cacheMisses: 10 }));
    assert.equal(history.length, 1);
    for (let i = 1; i <= HISTORY_POINTS_KEPT + 5; i++) history = appendHistory(history, snapshot([], { cacheHits: i, cacheMisses: 10 }));
    assert.equal(history.length, HISTORY_POINTS_KEPT);
    assert.equal(history.at(-1)!.cacheHits, HISTORY_POINTS_KEPT + 5);
  });

  it('draws the hit rate per interval and overall, in percent, x in seconds; no lookup or a reset is a gap', () => {
    const point = (at: number, cacheHits: number, cacheMisses: number): HistoryPoint => ({
      at: NOW + at, cacheHits, cacheMisses, executions: 0, failures: 0,
    });
    const chart = cacheHitChart([point(0, 0, 10), point(1000, 9, 11), point(2000, 9, 11), point(3000, 1, 1)]);
    assert.deepEqual(chart.x, [NOW / 1000, NOW / 1000 + 1, NOW / 1000 + 2, NOW / 1000 + 3]);
    assert.deepEqual(chart.series[0].values, [null, 90, null, null]);
    assert.deepEqual(chart.series[1].values, [0, 45, 45, 50]);
  });

  it('shows one audit\'s point in a two-minute window, not a span of years; a longer history keeps its own span', () => {
    const t = NOW / 1000;
    assert.deepEqual(timeAxisRange(t, t), [t - MIN_TIME_SPAN_S / 2, t + MIN_TIME_SPAN_S / 2]);
    assert.deepEqual(timeAxisRange(t, t + 10), [t + 5 - MIN_TIME_SPAN_S / 2, t + 5 + MIN_TIME_SPAN_S / 2]);
    assert.deepEqual(timeAxisRange(t, t + 3600), [t, t + 3600]);
  });
});

describe('formats', () => {
  it('writes counts, percentages and durations', () => {
    assert.deepEqual([formatCount(5000), formatCount(2.25), formatCount(0)], ['5,000', '2.3', '0']);
    assert.deepEqual([0, 0.045, 0.05, 0.149, 0.5, 1].map(formatPercent), ['0 %', '4.5 %', '5 %', '15 %', '50 %', '100 %']);
    // Never rounded onto the ends: 6 failures in 3,662 runs are not a 100 % success rate.
    assert.deepEqual([3656 / 3662, 0.9999, 0.0004].map(formatPercent), ['99.8 %', '> 99.9 %', '< 0.1 %']);
    assert.deepEqual([0, 0.042, 0.42, 3.46, 12.4, 999, 1534, 59_940, 125_000].map(formatDuration),
      ['0 ms', '0.04 ms', '0.4 ms', '3.5 ms', '12 ms', '999 ms', '1.5 s', '59.9 s', '2 min 05 s']);
  });
});

describe('throttle: at most one run per interval', () => {
  function fakeTimers() {
    let now = 0;
    const queue: { at: number; run: () => void; id: number }[] = [];
    let nextId = 1;
    const timers: ThrottleTimers = {
      now: () => now,
      setTimeout: (run, ms) => { const id = nextId++; queue.push({ at: now + ms, run, id }); return id; },
      clearTimeout: (id) => { const i = queue.findIndex((t) => t.id === id); if (i >= 0) queue.splice(i, 1); },
    };
    const advance = (ms: number) => {
      const end = now + ms;
      for (;;) {
        queue.sort((a, b) => a.at - b.at);
        const next = queue[0];
        if (!next || next.at > end) break;
        queue.shift();
        now = next.at;
        next.run();
      }
      now = end;
    };
    return { timers, advance };
  }

  it('runs the first request at once and folds a burst into one trailing run', () => {
    const { timers, advance } = fakeTimers();
    const runs: number[] = [];
    const throttle = createThrottle(() => runs.push(timers.now()), 250, timers);
    throttle.request();
    assert.deepEqual(runs, [0]);
    for (let i = 0; i < 1000; i++) { advance(1); throttle.request(); }
    advance(300);
    // A request every millisecond for 1 s: 4 runs a second, and the last request still gets its (trailing) run.
    assert.deepEqual(runs, [0, 250, 500, 750, 1000, 1250]);
  });

  it('flushes a pending run at once, and cancel drops it', () => {
    const { timers, advance } = fakeTimers();
    let runs = 0;
    const throttle = createThrottle(() => runs++, 250, timers);
    throttle.request();
    throttle.request();
    throttle.flush();
    assert.equal(runs, 2);
    throttle.flush();
    assert.equal(runs, 2);
    advance(10);
    throttle.request();
    throttle.cancel();
    advance(1000);
    assert.equal(runs, 2);
  });
});

describe('protocol guards', () => {
  it('accepts the dashboard\'s messages and nothing else', () => {
    assert.ok(isDashboardToHost({ type: 'ready' }));
    assert.ok(isDashboardToHost({ type: 'rendered', seq: 3, agentRows: 6 }));
    assert.ok(isDashboardToHost({ type: 'openFile', uri: 'file:///a.ts' }));
    assert.ok(isDashboardToHost({ type: 'action', action: { kind: 'resetBreakers', agent: 'imports' } }));
    assert.ok(isDashboardToHost({ type: 'action', action: { kind: 'runAudit' } }));
    assert.ok(!isDashboardToHost({ type: 'action', action: { kind: 'deleteEverything' } }));
    assert.ok(!isDashboardToHost({ type: 'action', action: { kind: 'resetBreakers', agent: 7 } }));
    assert.ok(!isDashboardToHost({ type: 'openFile' }));
    assert.ok(!isDashboardToHost('ready'));
    assert.ok(!isDashboardToHost(null));
  });

  it('recognises a saved state by its outline', () => {
    assert.ok(isPersistedState({ data: data() }));
    assert.ok(!isPersistedState({ data: { audit: {} } }));
    assert.ok(!isPersistedState(undefined));
  });
});
