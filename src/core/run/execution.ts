import type { Agent, AgentInput } from '../agent';
import type { TeamConfig } from '../config/schema';
import { appendAll } from '../arrays';
import { compareFindings, createAgentInput, UnparseableFile } from '../files/fileAudit';
import { capFindings } from './findingLimits';
import { languageOf } from '../files/languages';
import type { AgentFailure, Finding, Severity, SuppressedFinding } from '../model';
import { suppressFindings } from '../suppress/applySuppressions';
import type { ProjectContext } from '../files/projectContext';
import { redactFinding, redactSecrets } from '../redact';

/**
 * How an agent's error is counted: `unparseable` (the parser failed on the file) and `too-deep` (the agent ran out
 * of stack on the file's nesting) are the file's doing and never count toward the agent's breaker; `threw` is.
 */
export type ErrorKind = 'threw' | 'unparseable' | 'too-deep';

/** How one agent's run on one file ended. */
export type AgentOutcome =
  | {
    readonly agent: string;
    readonly ok: true;
    readonly findings: Finding[];
    readonly durationMs: number;
    /**
     * Set when the parser failed on the file: the findings are the agent's text-level ones only (hygiene without
     * fixes, the secret scan), and are not cached.
     */
    readonly parseFailure?: string;
  }
  | {
    readonly agent: string;
    readonly ok: false;
    /**
     * `threw`: the agent raised an error; `timeout`: it ran past its time and was stopped; `crashed`: the thread
     * died; `unparseable`, `too-deep`: see `ErrorKind`.
     */
    readonly kind: ErrorKind | 'timeout' | 'crashed';
    readonly message: string;
    readonly durationMs: number;
  };

/** An agent's error as an outcome's kind and message (both executors classify errors with this). */
export function failureOf(error: unknown): { kind: ErrorKind; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UnparseableFile) return { kind: 'unparseable', message };
  // V8's own message for a stack overflow; a RangeError of an agent's own making says something else.
  if (error instanceof RangeError && /call stack size/i.test(message)) return { kind: 'too-deep', message };
  return { kind: 'threw', message };
}

/** Why the parser failed on `input`'s text, if it was asked to parse it and did. */
export function parseFailureOf(input: AgentInput): { parseFailure?: string } {
  const failure = input.parseFailure?.();
  return failure === undefined ? {} : { parseFailure: failure };
}

/** One file to run some agents on. */
export interface ExecutionRequest {
  readonly path: string;
  readonly text: string;
  readonly project?: ProjectContext;
  /** The agents to run, in order. */
  readonly agents: readonly Agent[];
  /** Each agent's time limit on this file. */
  readonly timeoutMs: (agentId: string) => number;
  readonly signal: AbortSignal;
  /**
   * The configuration the agents were built from (the file's, overrides applied): an executor that builds its own
   * team (the runner's threads) builds it from this. Absent: the executor's own.
   */
  readonly config?: TeamConfig;
  /**
   * The text of a document being edited (an editor's buffer): the runner keeps its tree, to parse the next version
   * incrementally. This thread's executor does not (two audits of one path may interleave here).
   */
  readonly edited?: boolean;
}

/** Where agents run: on this thread, or in threads that can be terminated (src/core/runner). */
export interface AgentExecutor {
  /** Runs the request's agents; one outcome per agent, in order. Rejects only when the signal aborts. */
  execute(request: ExecutionRequest): Promise<AgentOutcome[]>;
}

/**
 * Runs `request` on `executor`: the one door through which agents' results enter the engine, whichever executor
 * ran them. Findings' messages and fix titles, and failure messages, leave it with credentials quoted from the
 * code redacted (src/core/redact.ts), so the cache, the shared tier and every report only ever see them so.
 */
export async function executeAgents(executor: AgentExecutor, request: ExecutionRequest): Promise<AgentOutcome[]> {
  const outcomes = await executor.execute(request);
  return outcomes.map((outcome) => (outcome.ok
    ? { ...outcome, findings: outcome.findings.map(redactFinding) }
    : { ...outcome, message: redactSecrets(outcome.message) }));
}

