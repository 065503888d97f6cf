import { systemClock, type Clock } from '../clock';
import type { BreakerState } from '../model';

/**
 * A circuit breaker per agent (DESIGN.md "Resilience and metrics"): `closed` → `open` after `failureThreshold`
 * consecutive failures; while open every call is refused at once with the time until retry; once the open timeout
 * has passed the breaker is `halfOpen` and lets exactly one probe call through. The probe's success closes the
 * breaker and resets it; its failure re-opens it with the timeout doubled, capped at `maxOpenTimeoutMs`.
 *
 * The breaker never runs the work itself: `tryAcquire()` hands out a permit and the caller reports the outcome on
 * it, so the coordinator decides what a failure is (a thrown error or a timeout) and what is no verdict at all
 * (a cancellation by the user).
 */

/** How a breaker trips and recovers. */
export interface BreakerOptions {
  /** Consecutive failures that open a closed breaker (≥ 1). */
  readonly failureThreshold: number;
  /** Wait before the first probe of an open breaker. */
  readonly openTimeoutMs: number;
  /** Longest wait after doubling on failed probes; never below `openTimeoutMs`. */
  readonly maxOpenTimeoutMs: number;
}

/** The defaults of DESIGN.md: 5 failures, 60 s, doubling up to 300 s. */
export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = {
  failureThreshold: 5,
  openTimeoutMs: 60_000,
  maxOpenTimeoutMs: 300_000,
};

/** A breaker's state as the dashboard, the status bar and the report show it (plain, serialisable). */
export interface BreakerSnapshot {
  readonly state: BreakerState;
  readonly consecutiveFailures: number;
  /** The wait the breaker uses the next time it opens, or is using now while open. */
  readonly openTimeoutMs: number;
  /** Epoch ms at which an open breaker lets a probe through (only while `open`). */
  readonly openUntil?: number;
  /** Milliseconds until then (only while `open`). */
  readonly retryInMs?: number;
}

/** Why a breaker changed state. */
export type BreakerChangeReason = 'failures' | 'timeout-elapsed' | 'probe-succeeded' | 'probe-failed' | 'reset';

/** One state change, for the log and the metrics. */
export interface BreakerTransition {
  /** The breaker's name: the agent id. */
  readonly name: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: BreakerChangeReason;
  /** Epoch ms of the change. */
  readonly at: number;
  readonly snapshot: BreakerSnapshot;
}

/** Told of every state change; must not throw (it runs inside the caller's success/failure report). */
export type BreakerListener = (transition: BreakerTransition) => void;

/** Permission to make one call; report its outcome exactly once (later reports are ignored). */
export interface BreakerPermit {
  readonly allowed: true;
  /** True for the single probe call of a half-open breaker. */
  readonly probe: boolean;
  /** The call succeeded. */
  success(): void;
  /** The call failed (an error or a timeout). */
  failure(): void;
  /** The call ended with no verdict on the agent (cancelled by the user): a probe's slot is given back. */
  release(): void;
}

/** A refused call. */
export interface BreakerRefusal {
  readonly allowed: false;
  /** `open`: waiting for the timeout; `halfOpen`: another call is the probe. */
  readonly state: 'open' | 'halfOpen';
  /** Milliseconds until a probe may run; 0 while another call is the probe (retry when it ends). */
  readonly retryInMs: number;
}

/** The answer of `tryAcquire()`. */
export type BreakerDecision = BreakerPermit | BreakerRefusal;

/** What a breaker is built with besides its options. */
export interface BreakerDeps {
  readonly clock?: Clock;
  readonly onStateChange?: BreakerListener;
}

/** Options completed with the defaults; a cap below the base timeout is raised to it. */
export function normalizeBreakerOptions(options: Partial<BreakerOptions> = {}): BreakerOptions {
  const failureThreshold = options.failureThreshold ?? DEFAULT_BREAKER_OPTIONS.failureThreshold;
  const openTimeoutMs = options.openTimeoutMs ?? DEFAULT_BREAKER_OPTIONS.openTimeoutMs;
  const maxOpenTimeoutMs = options.maxOpenTimeoutMs ?? DEFAULT_BREAKER_OPTIONS.maxOpenTimeoutMs;
  return {
    failureThreshold: Math.max(1, Math.floor(failureThreshold)),
    openTimeoutMs,
    maxOpenTimeoutMs: Math.max(openTimeoutMs, maxOpenTimeoutMs),
  };
}

/** One agent's circuit breaker. Time comes from the injected clock; the breaker holds no timer. */
export class CircuitBreaker {
  #options: BreakerOptions;
  readonly #clock: Clock;
  readonly #onStateChange?: BreakerListener;
  #state: BreakerState = 'closed';
  #consecutiveFailures = 0;
  #openTimeoutMs: number;
  #openUntil = 0;
  #probing = false;
  /**
   * Bumped on every state change: a permit reports only into the generation that issued it, so a slow call
   * started while closed cannot close a breaker that opened meanwhile, nor count against a later closed period.
   */
  #generation = 0;

