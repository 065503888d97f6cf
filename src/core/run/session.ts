import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../clock';
import type { TeamConfig } from '../config/schema';
import type { AgentExecutor, FixAuditOptions } from './execution';
import { AlertMonitor, alertThresholdsFromConfig, type AlertChanges } from '../metrics/alerts';
import { DEFAULT_METRICS_RETENTION_MS, MetricsCollector } from '../metrics/collector';
import type { MetricsSnapshot } from '../metrics/snapshot';
import { detectTrends, type Trend } from '../metrics/trends';
import { breakerOptionsFromConfig, BreakerRegistry } from '../resilience/breakerRegistry';
import type { AgentPolicy, ResilienceOptions } from './teamRun';

/**
 * What outlives one audit: the agents' circuit breakers, the metrics and the alerts. The CLI holds one for its
 * run; the editor's engine worker holds one for the session (persisting the metrics, so trends survive a reload).
 */
export class EngineSession {
  readonly breakers: BreakerRegistry;
  metrics: MetricsCollector;
  readonly alerts: AlertMonitor;

  constructor(config: TeamConfig, private readonly clock: Clock = systemClock) {
    this.breakers = new BreakerRegistry(breakerOptionsFromConfig(config.global.circuitBreaker), { clock });
    this.metrics = new MetricsCollector({ clock });
    this.alerts = new AlertMonitor(alertThresholdsFromConfig(config.global.alerts));
  }

  /** A new configuration: breaker timings and alert thresholds follow it; states and history are kept. */
  configure(config: TeamConfig): void {
    this.breakers.configure(breakerOptionsFromConfig(config.global.circuitBreaker));
    this.alerts.configure(alertThresholdsFromConfig(config.global.alerts));
  }

  /** The coordinator's resilience options under `config` (per agent: retries and time limit). */
  resilience(config: TeamConfig, executor?: AgentExecutor): ResilienceOptions {
    return { breakers: this.breakers, metrics: this.metrics, executor, policy: (id) => agentPolicy(config, id) };
  }

  snapshot(): MetricsSnapshot {
    return this.metrics.snapshot({ alerts: this.alerts.active(), breakers: this.breakers.snapshot() });
  }

  /** The trends active now, judged on the metrics' slots (the last hour against the 7 days before it). */
  trends(): Trend[] {
    return detectTrends(this.metrics.trendHistory(), this.clock.now());
  }

  /** Alerts raised and cleared since the last call (each raised once while active). */
  evaluateAlerts(): AlertChanges {
    return this.alerts.evaluate(this.metrics.snapshot({ breakers: this.breakers.snapshot() }));
  }

  /** Restores saved metrics, dropping what is older than the retention. Returns the problem, if any; never throws. */
  async loadMetrics(path: string, retentionMs = DEFAULT_METRICS_RETENTION_MS): Promise<string | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
    const loaded = MetricsCollector.fromJSON(text, { retentionMs, clock: this.clock });
    this.metrics = loaded.collector;
    return loaded.problem;
  }

  /** Saves the metrics atomically (temporary file, then rename). Never throws; false if it failed. */
  async saveMetrics(path: string): Promise<boolean> {
    try {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(this.metrics.toJSON()), 'utf8');
      await rename(temp, path);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Where the audits of fixes run under `config`: with `executor` (the runner, for hard limits), each agent held to
 * its time limit, as the audit was.
 */
export function fixAuditOptions(config: TeamConfig, executor?: AgentExecutor): FixAuditOptions {
  return { executor, timeoutMs: (id) => agentPolicy(config, id).timeoutMs };
}

/** An agent's retries and time limit under `config`. */
export function agentPolicy(config: TeamConfig, id: string): AgentPolicy {
  const agent = (config.team as Record<string, { maxRetries: number; timeoutSeconds: number } | undefined>)[id];
  if (agent) return { maxRetries: agent.maxRetries, timeoutMs: agent.timeoutSeconds * 1000 };
  // The fault-injection agents (MAINTENANCE_TEAM_TEST_AGENTS) are not in the config: short limits.
  return id.startsWith('faulty:')
    ? { maxRetries: 0, timeoutMs: Number(process.env.MAINTENANCE_TEAM_TEST_TIMEOUT_MS ?? 2000) }
    : { maxRetries: 2, timeoutMs: 30_000 };
}
