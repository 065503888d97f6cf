import type { Finding, Grade, Severity } from './model';

/**
 * Points a finding takes off a file's score of 100 (README "Score"). A syntax error alone gives
 * a D: the file cannot be trusted until it parses.
 */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = { error: 10, warning: 3, info: 1, hint: 0 };

/** Score 0–100 of a file from its findings. */
export function scoreOf(findings: readonly Finding[]): number {
  let penalty = 0;
  for (const f of findings) penalty += f.rule === 'syntax/error' ? 35 : SEVERITY_WEIGHTS[f.severity];
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
