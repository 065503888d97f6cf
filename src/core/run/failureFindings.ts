import type { AgentFailure, Finding } from '../model';

/** A finding saying an agent did not run on a file, or not to the end: it failed, timed out, or its breaker is open. */
export const AGENT_FAILED_RULE = 'maintenance/agent-failed';

/** A finding saying the parser failed on a file, so only its text-level checks ran. */
export const PARSE_FAILED_RULE = 'maintenance/parse-failed';

/** Rules that say part of a file's audit is missing: `--allow-partial` reports them without failing the run. */
export const PARTIAL_AUDIT_RULES: ReadonlySet<string> = new Set([AGENT_FAILED_RULE, PARSE_FAILED_RULE]);

/** An agent's error message may be anything (a hostile file's text quoted in it, a stack): kept to this length. */
const MAX_REASON_CHARS = 300;

const FILE_START = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } as const;

/**
 * The findings that make a partial audit visible (DESIGN.md "Trust boundary": every file ends fully audited, or
 * with a finding saying which agent did not run on it and why): one `maintenance/agent-failed` per agent that
 * failed or was skipped, and one `maintenance/parse-failed` when the parser failed on the file (the agents that
 * needed its tree named in it). Errors, so they count for `--fail-on` and the score. Built from the run's failures
 * after the cache, never cached: the next audit runs those agents again.
 */
export function failureFindings(failures: readonly AgentFailure[], parseFailure: string | undefined): Finding[] {
  const findings: Finding[] = [];
  const unparsed: string[] = [];
  let reason = parseFailure;
  for (const failure of failures) {
    if (failure.kind === 'unparseable') {
      unparsed.push(failure.agent);
      reason ??= failure.message;
    } else {
      findings.push(finding(failure.agent, AGENT_FAILED_RULE, agentFailedMessage(failure)));
    }
  }
  if (reason !== undefined) {
    const missing = unparsed.length > 0 ? `${unparsed.join(', ')} did not run on it; only` : 'only';
    findings.push(finding('maintenance', PARSE_FAILED_RULE,
      `${clip(reason)}: ${missing} the text-level checks (hygiene, secrets) did`));
  }
  return findings;
}

function agentFailedMessage(failure: AgentFailure): string {
  const id = `agent '${failure.agent}'`;
  const reason = clip(failure.message);
  switch (failure.kind) {
    case 'circuit-open':
      return `${id} did not run on this file: its circuit breaker is open after repeated failures (${reason}); its findings are missing`;
    case 'timeout':
      return `${id} was stopped on this file (${reason}); its findings are missing`;
    case 'crashed':
      return `${id} crashed on this file (${reason}); its findings are missing`;
    case 'too-deep':
      return `${id} could not follow this file's nesting (${reason}); its findings are missing`;
    default:
      return `${id} failed on this file (${reason}); its findings are missing`;
  }
}

function finding(agent: string, rule: string, message: string): Finding {
  return { agent, rule, severity: 'error', message, range: FILE_START };
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_REASON_CHARS ? line : `${line.slice(0, MAX_REASON_CHARS - 1)}…`;
}
