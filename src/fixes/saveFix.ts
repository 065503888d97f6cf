import type { TeamConfig } from '../core/config/schema';
import type { FixAuditOptions } from '../core/run/execution';
import type { Finding } from '../core/model';
import { fixesAllowedOnSave, type SaveGuard } from './savePolicy';
import { applyEdits } from '../core/text';
import type { Agent } from '../core/agent';
import { combineFixes } from './adapter';
import { FixAudits, parsesAsWell, syntaxErrorCount } from './validator';

/** Outcome of fixing a text on save. */
export interface SaveFixResult {
  readonly text: string;
  readonly applied: number;
  /** Allowed fixes dropped because they broke the parse or did not remove their finding. */
  readonly dropped: number;
}

/**
 * Options of `fixForSave`: what the editor knows at save time, the file's configuration, which fixable findings to
 * apply (all by default), and where its audits run.
 */
export interface SaveFixOptions extends FixAuditOptions {
  readonly guard: SaveGuard;
  /** The file's configuration (overrides applied): the save policy judges under it, and the audits run under it. */
  readonly config: TeamConfig;
  readonly accept?: (finding: Finding) => boolean;
}

/**
 * Fix on save: one pass of the fixes the save policy allows, proved as the validator proves fixes (no new syntax
 * error, every applied fix's finding gone). One pass because the cursor lines and typed spans are positions in
 * the saved text; a fix uncovered by another waits for the next save. The proof counts every fixable finding
 * before and after, so the fixes held back (still there, moved) cancel out instead of counting as failures.
 */
export async function fixForSave(
  path: string, text: string, agents: readonly Agent[], signal: AbortSignal, options: SaveFixOptions,
): Promise<SaveFixResult> {
  const accept = options.accept ?? (() => true);
  const audits = new FixAudits(path, agents, signal, options);
  const before = await audits.fixable(text);
  let candidates = fixesAllowedOnSave(before.filter(accept), { text, ...options.guard }, options.config).allowed;
  const baseErrors = syntaxErrorCount(path, text);
  const allowedCount = candidates.length;
  let parseChecked = false;
  for (let attempt = 0; attempt < 3 && candidates.length > 0; attempt++) {
    const combined = combineFixes(candidates);
    const next = applyEdits(text, combined.edits);
    if (!parsesAsWell(path, next, baseErrors)) {
      if (parseChecked) break;
      // Something broke the parse: keep the fixes that parse on their own (one parse each, only now), then retry.
      candidates = candidates.filter((f) => parsesAsWell(path, applyEdits(text, f.fix!.edits), baseErrors));
      parseChecked = true;
      continue;
    }
    const after = await audits.fixable(next);
    const ineffective = new Set([...ineffectiveKeys(combined.applied, before, after), ...audits.unproven(combined.applied)]);
    if (ineffective.size === 0) {
      return { text: next, applied: combined.applied.length, dropped: allowedCount - candidates.length };
    }
    candidates = candidates.filter((f) => !ineffective.has(fixKey(f)));
  }
  return { text, applied: 0, dropped: allowedCount };
}

/** Keys of applied fixes whose findings did not go: more of the key remain than before minus those applied. */
function ineffectiveKeys(applied: readonly Finding[], before: readonly Finding[], after: readonly Finding[]): Set<string> {
  const count = (findings: readonly Finding[]) => {
    const counts = new Map<string, number>();
    for (const f of findings) counts.set(fixKey(f), (counts.get(fixKey(f)) ?? 0) + 1);
    return counts;
  };
  const [appliedCounts, beforeCounts, afterCounts] = [count(applied), count(before), count(after)];
  return new Set([...appliedCounts].filter(([key, n]) => (afterCounts.get(key) ?? 0) > (beforeCounts.get(key) ?? 0) - n)
    .map(([key]) => key));
}

/** A fix across texts, where positions move but the rule, message and title stay. */
function fixKey(finding: Finding): string {
  return `${finding.rule}\u0000${finding.message}\u0000${finding.fix?.title ?? ''}`;
}
