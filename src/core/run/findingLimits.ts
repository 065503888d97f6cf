import type { Finding } from '../model';

/**
 * Findings kept per rule, per agent, per file. Past a thousand nobody reads them one by one (the summary finding
 * says how many more there are), while a file of 130,000 blank-ended lines would otherwise carry 130,000 findings
 * with their fixes into the thread messages, the cache, Redis and every report: tens of megabytes for one file.
 * Per rule rather than per agent, so that a flood from one rule never hides another rule's findings (a secret
 * next to a flood of placeholder tokens, a `syntax/error` next to whitespace). `--fix` still converges: each
 * pass re-audits and sees the next thousand.
 */
export const MAX_FINDINGS_PER_RULE = 1000;

/** The summary of the findings a rule had past `MAX_FINDINGS_PER_RULE` in one file (severity warning). */
export const FINDINGS_CAPPED_RULE = 'maintenance/findings-capped';

/**
 * One agent's findings on one file with at most `max` per rule (the first ones, in the agent's order), plus one
 * `maintenance/findings-capped` finding per rule that had more, saying how many were left out and placed on the
 * first of them. Applied where every executor's outcomes pass before they are cached (teamRun.ts, auditText),
 * so the cache never holds more either. Returns `findings` itself when nothing is over.
 */
export function capFindings(agent: string, findings: readonly Finding[], max = MAX_FINDINGS_PER_RULE): readonly Finding[] {
  // Most outcomes: no rule can be over the cap when the whole list is not.
  if (findings.length <= max) return findings;
  const counts = new Map<string, number>();
  const kept: Finding[] = [];
  const firstLeftOut = new Map<string, Finding>();
  for (const finding of findings) {
    const count = (counts.get(finding.rule) ?? 0) + 1;
    counts.set(finding.rule, count);
    if (count <= max) kept.push(finding);
    else if (count === max + 1) firstLeftOut.set(finding.rule, finding);
  }
  for (const [rule, first] of firstLeftOut) {
    const leftOut = counts.get(rule)! - max;
    kept.push({
      agent, rule: FINDINGS_CAPPED_RULE, severity: 'warning', range: first.range,
      message: `${leftOut.toLocaleString('en-US')} more ${rule} ${leftOut === 1 ? 'finding in this file is' : 'findings in this file are'} `
        + 'not listed '
        + `(at most ${max.toLocaleString('en-US')} per rule and file): fix the ones listed and audit again`,
    });
  }
  return kept;
}
