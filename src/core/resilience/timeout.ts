/**
 * A time limit on one piece of asynchronous work (an agent's run on one file, `timeoutSeconds` in the config).
 *
 * This bounds only work that yields to the event loop: the timer cannot fire while synchronous code holds the
 * thread, and an agent looping forever never yields. Such runs must happen on a thread that can be terminated
 * (a worker the coordinator kills on timeout); that is handled where the workers are, not here.
 */

/** A run took longer than its limit. A timeout counts as a failure of the agent and is not retried. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';

  constructor(readonly timeoutMs: number, message = `timed out after ${timeoutMs} ms`) {
    super(message);
  }
}

/** Calls `callback` after `ms` milliseconds; returns a function that cancels it. Injected by tests. */
export type Timer = (callback: () => void, ms: number) => () => void;

/** The real timer. */
export const realTimer: Timer = (callback, ms) => {
  const handle = setTimeout(callback, ms);
  return () => clearTimeout(handle);
};

/**
 * Runs `work` with a limit of `ms` milliseconds (`Infinity` = none). On timeout the signal given to `work` is
 * aborted with the `TimeoutError` and the returned promise rejects with it at once, whether or not `work` stops.
 * If `signal` aborts first, the work's signal is aborted too and the promise rejects with `signal.reason`.
 */
export function withTimeout<T>(
  work: (signal: AbortSignal) => T | Promise<T>, ms: number, signal?: AbortSignal, timer: Timer = realTimer,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const controller = new AbortController();
    let settled = false;
    let cancelTimer = (): void => undefined;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      cancelTimer();
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const stop = (reason: unknown): void => {
      controller.abort(reason);
      finish(() => reject(reason));
    };
    const onAbort = (): void => stop(signal!.reason);

    signal?.addEventListener('abort', onAbort, { once: true });
    if (ms !== Infinity) cancelTimer = timer(() => stop(new TimeoutError(ms)), ms);
    if (settled) return;
    try {
      Promise.resolve(work(controller.signal)).then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(error)),
      );
    } catch (error) {
      finish(() => reject(error));
    }
  });
}
