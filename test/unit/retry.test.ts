import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  abortableSleep, backoffDelayMs, equalJitter, isTransientError, TransientError, withRetry, type RetryEvent,
} from '../../src/core/resilience/retry';
import { TimeoutError, withTimeout } from '../../src/core/resilience/timeout';
import { endlessSleep, ManualTimer, recordingSleep } from './helpers/fakeTime';

/** An error with a Node-style system error code. */
function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: resource busy`), { code });
}

/** Work that fails with `errors` in turn, then returns 'done'. */
function failing(...errors: unknown[]) {
  const calls: number[] = [];
  const work = async (attempt: number) => {
    calls.push(attempt);
    if (calls.length <= errors.length) throw errors[calls.length - 1];
    return 'done';
  };
  return { work, calls };
}

describe('backoffDelayMs', () => {
  it('doubles from the base and stops at the cap', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n)), [100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => backoffDelayMs(n, { baseDelayMs: 60_000, maxDelayMs: 300_000 })),
      [60_000, 120_000, 240_000, 300_000, 300_000]);
    assert.deepEqual([0, 1, 2].map((n) => backoffDelayMs(n, { baseDelayMs: 10, factor: 3, maxDelayMs: undefined })), [10, 30, 90]);
  });
});

describe('isTransientError: what is worth a retry', () => {
  it('errors flagged transient and momentary system shortages', () => {
    assert.equal(isTransientError(new TransientError("the agent's worker died")), true);
    assert.equal(isTransientError(Object.assign(new Error('x'), { transient: true })), true);
    for (const code of ['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ECONNRESET', 'EPIPE']) {
      assert.equal(isTransientError(systemError(code)), true, code);
    }
    assert.equal(isTransientError(new Error('wrapped', { cause: systemError('EMFILE') })), true);
  });

  it('not timeouts, aborts, plain agent exceptions, missing files or non-errors', () => {
    assert.equal(isTransientError(new TimeoutError(30_000)), false);
    assert.equal(isTransientError(new DOMException('signal timed out', 'TimeoutError')), false);
    assert.equal(isTransientError(new DOMException('aborted', 'AbortError')), false);
    assert.equal(isTransientError(new TypeError("Cannot read properties of undefined (reading 'kind')")), false);
    assert.equal(isTransientError(systemError('ENOENT')), false);
    assert.equal(isTransientError(new Error('timed out', { cause: new TimeoutError(5) })), false);
    for (const value of [undefined, null, 'EAGAIN', 42]) assert.equal(isTransientError(value), false);
  });
});

describe('withRetry', () => {
  it('returns the value and one attempt when the first try succeeds', async () => {
    const { sleep, delays } = recordingSleep();
    assert.deepEqual(await withRetry(async () => 42, { maxRetries: 3, sleep }), { ok: true, value: 42, attempts: 1 });
    assert.deepEqual(delays, []);
  });

  it('retries transient failures with the backoff sequence, and counts the attempts', async () => {
    const { sleep, delays } = recordingSleep();
    const { work, calls } = failing(systemError('EAGAIN'), new TransientError('worker died'), systemError('EMFILE'));
    const events: RetryEvent[] = [];
    const result = await withRetry(work, { maxRetries: 3, sleep, onRetry: (e) => events.push(e) });
    assert.deepEqual(result, { ok: true, value: 'done', attempts: 4 });
    assert.deepEqual(calls, [1, 2, 3, 4]);
    assert.deepEqual(delays, [100, 200, 400]);
    assert.deepEqual(events.map((e) => [e.attempt, e.delayMs]), [[1, 100], [2, 200], [3, 400]]);
  });

  it('gives up after maxRetries retries with the last error', async () => {
    const { sleep, delays } = recordingSleep();
    const last = systemError('EBUSY');
    const { work } = failing(systemError('EAGAIN'), systemError('EAGAIN'), last);
    const result = await withRetry(work, { maxRetries: 2, sleep, baseDelayMs: 1000, maxDelayMs: 1500 });
    assert.deepEqual(result, { ok: false, error: last, attempts: 3, aborted: false });
    assert.deepEqual(delays, [1000, 1500]);
  });

  it('maxRetries 0 is a single attempt', async () => {
    const { sleep, delays } = recordingSleep();
    const result = await withRetry(failing(systemError('EAGAIN')).work, { maxRetries: 0, sleep });
    assert.equal(result.attempts, 1);
    assert.equal(result.ok, false);
    assert.deepEqual(delays, []);
  });

  it('does not retry a timeout or an agent exception: one attempt, no wait', async () => {
    for (const error of [new TimeoutError(30_000), new Error('agent bug')]) {
      const { sleep, delays } = recordingSleep();
      const { work, calls } = failing(error);
      assert.deepEqual(await withRetry(work, { maxRetries: 5, sleep }), { ok: false, error, attempts: 1, aborted: false });
      assert.deepEqual(calls, [1]);
      assert.deepEqual(delays, []);
    }
  });

  it('takes a custom isRetryable', async () => {
    const { sleep } = recordingSleep();
    const { work } = failing(new Error('flaky'));
    const result = await withRetry(work, { maxRetries: 1, sleep, isRetryable: (e) => (e as Error).message === 'flaky' });
    assert.deepEqual(result, { ok: true, value: 'done', attempts: 2 });
  });

  it('applies the jitter within [0, maxDelayMs]', async () => {
    const { sleep, delays } = recordingSleep();
    const { work } = failing(...Array.from({ length: 4 }, () => systemError('EAGAIN')));
    const jitters = [(ms: number) => ms / 2, () => -5, () => 1e9, equalJitter(() => 0.5)];
    let i = 0;
    await withRetry(work, { maxRetries: 4, sleep, maxDelayMs: 1000, jitter: (ms, retry) => jitters[i++](ms, retry) });
    assert.deepEqual(delays, [50, 0, 1000, 600]);
  });

  it('stops at once when aborted during a backoff wait', async () => {
    const controller = new AbortController();
    const { sleep, started } = endlessSleep();
    const { work, calls } = failing(systemError('EAGAIN'), systemError('EAGAIN'));
    const pending = withRetry(work, { maxRetries: 5, sleep, signal: controller.signal });
    assert.equal(await started, 100);
    const reason = new Error('audit cancelled');
    controller.abort(reason);
    assert.deepEqual(await pending, { ok: false, error: reason, attempts: 1, aborted: true });
    assert.deepEqual(calls, [1]);
  });

  it('does not start when already aborted, and does not retry work that failed because of the abort', async () => {
    const controller = new AbortController();
    controller.abort('stop');
    const { work, calls } = failing();
    assert.deepEqual(await withRetry(work, { maxRetries: 3, signal: controller.signal }),
      { ok: false, error: 'stop', attempts: 0, aborted: true });
    assert.deepEqual(calls, []);

    const later = new AbortController();
    const { sleep, delays } = recordingSleep();
    const result = await withRetry(async () => {
      later.abort('stop');
      throw systemError('EAGAIN');
    }, { maxRetries: 3, sleep, signal: later.signal });
    assert.deepEqual(result, { ok: false, error: 'stop', attempts: 1, aborted: true });
    assert.deepEqual(delays, []);
  });

  it('accepts synchronous work', async () => {
    assert.deepEqual(await withRetry(() => 'sync', { maxRetries: 0 }), { ok: true, value: 'sync', attempts: 1 });
  });
});

describe('abortableSleep', () => {
  it('rejects at once when its signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await assert.rejects(sleeping, { name: 'AbortError' });
  });
});

describe('withTimeout', () => {
  it('resolves with the value and cancels its timer', async () => {
    const timers = new ManualTimer();
    assert.equal(await withTimeout(async () => 'ok', 30_000, undefined, timers.timer), 'ok');
    assert.equal(timers.scheduled.length, 1);
    assert.equal(timers.scheduled[0].ms, 30_000);
    assert.equal(timers.scheduled[0].cancelled, true);
  });

  it('rejects with a TimeoutError when the time is up, and aborts the work', async () => {
    const timers = new ManualTimer();
    let workSignal: AbortSignal | undefined;
    const pending = withTimeout((signal) => {
      workSignal = signal;
      return new Promise<never>(() => undefined);
    }, 30_000, undefined, timers.timer);
    timers.fire();
    const error = await pending.then(() => assert.fail('resolved'), (e: unknown) => e);
    assert.ok(error instanceof TimeoutError);
    assert.equal(error.timeoutMs, 30_000);
    assert.equal(error.message, 'timed out after 30000 ms');
    assert.equal(workSignal?.aborted, true);
    assert.equal(workSignal?.reason, error);
  });

  it("passes the caller's abort on to the work and rejects with its reason", async () => {
    const timers = new ManualTimer();
    const controller = new AbortController();
    let workSignal: AbortSignal | undefined;
    const pending = withTimeout((signal) => {
      workSignal = signal;
      return new Promise<never>(() => undefined);
    }, 30_000, controller.signal, timers.timer);
    controller.abort('cancelled');
    await assert.rejects(pending, (e) => e === 'cancelled');
    assert.equal(workSignal?.reason, 'cancelled');
    assert.equal(timers.scheduled[0].cancelled, true);
  });

  it('does not run the work when already aborted', async () => {
    const controller = new AbortController();
    controller.abort('early');
    let ran = false;
    await assert.rejects(withTimeout(async () => {
      ran = true;
    }, 1000, controller.signal, new ManualTimer().timer), (e) => e === 'early');
    assert.equal(ran, false);
  });

  it("rejects with the work's own error, thrown or rejected", async () => {
    const timers = new ManualTimer();
    await assert.rejects(withTimeout(() => {
      throw new Error('sync');
    }, 1000, undefined, timers.timer), /sync/);
    await assert.rejects(withTimeout(async () => {
      throw new Error('async');
    }, 1000, undefined, timers.timer), /async/);
    assert.ok(timers.scheduled.every((t) => t.cancelled));
  });

  it('does not start work whose time is already up (a timer that fires at once)', async () => {
    let ran = false;
    const immediate = (callback: () => void) => {
      callback();
      return () => undefined;
    };
    await assert.rejects(withTimeout(async () => {
      ran = true;
    }, 0, undefined, immediate), TimeoutError);
    assert.equal(ran, false);
  });

  it('sets no timer for an infinite limit', async () => {
    const timers = new ManualTimer();
    assert.equal(await withTimeout(() => 7, Infinity, undefined, timers.timer), 7);
    assert.equal(timers.scheduled.length, 0);
  });

  it('composes with withRetry: a timeout is reported once, not retried', async () => {
    const timers = new ManualTimer();
    const { sleep, delays } = recordingSleep();
    const pending = withRetry(() => withTimeout(() => new Promise<never>(() => undefined), 50, undefined, timers.timer),
      { maxRetries: 2, sleep });
    await Promise.resolve();
    timers.fire();
    const result = await pending;
    assert.equal(result.ok, false);
    assert.equal(result.attempts, 1);
    assert.ok(!result.ok && result.error instanceof TimeoutError);
    assert.deepEqual(delays, []);
  });
});
