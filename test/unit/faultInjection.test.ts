import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Agent } from '../../src/core/agent';
import { hygieneAgent } from '../../src/agents/hygiene';
import { runAudit, type AuditOptions, type AuditTarget } from '../../src/core/run/coordinator';
import { AlertMonitor } from '../../src/core/metrics/alerts';
import { MetricsCollector } from '../../src/core/metrics/collector';
import { BreakerRegistry } from '../../src/core/resilience/breakerRegistry';
import { FakeClock, recordingSleep } from './helpers/fakeTime';

const targets = (n: number): AuditTarget[] => Array.from({ length: n }, (_, i) => ({
  path: `f${String(i).padStart(2, '0')}.ts`, absPath: `/nonexistent/f${i}.ts`, text: `export const v${i} = ${i};   \n`,
}));

/** Fails on every file while `broken` is set. */
let broken = true;
const thrower: Agent = {
  id: 'thrower', version: '1', appliesTo: () => true,
  run() {
    if (broken) throw new Error('thrower is broken');
    return [];
  },
};
/** Never answers (an asynchronous hang: the in-thread executor stops waiting at the time limit). */
const hanger: Agent = { id: 'hanger', version: '1', appliesTo: () => true, run: () => new Promise(() => undefined) };
/** Slow: busy for 20 ms on every file. */
const slow: Agent = {
  id: 'slow', version: '1', appliesTo: () => true,
  run() {
    const until = performance.now() + 20;
    while (performance.now() < until) { /* busy */ }
    return [];
  },
};

describe('fault injection: one agent throws, one hangs, one is slow', () => {
  it('the audit finishes with every other finding; breakers open, then close through a probe; metrics and alerts say so', async () => {
    const clock = new FakeClock(1_000_000);
    const breakers = new BreakerRegistry({ failureThreshold: 5, openTimeoutMs: 60_000 }, { clock });
    const metrics = new MetricsCollector({ clock });
    const alerts = new AlertMonitor({ errorRate: 0.15, slowResponseMs: 10, memoryMb: 1_000_000 });
    const { sleep } = recordingSleep();
    const options: AuditOptions = {
      root: '/r', agents: [hygieneAgent, thrower, hanger, slow], concurrency: 1, breakers, metrics, sleep,
      policy: () => ({ maxRetries: 2, timeoutMs: 40 }),
    };

    const first = await runAudit(targets(8), options);
    assert.equal(first.files.length, 8, 'the audit finished');
    for (const file of first.files) {
      // Hygiene's finding is kept; the thrower's and the hanger's failures (or skips, once open) are findings too.
      assert.deepEqual(file.findings.map((f) => f.rule),
        ['maintenance/agent-failed', 'maintenance/agent-failed', 'hygiene/trailing-whitespace'], `${file.path} keeps hygiene's finding`);
      assert.deepEqual(file.findings.slice(0, 2).map((f) => f.agent).sort(), ['hanger', 'thrower'], file.path);
    }
    assert.deepEqual(first.agents.thrower, { runs: 5, failures: 5, state: 'open', skipped: 3 });
    assert.deepEqual(first.agents.hanger, { runs: 5, failures: 5, state: 'open', skipped: 3 });
    assert.deepEqual({ ...first.agents.slow }, { runs: 8, failures: 0, state: 'closed' });
    const last = first.files[7];
    assert.deepEqual(last.failures.map((f) => [f.agent, f.kind]), [['thrower', 'circuit-open'], ['hanger', 'circuit-open']]);
    assert.match(last.failures[0].message, /^agent thrower skipped: circuit open, retry in 60 s/);
    assert.deepEqual(first.files[0].failures.map((f) => [f.agent, f.kind]), [['thrower', 'threw'], ['hanger', 'timeout']]);

    const snapshot = metrics.snapshot({ breakers: breakers.snapshot() });
    assert.deepEqual([snapshot.agents.thrower.executions, snapshot.agents.thrower.failures, snapshot.agents.thrower.errorRate], [5, 5, 1]);
    assert.deepEqual([snapshot.agents.hygiene.executions, snapshot.agents.hygiene.failures], [8, 0]);
    assert.ok(snapshot.agents.hanger.minDurationMs >= 35, `a hang is stopped at its limit (${snapshot.agents.hanger.minDurationMs} ms)`);
    assert.ok(snapshot.agents.slow.avgDurationMs >= 20);
    const raised = alerts.evaluate(snapshot).raised.map((a) => `${a.type}:${a.agent ?? ''}`).sort();
    // A hang that runs to its time limit is also slow.
    assert.deepEqual(raised, ['high-error-rate:hanger', 'high-error-rate:thrower', 'slow-response:hanger', 'slow-response:slow']);
    assert.deepEqual(alerts.evaluate(snapshot).raised, [], 'an alert is raised once while active');

    // The thrower is fixed; 60 s later one probe runs, succeeds, and closes its breaker.
    broken = false;
    clock.advance(60_000);
    const second = await runAudit(targets(3), { ...options, agents: [hygieneAgent, thrower, slow] });
    assert.deepEqual(second.agents.thrower, { runs: 3, failures: 0, state: 'closed' });
    assert.equal(breakers.get('thrower').state, 'closed');
    assert.equal(breakers.get('hanger').state, 'halfOpen', 'the hanger, not run since, waits for its probe');
    broken = true;
  });

  it('a run whose thread crashed is retried with backoff, then counted as a failure', async () => {
    const { sleep, delays } = recordingSleep();
    let calls = 0;
    const crashing = {
      async execute(request: { agents: readonly Agent[] }) {
        calls++;
        return request.agents.map((a) => ({ agent: a.id, ok: false as const, kind: 'crashed' as const, message: 'worker died', durationMs: 1 }));
      },
    };
    const result = await runAudit(targets(1), {
      root: '/r', agents: [thrower], executor: crashing, sleep, policy: () => ({ maxRetries: 3, timeoutMs: 1000 }),
    });
    assert.equal(calls, 4, 'one run and three retries');
    assert.deepEqual(delays, [100, 200, 400]);
    assert.deepEqual(result.files[0].failures.map((f) => f.kind), ['crashed']);
    assert.deepEqual({ ...result.agents.thrower }, { runs: 4, failures: 1, state: 'closed' });
  });
});
