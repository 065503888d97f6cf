/**
 * Which files to audit again when circuit breakers close (issue 19 #9). A file audited while an agent's breaker was
 * open (or on which that agent failed) carries the failure in its result (`FileResult.failures`, shown as a
 * `maintenance/agent-failed` finding): the finding store already remembers which files lack which agent, so these
 * functions only read it. Pure (no 'vscode').
 */
import type { AgentFailure, BreakerState, FileResult } from '../core/model';

/** Failures that are the agent's (or its breaker's), which a later run of that agent may not repeat. */
const RECOVERABLE: ReadonlySet<AgentFailure['kind']> = new Set(['threw', 'timeout', 'crashed', 'circuit-open', undefined]);

/** The agents whose breaker was not closed in `before` and is closed in `after` (an agent absent counts as closed). */
export function closedBreakers(
  before: Readonly<Record<string, BreakerState>>, after: Readonly<Record<string, BreakerState>>,
): string[] {
  return Object.keys(before).filter((agent) => before[agent] !== 'closed' && (after[agent] ?? 'closed') === 'closed').sort();
}

/**
 * The files audited without one of `agents` (every agent with `'all'`), by key, in the order given: those whose
 * result lists a recoverable failure of such an agent. A failure that is the file's doing (unparseable, too deep)
 * would only come back, so it does not count.
 */
export function filesAuditedWithout(
  files: Iterable<{ readonly uri: string; readonly result: FileResult }>, agents: ReadonlySet<string> | 'all',
): string[] {
  const uris: string[] = [];
  for (const { uri, result } of files) {
    const missing = result.failures.some((f) => RECOVERABLE.has(f.kind) && (agents === 'all' || agents.has(f.agent)));
    if (missing) uris.push(uri);
  }
  return uris;
}
