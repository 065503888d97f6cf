import { auditText, createAgentInput } from '../core/fileAudit';
import type { Finding } from '../core/model';
import { applyEdits } from '../core/text';
import type { Agent } from './agent';
import { combineFixes } from './adapter';

/** Outcome of fixing one file. */
export interface FixFileResult {
  /** The fixed text (the input when nothing applied). */
  readonly text: string;
  readonly changed: boolean;
  /** Fixes applied, over all passes. */
  readonly applied: number;
  /** Fixes dropped because the result would not parse as well as the original. */
  readonly dropped: number;
  /** Fixable findings still present at the end (0 unless the fixes did not converge). */
  readonly unresolved: number;
}

/** Options of `fixFile`. */
export interface FixFileOptions {
  /** Which fixable findings to apply; all by default. */
  readonly accept?: (finding: Finding) => boolean;
  /** Re-audit and fix passes at most (a fix may expose another: a removed import leaves blank lines). */
  readonly maxPasses?: number;
}

/**
 * The validator (seeds' agents 04 and 06): applies a file's fixes through the adapter and proves them.
 * After every pass the result is re-parsed; fixes that add a syntax error are dropped, one by one, the
 * others kept. Passes repeat until no fixable finding is left, so fixing a fixed file changes nothing.
 */
export async function fixFile(
  path: string, text: string, agents: readonly Agent[], signal: AbortSignal, options: FixFileOptions = {},
): Promise<FixFileResult> {
  const accept = options.accept ?? (() => true);
  const baseErrors = syntaxErrorCount(path, text);
  const rejected = new Set<string>();
  let current = text;
  let applied = 0;
  let candidates = await fixable(path, current, agents, signal, accept, rejected);
  for (let pass = 0; pass < (options.maxPasses ?? 4) && candidates.length > 0; pass++) {
    const step = applyValidated(path, current, candidates, baseErrors);
    for (const finding of step.rejected) rejected.add(fixKey(finding));
    const progressed = step.text !== current;
    if (progressed) {
      applied += step.applied;
      current = step.text;
    }
    // One audit serves twice: the next pass's candidates, and what is left when the loop ends.
    candidates = await fixable(path, current, agents, signal, accept, rejected);
    if (!progressed) break;
  }
  const unresolved = candidates.length;
  return { text: current, changed: current !== text, applied, dropped: rejected.size, unresolved };
}

/** Number of syntax errors the TypeScript parser reports for a script (0 for other files). */
export function syntaxErrorCount(path: string, text: string): number {
  return createAgentInput(path, text).syntaxErrors().length;
}

async function fixable(
  path: string, text: string, agents: readonly Agent[], signal: AbortSignal,
  accept: (finding: Finding) => boolean, rejected: ReadonlySet<string>,
): Promise<Finding[]> {
  const { findings } = await auditText(path, text, agents, signal);
  return findings.filter((f) => f.fix && accept(f) && !rejected.has(fixKey(f)));
}

interface Step {
  readonly text: string;
  readonly applied: number;
  readonly rejected: Finding[];
}

function applyValidated(path: string, text: string, candidates: readonly Finding[], baseErrors: number): Step {
  const combined = combineFixes(candidates);
  const next = applyEdits(text, combined.edits);
  if (syntaxErrorCount(path, next) <= baseErrors) return { text: next, applied: combined.applied.length, rejected: [] };
  // Something broke the parse: keep only the fixes that are safe on their own, then re-check them together.
  const safe = combined.applied.filter((f) => syntaxErrorCount(path, applyEdits(text, f.fix!.edits)) <= baseErrors);
  const rejected = combined.applied.filter((f) => !safe.includes(f));
  const retry = combineFixes(safe);
  const retried = applyEdits(text, retry.edits);
  if (syntaxErrorCount(path, retried) <= baseErrors) return { text: retried, applied: retry.applied.length, rejected };
  return { text, applied: 0, rejected: [...combined.applied] };
}

/** Identifies a fix across passes, where positions move but the rule and its message stay. */
function fixKey(finding: Finding): string {
  return `${finding.rule}\u0000${finding.message}\u0000${finding.fix?.title ?? ''}`;
}
