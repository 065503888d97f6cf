import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../src/core/config/schema';
import {
  CircuitBreaker, DEFAULT_BREAKER_OPTIONS, describeRefusal, normalizeBreakerOptions,
  type BreakerDecision, type BreakerOptions, type BreakerPermit, type BreakerRefusal, type BreakerTransition,
} from '../../src/core/resilience/breaker';
import { BreakerRegistry, breakerOptionsFromConfig } from '../../src/core/resilience/breakerRegistry';
import { FakeClock } from './helpers/fakeTime';

const SECOND = 1000;

/** A breaker on a fake clock that records its transitions as `from→to (reason)`. */
function setup(options: Partial<BreakerOptions> = {}) {
  const clock = new FakeClock(1_000_000);
  const transitions: BreakerTransition[] = [];
  const breaker = new CircuitBreaker('imports', options, { clock, onStateChange: (t) => transitions.push(t) });
  const log = () => transitions.map((t) => `${t.from}→${t.to} (${t.reason})`);
  return { clock, breaker, transitions, log };
}

function permit(decision: BreakerDecision): BreakerPermit {
  assert.equal(decision.allowed, true, `refused: ${JSON.stringify(decision)}`);
  return decision as BreakerPermit;
}

function refusal(decision: BreakerDecision): BreakerRefusal {
  assert.equal(decision.allowed, false, 'expected a refusal');
  return decision as BreakerRefusal;
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) permit(breaker.tryAcquire()).failure();
}

describe('CircuitBreaker: closed', () => {
  it('starts closed with the defaults of DESIGN.md and lets calls through', () => {
    const { breaker } = setup();
    assert.deepEqual(breaker.options, { failureThreshold: 5, openTimeoutMs: 60_000, maxOpenTimeoutMs: 300_000 });
    assert.deepEqual(breaker.snapshot(), { state: 'closed', consecutiveFailures: 0, openTimeoutMs: 60_000 });
    const p = permit(breaker.tryAcquire());
    assert.equal(p.probe, false);
    p.success();
    assert.equal(breaker.state, 'closed');
  });

  it('opens on the 5th consecutive failure, not before', () => {
    const { breaker, clock, log, transitions } = setup();
    fail(breaker, 4);
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.snapshot().consecutiveFailures, 4);
    fail(breaker, 1);
    assert.equal(breaker.state, 'open');
    assert.deepEqual(log(), ['closed→open (failures)']);
    assert.deepEqual(transitions[0].snapshot, {
      state: 'open', consecutiveFailures: 5, openTimeoutMs: 60_000, openUntil: clock.time + 60_000, retryInMs: 60_000,
    });
    assert.equal(transitions[0].name, 'imports');
    assert.equal(transitions[0].at, clock.time);
  });

  it('a success resets the count: failures must be consecutive', () => {
    const { breaker } = setup();
    fail(breaker, 4);
    permit(breaker.tryAcquire()).success();
    assert.equal(breaker.snapshot().consecutiveFailures, 0);
    fail(breaker, 4);
    assert.equal(breaker.state, 'closed');
  });

  it('honours a custom threshold, and a threshold of 1 opens on the first failure', () => {
    const { breaker } = setup({ failureThreshold: 1 });
    fail(breaker, 1);
    assert.equal(breaker.state, 'open');
  });
});

describe('CircuitBreaker: open', () => {
  it('refuses at once with the time until retry, counting down with the clock', () => {
    const { breaker, clock } = setup();
    fail(breaker, 5);
    assert.deepEqual(refusal(breaker.tryAcquire()), { allowed: false, state: 'open', retryInMs: 60_000 });
    clock.advance(17_500);
    assert.deepEqual(refusal(breaker.tryAcquire()), { allowed: false, state: 'open', retryInMs: 42_500 });
    assert.equal(breaker.snapshot().retryInMs, 42_500);
    clock.advance(42_499);
    assert.equal(refusal(breaker.tryAcquire()).retryInMs, 1);
  });

  it('says why a file was skipped, in whole seconds rounded up', () => {
    assert.equal(describeRefusal('imports', { allowed: false, state: 'open', retryInMs: 41_001 }),
      'agent imports skipped: circuit open, retry in 42 s');
    assert.equal(describeRefusal('imports', { allowed: false, state: 'halfOpen', retryInMs: 0 }),
      'agent imports skipped: circuit half-open, a probe run is in progress');
  });
});