  constructor(readonly name: string, options: Partial<BreakerOptions> = {}, deps: BreakerDeps = {}) {
    this.#options = normalizeBreakerOptions(options);
    this.#openTimeoutMs = this.#options.openTimeoutMs;
    this.#clock = deps.clock ?? systemClock;
    this.#onStateChange = deps.onStateChange;
  }

  /** The current state (an open breaker whose timeout has passed reads as `halfOpen`). */
  get state(): BreakerState {
    this.#refresh();
    return this.#state;
  }

  /** The options in force. */
  get options(): BreakerOptions {
    return this.#options;
  }

  /** Asks to make one call: a permit to report on, or a refusal saying when to come back. */
  tryAcquire(): BreakerDecision {
    this.#refresh();
    if (this.#state === 'closed') return this.#permit(false);
    if (this.#state === 'open') {
      return { allowed: false, state: 'open', retryInMs: Math.max(0, this.#openUntil - this.#clock.now()) };
    }
    if (this.#probing) return { allowed: false, state: 'halfOpen', retryInMs: 0 };
    this.#probing = true;
    return this.#permit(true);
  }

  /** Closes the breaker and forgets its failures and backoff (the "Reset circuit breakers" command). */
  reset(): void {
    this.#consecutiveFailures = 0;
    this.#openTimeoutMs = this.#options.openTimeoutMs;
    this.#transition('closed', 'reset');
  }

  /**
   * Applies new options (a config reload). Failures counted so far are kept; the current wait stays within the
   * new bounds, and a closed breaker's next wait is the new base.
   */
  configure(options: Partial<BreakerOptions>): void {
    this.#options = normalizeBreakerOptions(options);
    const { openTimeoutMs, maxOpenTimeoutMs } = this.#options;
    this.#openTimeoutMs = this.#state === 'closed'
      ? openTimeoutMs
      : Math.min(maxOpenTimeoutMs, Math.max(openTimeoutMs, this.#openTimeoutMs));
  }

  /** The state as plain data. */
  snapshot(): BreakerSnapshot {
    this.#refresh();
    return this.#snapshotAt(this.#clock.now());
  }

  #snapshotAt(now: number): BreakerSnapshot {
    const base = { state: this.#state, consecutiveFailures: this.#consecutiveFailures, openTimeoutMs: this.#openTimeoutMs };
    if (this.#state !== 'open') return base;
    return { ...base, openUntil: this.#openUntil, retryInMs: Math.max(0, this.#openUntil - now) };
  }

  #permit(probe: boolean): BreakerPermit {
    const generation = this.#generation;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      if (generation !== this.#generation) return;
      if (probe) this.#probing = false;
      outcome();
    };
    return {
      allowed: true,
      probe,
      success: () => settle(() => this.#onSuccess(probe)),
      failure: () => settle(() => this.#onFailure(probe)),
      release: () => settle(() => undefined),
    };
  }

  #onSuccess(probe: boolean): void {
    this.#consecutiveFailures = 0;
    if (!probe) return;
    this.#openTimeoutMs = this.#options.openTimeoutMs;
    this.#transition('closed', 'probe-succeeded');
  }

  #onFailure(probe: boolean): void {
    this.#consecutiveFailures++;
    if (probe) {
      this.#openTimeoutMs = Math.min(this.#options.maxOpenTimeoutMs, this.#openTimeoutMs * 2);
      this.#transition('open', 'probe-failed');
    } else if (this.#consecutiveFailures >= this.#options.failureThreshold) {
      this.#transition('open', 'failures');
    }
  }

  /** An open breaker becomes half-open once its wait is over; there is no timer, so every reader calls this. */
  #refresh(): void {
    if (this.#state === 'open' && this.#clock.now() >= this.#openUntil) this.#transition('halfOpen', 'timeout-elapsed');
  }

  #transition(to: BreakerState, reason: BreakerChangeReason): void {
    const from = this.#state;
    const at = this.#clock.now();
    this.#generation++;
    this.#probing = false;
    this.#state = to;
    this.#openUntil = to === 'open' ? at + this.#openTimeoutMs : 0;
    if (from === to && reason === 'reset') return;
    this.#onStateChange?.({ name: this.name, from, to, reason, at, snapshot: this.#snapshotAt(at) });
  }
}

/**
 * The report's and the log's line for a refused call, as the issue words it:
 * "agent imports skipped: circuit open, retry in 42 s".
 */
export function describeRefusal(agent: string, refusal: BreakerRefusal): string {
  if (refusal.state === 'halfOpen') return `agent ${agent} skipped: circuit half-open, a probe run is in progress`;
  return `agent ${agent} skipped: circuit open, retry in ${Math.ceil(refusal.retryInMs / 1000)} s`;
}
