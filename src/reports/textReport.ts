import type { AuditResult, FileResult, Finding, Severity } from '../core/model';
import { hasFix, SEVERITIES } from '../core/model';
import { gradeOf } from '../core/run/score';
import { escapeControls } from '../core/terminalText';
import { countFindings, countSuppressed, skippedByReason, workspaceScore } from './reporter';
import { countOf } from '../core/wording';

/** Options of `toTextReport`. */
export interface TextReportOptions {
  /** ANSI colours; only for a terminal, never for a file or a pipe. */
  readonly color?: boolean;
}

type Paint = (code: number, text: string) => string;

const SEVERITY_COLORS: Readonly<Record<Severity, number>> = { error: 31, warning: 33, info: 36, hint: 2 };

/**
 * The reporter's terminal form: one line per finding, `path:line:col  severity  message  rule`, which
 * terminals and editors turn into links, then one summary line. Every line is self-contained so the
 * report greps well; an agent that did not run on a file shows as that file's `maintenance/agent-failed` finding.
 */
export function toTextReport(result: AuditResult, options: TextReportOptions = {}): string {
  return result.files.map((file) => textFileLines(file, options)).join('') + textReportEnd(result, options);
}

/**
 * One file's lines of {@link toTextReport} (each ending with a newline; '' for a clean file): the CLI prints them
 * as soon as the file is audited, then {@link textReportEnd}, which makes the same bytes as the whole report.
 */
export function textFileLines(file: FileResult, options: TextReportOptions = {}): string {
  const paint = painter(options);
  // An agent's failure on a file is a finding of its own (`maintenance/agent-failed`), listed with the others.
  return file.findings.map((finding) => `${findingLine(file, finding, paint)}\n`).join('');
}

/** What {@link toTextReport} prints after the files' lines: a blank line after any finding, then the summary. */
export function textReportEnd(result: AuditResult, options: TextReportOptions = {}): string {
  const paint = painter(options);
  const lines: string[] = [];
  if (countFindings(result.files) > 0) lines.push('');
  lines.push(summaryLine(result, paint));
  const failures = agentFailuresLine(result);
  if (failures) lines.push(paint(35, failures));
  if (result.cancelled) lines.push(paint(33, 'audit cancelled: the report covers only the files finished'));
  return `${lines.join('\n')}\n`;
}

function painter(options: TextReportOptions): Paint {
  return options.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}

function findingLine(file: FileResult, finding: Finding, paint: Paint): string {
  const { line, column } = finding.range.start;
  const severity = paint(SEVERITY_COLORS[finding.severity], finding.severity.padEnd(7));
  const fixable = hasFix(finding) ? ' (fixable)' : '';
  const [path, message, rule] = [file.path, finding.message, finding.rule].map(escapeControls);
  return `${path}:${line}:${column}  ${severity}  ${message}  ${paint(2, rule)}${fixable}`;
}

/**
 * e.g. `✖ 4 problems (1 error, 3 warnings) · 12 files, score 93 (A) · 3 suppressed · 2 skipped (1 binary, 1 too-large) ·
 * 40 ms` (suppressed findings, by a comment or the baseline, only when there are some).
 */
function summaryLine(result: AuditResult, paint: Paint): string {
  const total = countFindings(result.files);
  const counts = severityCounts(result.files);
  const worst = SEVERITIES.find((s) => counts[s] > 0);
  const head = total === 0
    ? paint(32, '✔ no problems')
    : paint(SEVERITY_COLORS[worst ?? 'hint'], `✖ ${countOf(total, 'problem')}`) + ` (${breakdown(counts)})`;
  const score = workspaceScore(result.files);
  const parts = [head, `${countOf(result.files.length, 'file')}, score ${score} (${gradeOf(score)})`];
  const suppressed = countSuppressed(result.files);
  if (suppressed > 0) parts.push(`${suppressed} suppressed`);
  if (result.skipped.length > 0) {
    const reasons = Object.entries(skippedByReason(result)).map(([reason, n]) => `${n} ${reason}`);
    parts.push(`${result.skipped.length} skipped (${reasons.join(', ')})`);
  }
  if (result.cache.enabled && result.files.length > 0) parts.push(`${Math.round(result.cache.hitRate * 100)} % from cache`);
  parts.push(`${result.durationMs} ms`);
  return parts.join(' · ');
}

function severityCounts(files: readonly FileResult[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const file of files) for (const finding of file.findings) counts[finding.severity]++;
  return counts;
}

function breakdown(counts: Readonly<Record<Severity, number>>): string {
  // "info" and "hint" read better uncounted-plural ("2 info"), as ESLint and tsc print them.
  const names: Record<Severity, [string, string]> = {
    error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'info'], hint: ['hint', 'hints'],
  };
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${names[s][counts[s] === 1 ? 0 : 1]}`)
    .join(', ');
}

/** `agent failures: imports 2, structure 1`, or '' when every agent ran cleanly. */
function agentFailuresLine(result: AuditResult): string {
  const failed = Object.entries(result.agents)
    .filter(([, a]) => a.failures > 0 || a.state !== 'closed')
    .map(([id, a]) => `${id} ${a.failures}${a.state === 'closed' ? '' : ` (breaker ${a.state})`}`);
  return failed.length === 0 ? '' : `agent failures: ${failed.join(', ')}`;
}