describe('CircuitBreaker: half-open and the probe', () => {
  it('becomes half-open when the timeout has passed, and lets exactly one probe through', () => {
    const { breaker, clock, log } = setup();
    fail(breaker, 5);
    clock.advance(60_000);
    assert.equal(breaker.state, 'halfOpen');
    assert.deepEqual(breaker.snapshot(), { state: 'halfOpen', consecutiveFailures: 5, openTimeoutMs: 60_000 });
    const probe = permit(breaker.tryAcquire());
    assert.equal(probe.probe, true);
    // Concurrent callers while the probe runs are refused, however many and however late.
    assert.deepEqual(refusal(breaker.tryAcquire()), { allowed: false, state: 'halfOpen', retryInMs: 0 });
    clock.advance(10 * 60_000);
    assert.deepEqual(refusal(breaker.tryAcquire()), { allowed: false, state: 'halfOpen', retryInMs: 0 });
    assert.deepEqual(log(), ['closed→open (failures)', 'open→halfOpen (timeout-elapsed)']);
  });

  it('a successful probe closes the breaker and resets the count and the timeout', () => {
    const { breaker, clock, log } = setup();
    fail(breaker, 5);
    clock.advance(60_000);
    permit(breaker.tryAcquire()).failure(); // timeout doubles to 120 s
    clock.advance(120_000);
    permit(breaker.tryAcquire()).success();
    assert.deepEqual(breaker.snapshot(), { state: 'closed', consecutiveFailures: 0, openTimeoutMs: 60_000 });
    assert.deepEqual(log().slice(-1), ['halfOpen→closed (probe-succeeded)']);
    // Back to the base timeout: the next opening waits 60 s again.
    fail(breaker, 5);
    assert.equal(breaker.snapshot().retryInMs, 60_000);
  });

  it('failed probes re-open with the timeout doubled and capped: 60 → 120 → 240 → 300 → 300 s', () => {
    const { breaker, clock, log } = setup();
    fail(breaker, 5);
    const waits: number[] = [breaker.snapshot().retryInMs!];
    for (let i = 0; i < 4; i++) {
      clock.advance(waits[waits.length - 1]);
      const probe = permit(breaker.tryAcquire());
      assert.equal(probe.probe, true);
      probe.failure();
      assert.equal(breaker.state, 'open');
      waits.push(refusal(breaker.tryAcquire()).retryInMs);
    }
    assert.deepEqual(waits.map((ms) => ms / SECOND), [60, 120, 240, 300, 300]);
    assert.equal(breaker.snapshot().openTimeoutMs, 300_000);
    assert.deepEqual(log().slice(0, 3), ['closed→open (failures)', 'open→halfOpen (timeout-elapsed)', 'halfOpen→open (probe-failed)']);
  });

  it('a probe cancelled without a verdict gives its slot back: the next caller probes', () => {
    const { breaker, clock } = setup();
    fail(breaker, 5);
    clock.advance(60_000);
    permit(breaker.tryAcquire()).release();
    assert.equal(breaker.state, 'halfOpen');
    const next = permit(breaker.tryAcquire());
    assert.equal(next.probe, true);
    next.success();
    assert.equal(breaker.state, 'closed');
  });

  it('is not half-open one millisecond early', () => {
    const { breaker, clock } = setup();
    fail(breaker, 5);
    clock.advance(59_999);
    assert.equal(breaker.state, 'open');
    clock.advance(1);
    assert.equal(breaker.state, 'halfOpen');
  });
});

describe('CircuitBreaker: late and repeated reports', () => {
  it('a call started while closed cannot close a breaker that opened meanwhile', () => {
    const { breaker, clock } = setup();
    const slow = permit(breaker.tryAcquire());
    fail(breaker, 5);
    slow.success();
    assert.equal(breaker.state, 'open');
    clock.advance(60_000);
    const probe = permit(breaker.tryAcquire());
    slow.failure(); // already settled, and stale anyway
    assert.equal(breaker.state, 'halfOpen');
    probe.success();
    assert.equal(breaker.state, 'closed');
  });

  it('a call from before an opening does not count against the next closed period', () => {
    const { breaker, clock } = setup();
    const stale = permit(breaker.tryAcquire());
    fail(breaker, 5);
    clock.advance(60_000);
    permit(breaker.tryAcquire()).success();
    stale.failure();
    assert.equal(breaker.snapshot().consecutiveFailures, 0);
  });

  it('only the first report of a permit counts', () => {
    const { breaker } = setup({ failureThreshold: 2 });
    const p = permit(breaker.tryAcquire());
    p.failure();
    p.failure();
    assert.equal(breaker.snapshot().consecutiveFailures, 1);
    assert.equal(breaker.state, 'closed');
  });
});

