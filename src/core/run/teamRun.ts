import type { Agent } from '../agent';
import { appendAll } from '../arrays';
import { capFindings } from './findingLimits';
import { executeAgents, inThreadExecutor, type AgentExecutor, type AgentOutcome } from './execution';
import type { MetricsCollector } from '../metrics/collector';
import type { TeamConfig } from '../config/schema';
import type { AgentFailure, AgentSummary, Finding } from '../model';
import type { ProjectContext } from '../files/projectContext';
import type { BreakerPermit } from '../resilience/breaker';
import { describeRefusal } from '../resilience/breaker';
import type { BreakerRegistry } from '../resilience/breakerRegistry';
import { abortableSleep, backoffDelayMs, type Sleep } from '../resilience/retry';

/** How one agent is run: retries of runs that may pass, and a time limit per file. */
export interface AgentPolicy {
  readonly maxRetries: number;
  readonly timeoutMs: number;
}

/** The resilience of a run (DESIGN.md "Resilience and metrics"); every part is optional. */
export interface ResilienceOptions {
  /** Where agents run; on this thread by default. The terminable runner gives hard time limits. */
  readonly executor?: AgentExecutor;
  /** One circuit breaker per agent, kept across audits. */
  readonly breakers?: BreakerRegistry;
  readonly metrics?: MetricsCollector;
  /** Per agent; default: 2 retries, 30 s. */
  readonly policy?: (agentId: string) => AgentPolicy;
  /** Waits between retries; injected so tests do not sleep. */
  readonly sleep?: Sleep;
}

/** The agents' results on one file. */
export interface TeamRun {
  readonly findings: Finding[];
  readonly failures: AgentFailure[];
  /** Each successful agent's findings (what the result cache stores), at most `MAX_FINDINGS_PER_RULE` per rule. */
  readonly byAgent: Map<string, readonly Finding[]>;
  /** Why the parser failed on the file, when it did: the findings are then partial, and none is cached. */
  parseFailure?: string;
}

const DEFAULT_POLICY: AgentPolicy = { maxRetries: 2, timeoutMs: 30_000 };

/**
 * Runs `agents` on one file behind their circuit breakers: an open breaker skips its agent here (marked in the
 * failures as `circuit-open`, with the time until it retries); a run that crashed its thread is retried with
 * exponential backoff up to the agent's `maxRetries`; an error or a timeout is a failure at once (agents are
 * pure: the same input would fail the same way). Each outcome is reported to the breaker and the metrics.
 * The other agents' findings are always kept.
 */
export async function runTeamOnFile(
  file: { path: string; text: string; project?: ProjectContext; edited?: boolean; config?: TeamConfig },
  agents: readonly Agent[], options: ResilienceOptions, summaries: Record<string, AgentSummary>, signal: AbortSignal,
): Promise<TeamRun> {
  const run: TeamRun = { findings: [], failures: [], byAgent: new Map() };
  const permits = new Map<string, BreakerPermit>();
  const tally: Tally = { run, permits, options, summaries };
  let pending: Agent[] = [];
  for (const agent of agents) {
    const decision = options.breakers?.get(agent.id).tryAcquire();
    if (decision && !decision.allowed) {
      run.failures.push({ agent: agent.id, kind: 'circuit-open', message: describeRefusal(agent.id, decision) });
      summaries[agent.id].skipped = (summaries[agent.id].skipped ?? 0) + 1;
      continue;
    }
    if (decision) permits.set(agent.id, decision);
    pending.push(agent);
  }
  const policy = options.policy ?? (() => DEFAULT_POLICY);
  const executor = options.executor ?? inThreadExecutor;
  try {
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await (options.sleep ?? abortableSleep)(backoffDelayMs(attempt - 1), signal);
      const outcomes = await executeAgents(executor, {
        ...file, agents: pending, signal, timeoutMs: (id) => policy(id).timeoutMs,
      });
      const retry = new Set(outcomes.filter((o) => !o.ok && o.kind === 'crashed' && attempt < policy(o.agent).maxRetries)
        .map((o) => o.agent));
      for (const outcome of outcomes) record(outcome, retry.has(outcome.agent), tally);
      if (options.metrics) sampleMemory(options.metrics);
      pending = pending.filter((agent) => retry.has(agent.id));
    }
  } finally {
    // Cancelled mid-way: no verdict on the agents still pending (a probe's slot is given back).
    for (const permit of permits.values()) permit.release();
  }
  return run;
}

/** Memory is sampled at most this often: reading the resident set size is a system call (2 % of a cold audit per file). */
const MEMORY_SAMPLE_EVERY_MS = 250;
let lastMemorySample = -Infinity;

/** The resident set size, what the memory alert is about, at most every `MEMORY_SAMPLE_EVERY_MS`. */
function sampleMemory(metrics: MetricsCollector): void {
  const now = performance.now();
  if (now - lastMemorySample < MEMORY_SAMPLE_EVERY_MS) return;
  lastMemorySample = now;
  metrics.recordMemory(process.memoryUsage.rss());
}

/** Where a file's outcomes are recorded: its run, the breakers' permits still held, metrics and summaries. */
interface Tally {
  readonly run: TeamRun;
  readonly permits: Map<string, BreakerPermit>;
  readonly options: ResilienceOptions;
  readonly summaries: Record<string, AgentSummary>;
}

function record(outcome: AgentOutcome, retrying: boolean, { run, permits, options, summaries }: Tally): void {
  const summary = summaries[outcome.agent];
  summary.runs++;
  // A file the parser (or the agent's stack) cannot handle says nothing about the agent's health.
  const filesFault = !outcome.ok && (outcome.kind === 'unparseable' || outcome.kind === 'too-deep');
  options.metrics?.record({ agent: outcome.agent, durationMs: outcome.durationMs, success: outcome.ok || filesFault });
  if (outcome.ok) {
    permits.get(outcome.agent)?.success();
    permits.delete(outcome.agent);
    // The one place every executor's findings pass before the cache: bounded here, cached bounded.
    const findings = capFindings(outcome.agent, outcome.findings);
    if (outcome.parseFailure === undefined) run.byAgent.set(outcome.agent, findings);
    else run.parseFailure ??= outcome.parseFailure;
    appendAll(run.findings, findings);
    return;
  }
  if (retrying) return;
  // No verdict for the breaker on a file's fault: a probe's slot is given back, the failure count left alone.
  if (filesFault) permits.get(outcome.agent)?.release();
  else {
    permits.get(outcome.agent)?.failure();
    summary.failures++;
  }
  permits.delete(outcome.agent);
  if (outcome.kind === 'unparseable') run.parseFailure ??= outcome.message;
  run.failures.push({ agent: outcome.agent, kind: outcome.kind, message: outcome.message });
}
