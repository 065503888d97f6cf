import type { TeamConfig } from '../config/schema';
import type { MetricsSnapshot } from './snapshot';

/**
 * Alerts on the metrics (DESIGN.md "Resilience and metrics"; thresholds from `global.alerts`). Each alert is
 * raised once when its value goes over the threshold, stays active (its value kept current) while it is over,
 * and is cleared when the value is back at or under the threshold; it can then be raised again.
 *
 * - `high-error-rate`: an agent's failures among its recent runs (the metrics window, last 100). Only judged once
 *   the window holds `minExecutions` runs (default 5), so that one failure out of one run is not "100 %".
 * - `slow-response`: an agent's average duration over its recent runs. Recent rather than lifetime figures, so an
 *   alert clears when the agent recovers instead of waiting for a long history to be outweighed.
 * - `high-memory`: the engine's latest memory sample (the process's, not one agent's); MB = 2^20 bytes.
 */

/** What an alert is about. */
export type AlertType = 'high-error-rate' | 'slow-response' | 'high-memory';

/** One active (or just cleared) alert, plain data. */
export interface Alert {
  readonly type: AlertType;
  /** The agent concerned; absent for engine-wide alerts (memory). */
  readonly agent?: string;
  /** The measured value, in the threshold's unit (fraction, ms, MB). */
  readonly value: number;
  readonly threshold: number;
  /** One line for the notification and the log. */
  readonly message: string;
  /** Epoch ms of the snapshot that raised it. */
  readonly since: number;
}

/** The thresholds; a value strictly above one raises the alert. */
export interface AlertThresholds {
  /** Fraction 0–1. */
  readonly errorRate: number;
  readonly slowResponseMs: number;
  readonly memoryMb: number;
}

/** DESIGN.md's and the config schema's defaults. */
export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = { errorRate: 0.15, slowResponseMs: 1000, memoryMb: 500 };

/** Recent runs needed before an agent's error rate is judged. */
export const DEFAULT_MIN_EXECUTIONS = 5;

/** The thresholds written in `global.alerts`. */
export function alertThresholdsFromConfig(alerts: TeamConfig['global']['alerts']): AlertThresholds {
  return { errorRate: alerts.errorRate, slowResponseMs: alerts.slowResponseMs, memoryMb: alerts.memoryMb };
}

/** What one evaluation changed. */
export interface AlertChanges {
  /** Newly active, to notify. */
  readonly raised: readonly Alert[];
  /** No longer active, with the value that cleared them. */
  readonly cleared: readonly Alert[];
}

/** A measurement that may be over its threshold; `undefined` value = not enough data to judge. */
interface Check {
  readonly type: AlertType;
  readonly agent?: string;
  readonly value: number | undefined;
  readonly threshold: number;
}

const MB = 1024 * 1024;
const percent = (fraction: number): string => `${+(fraction * 100).toFixed(1)} %`;

function messageOf(check: Check & { value: number }): string {
  switch (check.type) {
    case 'high-error-rate':
      return `Agent ${check.agent} failed on ${percent(check.value)} of its recent runs (threshold ${percent(check.threshold)})`;
    case 'slow-response':
      return `Agent ${check.agent} takes ${Math.round(check.value)} ms per file on average (threshold ${check.threshold} ms)`;
    case 'high-memory':
      return `The engine uses ${Math.round(check.value)} MB of memory (threshold ${check.threshold} MB)`;
  }
}

const keyOf = (alert: { type: AlertType; agent?: string }): string => `${alert.type}\u0000${alert.agent ?? ''}`;

/** Watches the snapshots and keeps the set of active alerts. */
export class AlertMonitor {
  readonly #active = new Map<string, Alert>();
  #thresholds: AlertThresholds;
  readonly #minExecutions: number;

  constructor(thresholds: Partial<AlertThresholds> = {}, options: { readonly minExecutions?: number } = {}) {
    this.#thresholds = { ...DEFAULT_ALERT_THRESHOLDS, ...definedOnly(thresholds) };
    this.#minExecutions = Math.max(1, options.minExecutions ?? DEFAULT_MIN_EXECUTIONS);
  }

  /** The thresholds in force. */
  get thresholds(): AlertThresholds {
    return this.#thresholds;
  }

  /** New thresholds (a config reload); they apply from the next evaluation. */
  configure(thresholds: Partial<AlertThresholds>): void {
    this.#thresholds = { ...DEFAULT_ALERT_THRESHOLDS, ...definedOnly(thresholds) };
  }

  /** Compares a snapshot with the thresholds: alerts raised and cleared since the previous evaluation. */
  evaluate(snapshot: MetricsSnapshot): AlertChanges {
    const raised: Alert[] = [];
    const cleared: Alert[] = [];
    const seen = new Set<string>();
    for (const check of this.#checks(snapshot)) {
      const key = keyOf(check);
      seen.add(key);
      const active = this.#active.get(key);
      if (check.value !== undefined && check.value > check.threshold) {
        const measured = { ...check, value: check.value };
        const alert: Alert = { ...measured, message: messageOf(measured), since: active?.since ?? snapshot.takenAt };
        this.#active.set(key, alert);
        if (!active) raised.push(alert);
      } else if (active) {
        this.#active.delete(key);
        cleared.push(check.value === undefined ? active : { ...active, value: check.value });
      }
    }
    // An agent gone from the snapshot (the metrics were reset) has nothing left to alert on.
    for (const [key, alert] of this.#active) {
      if (seen.has(key)) continue;
      this.#active.delete(key);
      cleared.push(alert);
    }
    return { raised, cleared };
  }

  /** The active alerts, oldest first. */
  active(): Alert[] {
    return [...this.#active.values()].sort((a, b) => a.since - b.since);
  }

  /** Forgets every active alert without reporting them cleared (with the metrics' reset). */
  reset(): void {
    this.#active.clear();
  }

  #checks(snapshot: MetricsSnapshot): Check[] {
    const { errorRate, slowResponseMs, memoryMb } = this.#thresholds;
    const checks: Check[] = [];
    for (const agent of Object.values(snapshot.agents)) {
      const runs = agent.recentDurationsMs.length;
      const judged = runs >= this.#minExecutions;
      checks.push(
        { type: 'high-error-rate', agent: agent.agent, value: judged ? agent.recentErrorRate : undefined, threshold: errorRate },
        { type: 'slow-response', agent: agent.agent, value: runs > 0 ? agent.recentAvgDurationMs : undefined, threshold: slowResponseMs },
      );
    }
    const memory = snapshot.global.memoryBytes;
    checks.push({ type: 'high-memory', value: memory === null ? undefined : memory / MB, threshold: memoryMb });
    return checks;
  }
}

/** The keys of `value` whose value is not `undefined` (so they do not override a default with nothing). */
function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