describe('CircuitBreaker: reset and configure', () => {
  it('reset closes an open breaker, forgets the backoff, and tells the listener', () => {
    const { breaker, clock, log } = setup();
    fail(breaker, 5);
    clock.advance(60_000);
    permit(breaker.tryAcquire()).failure();
    breaker.reset();
    assert.deepEqual(breaker.snapshot(), { state: 'closed', consecutiveFailures: 0, openTimeoutMs: 60_000 });
    assert.deepEqual(log().slice(-1), ['open→closed (reset)']);
    assert.equal(permit(breaker.tryAcquire()).probe, false);
  });

  it('reset of a closed breaker clears the count silently; a probe in flight during a reset is ignored', () => {
    const { breaker, clock, transitions } = setup();
    fail(breaker, 3);
    breaker.reset();
    assert.equal(breaker.snapshot().consecutiveFailures, 0);
    assert.equal(transitions.length, 0);
    fail(breaker, 5);
    clock.advance(60_000);
    const probe = permit(breaker.tryAcquire());
    breaker.reset();
    probe.failure();
    assert.equal(breaker.state, 'closed');
  });

  it('configure applies new options; a cap below the base timeout is raised to it', () => {
    const { breaker } = setup();
    breaker.configure({ failureThreshold: 2, openTimeoutMs: 10_000, maxOpenTimeoutMs: 5_000 });
    assert.deepEqual(breaker.options, { failureThreshold: 2, openTimeoutMs: 10_000, maxOpenTimeoutMs: 10_000 });
    fail(breaker, 2);
    assert.equal(breaker.snapshot().retryInMs, 10_000);
    assert.deepEqual(normalizeBreakerOptions({ failureThreshold: 0, openTimeoutMs: undefined }), {
      ...DEFAULT_BREAKER_OPTIONS, failureThreshold: 1,
    });
  });

  it('the snapshot is plain data that survives JSON', () => {
    const { breaker } = setup();
    fail(breaker, 5);
    const snapshot = breaker.snapshot();
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });
});

describe('BreakerRegistry', () => {
  it('reads the options from the config, in milliseconds', () => {
    assert.deepEqual(breakerOptionsFromConfig(defaultConfig().global.circuitBreaker), DEFAULT_BREAKER_OPTIONS);
    assert.deepEqual(
      breakerOptionsFromConfig({ failureThreshold: 3, openTimeoutSeconds: 1.5, maxOpenTimeoutSeconds: 10 }),
      { failureThreshold: 3, openTimeoutMs: 1_500, maxOpenTimeoutMs: 10_000 },
    );
  });

  it('keeps one breaker per agent; one agent failing leaves the others closed', () => {
    const clock = new FakeClock();
    const transitions: string[] = [];
    const registry = new BreakerRegistry({ failureThreshold: 2 }, {
      clock, onStateChange: (t) => transitions.push(`${t.name}: ${t.from}→${t.to}`),
    });
    assert.equal(registry.get('imports'), registry.get('imports'));
    fail(registry.get('security'), 2);
    permit(registry.get('imports').tryAcquire()).success();
    assert.deepEqual(Object.keys(registry.snapshot()), ['imports', 'security']);
    assert.equal(registry.snapshot().security.state, 'open');
    assert.equal(registry.snapshot().imports.state, 'closed');
    assert.deepEqual(registry.notClosed(), ['security']);
    assert.deepEqual(transitions, ['security: closed→open']);
  });

  it('resets one agent or all; configure reaches existing and future breakers', () => {
    const registry = new BreakerRegistry({ failureThreshold: 1 }, { clock: new FakeClock() });
    fail(registry.get('a'), 1);
    fail(registry.get('b'), 1);
    registry.reset('a');
    assert.deepEqual(registry.notClosed(), ['b']);
    registry.reset('unknown');
    registry.reset();
    assert.deepEqual(registry.notClosed(), []);
    registry.configure({ failureThreshold: 3 });
    assert.equal(registry.get('a').options.failureThreshold, 3);
    assert.equal(registry.get('c').options.failureThreshold, 3);
  });
});
