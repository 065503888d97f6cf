/**
 * Runs a task at most once per interval however often it is asked for: the first request runs at once, later ones
 * within the interval are folded into one run at its end. The dashboard's host uses it so that a 5,000-file audit
 * (thousands of progress and file events) reaches the webview as a few messages a second. Timers are injected.
 */

/** The timer functions the throttle uses (the global ones by default). */
export interface ThrottleTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const GLOBAL_TIMERS: ThrottleTimers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A throttled task. */
export interface Throttle {
  /** Asks for a run: now if the last one is at least an interval old, else once at the interval's end. */
  request(): void;
  /** Runs now if a run is pending (a panel about to close), resetting the interval. */
  flush(): void;
  /** Drops a pending run. */
  cancel(): void;
}

/** Throttles `task` to one run per `intervalMs`. */
export function createThrottle(task: () => void, intervalMs: number, timers: ThrottleTimers = GLOBAL_TIMERS): Throttle {
  let lastRunAt = Number.NEGATIVE_INFINITY;
  let pending: unknown;
  const run = () => {
    pending = undefined;
    lastRunAt = timers.now();
    task();
  };
  return {
    request() {
      if (pending !== undefined) return;
      const wait = lastRunAt + intervalMs - timers.now();
      if (wait <= 0) run();
      else pending = timers.setTimeout(run, wait);
    },
    flush() {
      if (pending === undefined) return;
      timers.clearTimeout(pending);
      run();
    },
    cancel() {
      if (pending !== undefined) timers.clearTimeout(pending);
      pending = undefined;
    },
  };
}
