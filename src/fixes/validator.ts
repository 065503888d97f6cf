import { auditText, type FixAuditOptions } from '../core/run/execution';
import { createAgentInput, UnparseableFile } from '../core/files/fileAudit';
import type { Finding } from '../core/model';
import { applyEdits } from '../core/text';
import type { Agent } from '../core/agent';
import { combineFixes } from './adapter';

/** Outcome of fixing one file. */
export interface FixFileResult {
  /** The fixed text (the input when nothing applied). */
  readonly text: string;
  readonly changed: boolean;
  /** Fixes applied, over all passes. */
  readonly applied: number;
  /** Fixes dropped: the result would not parse as well as the original, or their finding was still there. */
  readonly dropped: number;
  /** Fixable findings still present at the end (0 unless the fixes did not converge). */
  readonly unresolved: number;
  /**
   * The fixable findings of the text given, with their fixes (offsets into it): what names the changes in a
   * preview. Computed here, never taken from a stored audit, whose findings may come from a cache without fixes.
   */
  readonly findings: readonly Finding[];
}

/** Options of `fixFile`; where its audits run (`executor`, `timeoutMs`) as `auditText` says. */
export interface FixFileOptions extends FixAuditOptions {
  /** Which fixable findings to apply; all by default. */
  readonly accept?: (finding: Finding) => boolean;
  /** Re-audit and fix passes at most (a fix may expose another: a removed import leaves blank lines). */
  readonly maxPasses?: number;
}

/**
 * The validator (seeds' agents 04 and 06): applies a file's fixes through the adapter and proves them.
 * After every pass the result is re-parsed and re-audited. Fixes that add a syntax error are dropped, one
 * by one, the others kept; fixes whose finding is still there afterwards are dropped too, and the pass is
 * redone without them. Passes repeat until no fixable finding is left, so fixing a fixed file changes nothing.
 */
export async function fixFile(
  path: string, text: string, agents: readonly Agent[], signal: AbortSignal, options: FixFileOptions = {},
): Promise<FixFileResult> {
  const audits = new FixAudits(path, agents, signal, options);
  const accept = options.accept ?? (() => true);
  const fixableFindings = async (source: string) => (await audits.fixable(source)).filter(accept);
  const baseErrors = syntaxErrorCount(path, text);
  const rejected = new Set<string>();
  let current = text;
  let applied = 0;
  let found = await fixableFindings(current);
  const initial = found;
  let candidates = found.filter((f) => !rejected.has(fixKey(f)));
  for (let pass = 0; pass < (options.maxPasses ?? 4) && candidates.length > 0; pass++) {
    const step = applyValidated(path, current, candidates, baseErrors);
    for (const finding of step.rejected) rejected.add(fixKey(finding));
    if (step.text === current) break;
    // One audit serves twice: proof that the fixed findings are gone, and the next pass's candidates.
    const after = await fixableFindings(step.text);
    const ineffective = [...ineffectiveFixes(step.appliedFindings, found, after), ...audits.unproven(step.appliedFindings)];
    if (ineffective.length > 0) {
      for (const key of ineffective) rejected.add(key);
      candidates = found.filter((f) => !rejected.has(fixKey(f)));
      continue;
    }
    applied += step.applied;
    current = step.text;
    found = after;
    candidates = found.filter((f) => !rejected.has(fixKey(f)));
  }
  const unresolved = candidates.length;
  return { text: current, changed: current !== text, applied, dropped: rejected.size, unresolved, findings: initial };
}

/**
 * Keys of the fixes that did not remove their finding: after applying `n` fixes of a key that had `before`
 * findings, at most `before - n` may remain (keys are rule, message and title, as positions move).
 */
function ineffectiveFixes(
  applied: readonly Finding[], before: readonly Finding[], after: readonly Finding[],
): string[] {
  const count = (findings: readonly Finding[]) => {
    const counts = new Map<string, number>();
    for (const f of findings) counts.set(fixKey(f), (counts.get(fixKey(f)) ?? 0) + 1);
    return counts;
  };
  const [appliedCounts, beforeCounts, afterCounts] = [count(applied), count(before), count(after)];
  return [...appliedCounts].filter(([key, n]) => (afterCounts.get(key) ?? 0) > (beforeCounts.get(key) ?? 0) - n)
    .map(([key]) => key);
}

/**
 * Number of syntax errors the TypeScript parser reports for a script (0 for other files); Infinity when the parser
 * fails on it (a stack overflow on deep nesting): a fix that makes a file unparseable is never proven.
 */
export function syntaxErrorCount(path: string, text: string): number {
  try {
    return createAgentInput(path, text).syntaxErrors().length;
  } catch (error) {
    if (error instanceof UnparseableFile) return Number.POSITIVE_INFINITY;
    throw error;
  }
}

/** Whether `text` has no more syntax errors than `baseErrors`; never when the parser fails on it. */
export function parsesAsWell(path: string, text: string, baseErrors: number): boolean {
  const errors = syntaxErrorCount(path, text);
  return Number.isFinite(errors) && errors <= baseErrors;
}

/**
 * The audits of one file's fixes. An agent that fails once (throws, or is stopped at its time limit) sits the
 * later audits out: a hanging agent costs one time limit per fix, not one per pass. Its fixes applied before it
 * failed have no proof (the audit that would show their findings gone did not run) and are dropped.
 */
export class FixAudits {
  private readonly failed = new Set<string>();

  constructor(
    private readonly path: string, private readonly agents: readonly Agent[], private readonly signal: AbortSignal,
    private readonly options: FixAuditOptions,
  ) {}

  /** The findings of `text` that carry a fix, from the agents that have not failed. */
  async fixable(text: string): Promise<Finding[]> {
    const running = this.agents.filter((agent) => !this.failed.has(agent.id));
    const { findings, failures } = await auditText(this.path, text, running, this.signal, this.options);
    for (const failure of failures) this.failed.add(failure.agent);
    return findings.filter((f) => f.fix && !this.failed.has(f.agent));
  }

  /** Keys of the applied fixes whose agent has failed since: nothing proves them. */
  unproven(applied: readonly Finding[]): string[] {
    return applied.filter((f) => this.failed.has(f.agent)).map(fixKey);
  }
}

interface Step {
  readonly text: string;
  readonly applied: number;
  readonly appliedFindings: readonly Finding[];
  readonly rejected: Finding[];
}

function applyValidated(path: string, text: string, candidates: readonly Finding[], baseErrors: number): Step {
  const combined = combineFixes(candidates);
  const next = applyEdits(text, combined.edits);
  if (parsesAsWell(path, next, baseErrors)) {
    return { text: next, applied: combined.applied.length, appliedFindings: combined.applied, rejected: [] };
  }
  // Something broke the parse: keep only the fixes that are safe on their own, then re-check them together.
  const safe = combined.applied.filter((f) => parsesAsWell(path, applyEdits(text, f.fix!.edits), baseErrors));
  const rejected = combined.applied.filter((f) => !safe.includes(f));
  const retry = combineFixes(safe);
  const retried = applyEdits(text, retry.edits);
  if (parsesAsWell(path, retried, baseErrors)) {
    return { text: retried, applied: retry.applied.length, appliedFindings: retry.applied, rejected };
  }
  return { text, applied: 0, appliedFindings: [], rejected: [...combined.applied] };
}

/** Identifies a fix across passes, where positions move but the rule and its message stay. */
function fixKey(finding: Finding): string {
  return `${finding.rule}\u0000${finding.message}\u0000${finding.fix?.title ?? ''}`;
}
