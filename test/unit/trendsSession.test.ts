import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../src/core/config/schema';
import { EngineSession } from '../../src/core/run/session';
import { FakeClock } from './helpers/fakeTime';
import { assertNear } from './helpers/sketchAssert';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
/** An audit of a real workspace: more runs per agent than the dashboard's window keeps. */
const FILES_PER_AUDIT = 300;

/**
 * A session that records `history` once an hour for 40 hours and saves its metrics, then, two hours later, a new
 * session that loads them and records `recent` once a minute for 20 minutes: the one the test asks for trends.
 */
async function reloadedSession(
  history: (session: EngineSession, i: number) => void, recent: (session: EngineSession, i: number) => void,
  checkBefore?: (session: EngineSession) => void,
): Promise<EngineSession> {
  const dir = await mkdtemp(join(tmpdir(), 'mt-trends-'));
  try {
    const clock = new FakeClock(T0);
    const before = new EngineSession(defaultConfig(), clock);
    for (let i = 0; i < 40; i++) {
      clock.advance(HOUR);
      history(before, i);
    }
    checkBefore?.(before);
    const file = join(dir, 'metrics-v1.json');
    assert.equal(await before.saveMetrics(file), true);
    clock.advance(2 * HOUR);
    const after = new EngineSession(defaultConfig(), clock);
    assert.equal(await after.loadMetrics(file), undefined);
    for (let i = 0; i < 20; i++) {
      clock.advance(60_000);
      recent(after, i);
    }
    return after;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('EngineSession.trends on the saved metrics', { timeout: 10_000 }, () => {
  it('finds an agent slower in the last hour than in the days before, across a save and a reload', async () => {
    const after = await reloadedSession(
      (s, i) => s.metrics.record({ agent: 'imports', durationMs: 300 + (i % 3) * 10, success: true }),
      (s) => s.metrics.record({ agent: 'imports', durationMs: 840, success: true }),
      (before) => assert.deepEqual(before.trends(), []),
    );
    const trends = after.trends();
    assert.deepEqual(trends.map((t) => [t.agent, t.kind]), [['imports', 'slower']]);
    assertNear(trends[0].recent, 840, 'recent p95');
    assertNear(trends[0].baseline, 320, 'baseline p95');
    assert.equal(trends[0].message, 'Agent imports is 2.7× slower than its 7-day level (p95 ≈ 860 ms vs 310 ms)');
  });

  it('judges a week of real audits, each of more files than the 100 runs kept for the dashboard', async () => {
    const audit = (s: EngineSession, durationMs: number) => {
      for (let file = 0; file < FILES_PER_AUDIT; file++) s.metrics.record({ agent: 'imports', durationMs: durationMs + (file % 7), success: true });
    };
    const after = await reloadedSession((s) => audit(s, 300), (s, i) => {
      if (i % 10 === 0) audit(s, 840);
    });
    const trends = after.trends();
    assert.deepEqual(trends.map((t) => [t.agent, t.kind]), [['imports', 'slower']]);
    // Read from the saved sketches: 846 ms and 306 ms exactly.
    assertNear(trends[0].recent, 846, 'recent p95');
    assertNear(trends[0].baseline, 306, 'baseline p95');
  });

  it('finds the cache hit ratio falling, from lookups saved with their time', async () => {
    const after = await reloadedSession(
      (s, i) => s.metrics.record({ agent: 'imports', durationMs: 10, success: true, fromCache: i % 5 !== 0 }), // 80 % hits
      (s, i) => {
        if (i < 4) s.metrics.recordCacheHit('imports'); // 20 % hits
        else s.metrics.record({ agent: 'imports', durationMs: 10, success: true, fromCache: false });
      },
    );
    assert.deepEqual(after.trends().map((t) => [t.kind, t.recent, t.baseline]), [['cache-falling', 0.2, 0.8]]);
  });
});