/**
 * Runs the agents on the calling thread, one after the other, sharing one parse. An asynchronous agent is
 * stopped waiting at its time limit (a `timeout`); a synchronous one cannot be interrupted here, so its time
 * is only measured: run the work in the terminable runner for hard limits (the CLI and the editor do).
 */
export const inThreadExecutor: AgentExecutor = {
  async execute(request: ExecutionRequest): Promise<AgentOutcome[]> {
    const input = createAgentInput(request.path, request.text, languageOf(request.path), request.project);
    const outcomes: AgentOutcome[] = [];
    for (const agent of request.agents) {
      request.signal.throwIfAborted();
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      try {
        const findings = await withinTime(() => agent.run(input, request.signal), request.timeoutMs(agent.id));
        outcomes.push({ agent: agent.id, ok: true, findings, durationMs: elapsed(), ...parseFailureOf(input) });
      } catch (error) {
        if (request.signal.aborted) throw error;
        const failure = error instanceof RunTimeout ? { kind: 'timeout' as const, message: error.message } : failureOf(error);
        outcomes.push({ agent: agent.id, ok: false, ...failure, durationMs: elapsed() });
      }
    }
    return outcomes;
  },
};

/** What the team found in one text (for the validator, fixes and the tests: no cache, no breakers). */
export interface TextAudit {
  /** Every finding that counts, in position order (a suppression comment's findings are in `suppressed`). */
  readonly findings: Finding[];
  /** The findings a suppression comment of the text covers: no fix of theirs is ever applied. */
  readonly suppressed: SuppressedFinding[];
  readonly failures: AgentFailure[];
  /** Ids of the agents that ran on this text. */
  readonly ran: string[];
}

/** Where `auditText` runs its agents: on this thread without time limits unless told otherwise. */
export interface TextAuditOptions {
  readonly project?: ProjectContext;
  /** The terminable runner's executor gives hard time limits (the editor's fixes run there). */
  readonly executor?: AgentExecutor;
  /** Each agent's time limit; none by default. */
  readonly timeoutMs?: (agentId: string) => number;
  /** The text of a document being edited: the runner parses it from the tree it kept (`ExecutionRequest.edited`). */
  readonly edited?: boolean;
  /** The configuration `agents` were built from (the file's): the runner builds the same team (`ExecutionRequest`). */
  readonly config?: TeamConfig;
  /** Severity of the `maintenance/unused-suppression` findings; absent: not reported. */
  readonly unusedSuppressions?: Severity;
}

/** Where the audits of a fix run (the text's project context is of no use to a fix). */
export type FixAuditOptions = Omit<TextAuditOptions, 'project'>;

/**
 * Runs every applicable agent on one text. One agent failing (throwing, or stopped at its time limit by the
 * runner) loses nothing else: its failure is recorded and the other agents' findings are kept. An abort rethrows.
 */
export async function auditText(
  path: string, text: string, agents: readonly Agent[], signal: AbortSignal, options: TextAuditOptions = {},
): Promise<TextAudit> {
  const language = languageOf(path);
  const outcomes = await executeAgents(options.executor ?? inThreadExecutor, {
    path, text, project: options.project, agents: agents.filter((agent) => agent.appliesTo(language)), signal,
    timeoutMs: options.timeoutMs ?? (() => Infinity), ...(options.edited ? { edited: true } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  const all: Finding[] = [];
  const failures: AgentFailure[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) appendAll(all, capFindings(outcome.agent, outcome.findings));
    else failures.push({ agent: outcome.agent, kind: outcome.kind, message: outcome.message });
  }
  // The same step as the coordinator's: Fix all, --fix and fix on save never see a suppressed finding.
  const completeAgents = new Set(outcomes.filter((o) => o.ok && o.parseFailure === undefined).map((o) => o.agent));
  const { findings, suppressed } = suppressFindings(path, text, all, { completeAgents, unused: options.unusedSuppressions });
  findings.sort(compareFindings);
  return { findings, suppressed, failures, ran: outcomes.map((o) => o.agent) };
}

class RunTimeout extends Error {}

async function withinTime(run: () => Finding[] | Promise<Finding[]>, ms: number): Promise<Finding[]> {
  const result = run();
  if (!(result instanceof Promise) || !Number.isFinite(ms)) return result;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      result,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RunTimeout(`did not finish within ${Math.round(ms)} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
