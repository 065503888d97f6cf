import { AGENT_FAILED_RULE, PARSE_FAILED_RULE } from './failureFindings';
import type { Finding, Grade, Severity } from '../model';

/**
 * Points a finding takes off a file's score of 100 (README "Score"). A syntax error alone gives
 * a D: the file cannot be trusted until it parses.
 */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = { error: 10, warning: 3, info: 1, hint: 0 };

/**
 * Rules that weigh more than their severity: a file that does not parse, or whose audit is partial (an agent
 * failed or was skipped, the parser failed), is a D at best: what was not checked cannot score an A.
 */
const RULE_WEIGHTS: ReadonlyMap<string, number> = new Map([
  ['syntax/error', 35], [AGENT_FAILED_RULE, 35], [PARSE_FAILED_RULE, 35],
]);

/** Score 0–100 of a file from its findings. */
export function scoreOf(findings: readonly Finding[]): number {
  let penalty = 0;
  for (const f of findings) penalty += RULE_WEIGHTS.get(f.rule) ?? SEVERITY_WEIGHTS[f.severity];
  return Math.max(0, 100 - penalty);
}

/** Letter grade of a score: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F. */
export function gradeOf(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}
