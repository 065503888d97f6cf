/**
 * Where time-dependent code (circuit breakers, metrics, caches) reads the time. Injected so that tests move time
 * by hand and never sleep.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (`Date.now()` semantics). */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };
