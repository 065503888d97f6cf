import type { TeamConfig } from '../config/schema';
import {
  CircuitBreaker, normalizeBreakerOptions, type BreakerDeps, type BreakerOptions, type BreakerSnapshot,
} from './breaker';

/** The breaker options written in `global.circuitBreaker` (seconds there, milliseconds here). */
export function breakerOptionsFromConfig(config: TeamConfig['global']['circuitBreaker']): BreakerOptions {
  return normalizeBreakerOptions({
    failureThreshold: config.failureThreshold,
    openTimeoutMs: config.openTimeoutSeconds * 1000,
    maxOpenTimeoutMs: config.maxOpenTimeoutSeconds * 1000,
  });
}

/**
 * The team's breakers, one per agent id, created on first use with the shared options. Lives as long as the
 * session (not one audit), so an agent that keeps failing stays isolated from one audit to the next.
 */
export class BreakerRegistry {
  readonly #breakers = new Map<string, CircuitBreaker>();
  #options: BreakerOptions;

  constructor(options: Partial<BreakerOptions> = {}, private readonly deps: BreakerDeps = {}) {
    this.#options = normalizeBreakerOptions(options);
  }

  /** The agent's breaker, created closed on first use. */
  get(agent: string): CircuitBreaker {
    let breaker = this.#breakers.get(agent);
    if (!breaker) {
      breaker = new CircuitBreaker(agent, this.#options, this.deps);
      this.#breakers.set(agent, breaker);
    }
    return breaker;
  }

  /** Every breaker's state, keyed by agent id in id order. */
  snapshot(): Record<string, BreakerSnapshot> {
    const ids = [...this.#breakers.keys()].sort();
    return Object.fromEntries(ids.map((id) => [id, this.#breakers.get(id)!.snapshot()]));
  }

  /** Agents whose breaker is not closed (for the status bar), in id order. */
  notClosed(): string[] {
    return [...this.#breakers.keys()].filter((id) => this.#breakers.get(id)!.state !== 'closed').sort();
  }

  /** Closes one agent's breaker, or all of them. */
  reset(agent?: string): void {
    if (agent !== undefined) this.#breakers.get(agent)?.reset();
    else for (const breaker of this.#breakers.values()) breaker.reset();
  }

  /** New options for every breaker, present and future (a config reload). */
  configure(options: Partial<BreakerOptions>): void {
    this.#options = normalizeBreakerOptions(options);
    for (const breaker of this.#breakers.values()) breaker.configure(this.#options);
  }
}
