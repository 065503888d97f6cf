import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../src/core/config/schema';
import { EngineSession } from '../../src/core/run/session';
import { FakeClock } from './helpers/fakeTime';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

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
    assert.deepEqual(trends.map((t) => [t.agent, t.kind, t.recent, t.baseline]), [['imports', 'slower', 840, 320]]);
    assert.equal(trends[0].message, 'Agent imports is 2.6× slower than its 7-day level (p95 840 ms vs 320 ms)');
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
