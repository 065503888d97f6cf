import type { Finding, TextEdit } from '../core/model';
import { editsOverlap } from '../core/text';
import { appendAll } from '../core/arrays';

/** The fixes of one file combined into one edit set, with what had to be left out. */
export interface CombinedFix {
  readonly edits: TextEdit[];
  /** Findings whose fix is in `edits`. */
  readonly applied: Finding[];
  /** Fixable findings left out because their edits overlap an earlier fix (a later pass may apply them). */
  readonly deferred: Finding[];
}

/**
 * The adapter (seeds' agent 03): turns the fixable findings of one file into a single edit set, in one
 * pass. Fixes are taken in position order; a fix whose edits overlap one already taken is deferred
 * whole, never half-applied, so the result cannot interleave two rewrites of the same text. Identical
 * edits from two findings (two rules removing the same line) are applied once.
 */
export function combineFixes(findings: readonly Finding[]): CombinedFix {
  const edits: TextEdit[] = [];
  const applied: Finding[] = [];
  const deferred: Finding[] = [];
  for (const finding of findings) {
    if (!finding.fix) continue;
    const fresh = finding.fix.edits.filter((e) => !edits.some((t) => sameEdit(t, e)));
    if (fresh.some((e) => edits.some((t) => editsOverlap(t, e)) || overlapsWithin(fresh, e))) {
      deferred.push(finding);
      continue;
    }
    appendAll(edits, fresh);
    applied.push(finding);
  }
  return { edits, applied, deferred };
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText;
}

function overlapsWithin(edits: readonly TextEdit[], edit: TextEdit): boolean {
  return edits.some((other) => other !== edit && editsOverlap(other, edit));
}
