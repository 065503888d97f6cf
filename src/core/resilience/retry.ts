import { setTimeout as delay } from 'node:timers/promises';

/**
 * Retry with exponential backoff, for the failures that may pass on a second try.
 *
 * What is retried (`isTransientError`, the default): errors flagged `transient: true` (e.g. `TransientError`,
 * which the worker pool throws when a worker died under a run), and system errors whose `code` says the
 * machine was momentarily short of something (EAGAIN, EBUSY, EMFILE, ENFILE, ECONNRESET, EPIPE), looked up along
 * the `cause` chain. What is not:
 * - a `TimeoutError`: the hung work has already been stopped, and a retry would multiply the wait by
 *   `maxRetries + 1` on the very file that is slow;
 * - an abort: the user or the audit asked to stop;
 * - anything else an agent throws: agents are pure (same input, same findings), so an exception on a file's text
 *   comes back on every try and a retry only delays the report.
 */

/** Waits `ms` milliseconds; rejects when `signal` aborts. Injected by tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real sleep (a timer that an abort cancels). */
export const abortableSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** Turns a backoff delay into the delay actually waited (`retry` = 0 before the second attempt). */
export type Jitter = (delayMs: number, retry: number) => number;

/** "Equal jitter": half the delay, plus up to the other half at random; spreads retries that failed together. */
export function equalJitter(random: () => number = Math.random): Jitter {
  return (delayMs) => delayMs / 2 + random() * (delayMs / 2);
}

/** An error that may not happen again on the next try. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  readonly transient = true;
}

const TRANSIENT_CODES: ReadonlySet<string> = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ECONNRESET', 'EPIPE']);

/** Whether an error is worth a retry (see the top of this file). */
export function isTransientError(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { name, transient, code, cause } = current as { name?: unknown; transient?: unknown; code?: unknown; cause?: unknown };
    if (name === 'TimeoutError' || name === 'AbortError') return false;
    if (transient === true) return true;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    current = cause;
  }
  return false;
}

/** The shape of the backoff. */
export interface BackoffOptions {
  /** Delay before the first retry (default 100 ms). */
  readonly baseDelayMs?: number;
  /** Longest delay (default 5 000 ms). */
  readonly maxDelayMs?: number;
  /** Growth per retry (default 2). */
  readonly factor?: number;
}

/** Options of `withRetry`. */
export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt (the agent's `maxRetries`); 0 = a single attempt. */
  readonly maxRetries: number;
  /** Default: none, so delays are exactly the backoff. The result is kept within [0, maxDelayMs]. */
  readonly jitter?: Jitter;
  /** Default: `isTransientError`. */
  readonly isRetryable?: (error: unknown) => boolean;
  /** Stops at once: no new attempt, and a backoff wait in progress ends. */
  readonly signal?: AbortSignal;
  /** Default: `abortableSleep`. */
  readonly sleep?: Sleep;
  /** Told before each backoff wait, for the log. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** A failed attempt about to be retried. */
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly error: unknown;
  readonly delayMs: number;
}

/** How a retried call ended; `attempts` counts the calls of `work` (for the metrics). Never a thrown error. */
export type RetryResult<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | {
    readonly ok: false;
    /** The last attempt's error, or the signal's reason when `aborted`. */
    readonly error: unknown;
    readonly attempts: number;
    readonly aborted: boolean;
  };

/** The backoff of an agent's retries: 100 ms, 200 ms, 400 ms… up to 5 s. */
export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseDelayMs: 100, maxDelayMs: 5_000, factor: 2 };

/** The backoff before retry number `retry` (0-based): `base × factor^retry`, capped at `maxDelayMs`. */
export function backoffDelayMs(retry: number, options: BackoffOptions = {}): number {
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs;
  const factor = options.factor ?? DEFAULT_BACKOFF.factor;
  return Math.min(options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs, baseDelayMs * factor ** retry);
}

/**
 * Calls `work` until it succeeds, fails with an error that is not retryable, or has been retried `maxRetries`
 * times, waiting the backoff between attempts. `work` receives the attempt number (from 1).
 */
export async function withRetry<T>(work: (attempt: number) => T | Promise<T>, options: RetryOptions): Promise<RetryResult<T>> {
  const { signal, sleep = abortableSleep, isRetryable = isTransientError } = options;
  const aborted = (attempts: number): RetryResult<T> => ({ ok: false, error: signal!.reason, attempts, aborted: true });
  let attempts = 0;
  for (;;) {
    if (signal?.aborted) return aborted(attempts);
    attempts++;
    let error: unknown;
    try {
      return { ok: true, value: await work(attempts), attempts };
    } catch (caught) {
      error = caught;
    }
    if (signal?.aborted) return aborted(attempts);
    const retry = attempts - 1;
    if (retry >= options.maxRetries || !isRetryable(error)) return { ok: false, error, attempts, aborted: false };
    const backoff = backoffDelayMs(retry, options);
    const maxDelayMs = options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs;
    const delayMs = Math.min(maxDelayMs, Math.max(0, options.jitter?.(backoff, retry) ?? backoff));
    options.onRetry?.({ attempt: attempts, error, delayMs });
    try {
      await sleep(delayMs, signal);
    } catch (sleepError) {
      if (signal?.aborted) return aborted(attempts);
      return { ok: false, error: sleepError, attempts, aborted: false };
    }
  }
}
