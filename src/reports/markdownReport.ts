import type { AuditResult, FileResult, Severity } from '../core/model';
import { hasFix, SEVERITIES } from '../core/model';
import { gradeOf } from '../core/run/score';
import { escapeControls } from '../core/terminalText';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { countFindings, countSuppressed, skippedByReason, workspaceScore } from './reporter';
import { describeRule } from './ruleCatalogue';
import { maxOf } from '../core/arrays';

/** Singular and plural; "info" is uncounted, as in the text report. */
const SEVERITY_NAMES: Readonly<Record<Severity, readonly [string, string]>> = {
  error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'info'], hint: ['hint', 'hints'],
};

/** Options of {@link toMarkdownReport}. */
export interface MarkdownReportOptions {
  /** Heading of the report; by default "Maintenance report" and the audited folder's name. */
  readonly title?: string;
  /** When the report was made, printed as given; left out by default so the same audit gives the same bytes. */
  readonly generatedAt?: string;
  /** Rows of the worst-files table (default 10). */
  readonly worstFiles?: number;
  /** Skipped files listed by path (default 20); the rest are only counted. */
  readonly skippedListed?: number;
}

/**
 * The reporter's Markdown form, the seeds' "mission report": a summary, the worst files, findings by rule,
 * the team's health and the files left out. Deterministic (no clock, no duration, no cache or run counts, no absolute
 * path): the same findings give the same bytes, from a cold run or a warm one, so it can be
 * committed, diffed, and compared in a snapshot test. Pure.
 */
export function toMarkdownReport(result: AuditResult, options: MarkdownReportOptions = {}): string {
  const sections = [
    heading(result, options),
    summary(result),
    worstFiles(result.files, options.worstFiles ?? 10),
    findingsByRule(result.files),
    teamHealth(result),
    skippedFiles(result, options.skippedListed ?? 20),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function heading(result: AuditResult, options: MarkdownReportOptions): string {
  const folder = result.root.split(/[\\/]/).filter((part) => part !== '').pop() ?? result.root;
  const lines = [`# ${escapeText(options.title ?? `Maintenance report: ${folder}`)}`, ''];
  const made = options.generatedAt ? `, ${escapeText(options.generatedAt)}` : '';
  lines.push(`Made by ${TOOL_NAME} ${TOOL_VERSION}${made}.`);
  if (result.cancelled) lines.push('', '> **Audit cancelled**: this report covers only the files finished.');
  return lines.join('\n');
}

function summary(result: AuditResult): string {
  const counts = severityCounts(result.files);
  const total = countFindings(result.files);
  const fixable = result.files.reduce((n, f) => n + f.findings.filter(hasFix).length, 0);
  const score = workspaceScore(result.files);
  const suppressed = countSuppressed(result.files);
  const bySeverity = SEVERITIES.map((s) => `${counts[s]} ${SEVERITY_NAMES[s][counts[s] === 1 ? 0 : 1]}`).join(', ');
  // Nothing that depends on the run (duration, cache hits): a warm run of the same files gives the same bytes.
  return table('## Summary', ['Measure', 'Value'], [
    ['Files audited', String(result.files.length)],
    ['Files skipped', String(result.skipped.length)],
    ['Findings', `${total} (${bySeverity})`],
    // Suppressed findings (by a comment or the baseline) are not findings; said only when there are some.
    ...(suppressed > 0 ? [['Suppressed', String(suppressed)]] : []),
    ['Fixable', String(fixable)],
    ['Score', `${score} (${gradeOf(score)})`],
  ]);
}

function worstFiles(files: readonly FileResult[], limit: number): string {
  const worst = files.filter((f) => f.findings.length > 0 || f.failures.length > 0)
    .sort((a, b) => a.score - b.score || compare(a.path, b.path))
    .slice(0, limit);
  if (worst.length === 0) return '## Worst files\n\nNo file has a finding.';
  const rows = worst.map((f) => {
    const counts = severityCounts([f]);
    return [code(f.path), String(f.score), f.grade, ...SEVERITIES.map((s) => String(counts[s]))];
  });
  return table(`## Worst files (lowest score, top ${limit})`, ['File', 'Score', 'Grade', 'Errors', 'Warnings', 'Info', 'Hints'], rows);
}

function findingsByRule(files: readonly FileResult[]): string {
  const byRule = new Map<string, { count: number; fixable: number; files: Set<string>; severities: Set<Severity> }>();
  for (const file of files) {
    for (const f of file.findings) {
      const entry = byRule.get(f.rule) ?? { count: 0, fixable: 0, files: new Set(), severities: new Set() };
      entry.count++;
      if (hasFix(f)) entry.fixable++;
      entry.files.add(file.path);
      entry.severities.add(f.severity);
      byRule.set(f.rule, entry);
    }
  }
  if (byRule.size === 0) return '## Findings by rule\n\nNo findings.';
  const rows = [...byRule].sort(([a, x], [b, y]) => y.count - x.count || compare(a, b)).map(([rule, e]) => [
    code(rule),
    SEVERITIES.filter((s) => e.severities.has(s)).join(', '),
    String(e.count),
    String(e.fixable),
    String(e.files.size),
    // Our own text, with code spans meant as such: only a pipe would break the row.
    (describeRule(rule)?.short ?? '').replaceAll('|', '\\|'),
  ]);
  return table('## Findings by rule', ['Rule', 'Severity', 'Findings', 'Fixable', 'Files', 'What it means'], rows);
}

function teamHealth(result: AuditResult): string {
  const agents = Object.entries(result.agents).sort(([a], [b]) => compare(a, b));
  if (agents.length === 0) return '## Team health\n\nNo agent ran.';
  // No run counts: a warm run serves results from the cache (0 runs, which reads like a failure) for the same findings.
  const rows = agents.map(([id, a]) => [
    code(id), String(a.failures), String(a.skipped ?? 0), a.state === 'halfOpen' ? 'half-open' : a.state,
  ]);
  const text = table('## Team health', ['Agent', 'Failures', 'Skipped (breaker open)', 'Breaker'], rows);
  const failures = result.files.flatMap((f) => f.failures.map((x) => `- ${code(f.path)}: agent ${code(x.agent)} ${x.kind === 'circuit-open' ? 'skipped' : 'failed'}: ${escapeText(x.message)}`));
  if (failures.length === 0) return text;
  const shown = failures.slice(0, 20);
  const more = failures.length > shown.length ? [`- … and ${failures.length - shown.length} more`] : [];
  return `${text}\n\n### Agent failures\n\n${[...shown, ...more].join('\n')}`;
}

function skippedFiles(result: AuditResult, limit: number): string {
  if (result.skipped.length === 0) return '## Skipped files\n\nNone.';
  const reasons = Object.entries(skippedByReason(result)).sort(([a], [b]) => compare(a, b)).map(([reason, n]) => [reason, String(n)]);
  const text = table('## Skipped files', ['Reason', 'Files'], reasons);
  const listed = result.skipped.slice(0, limit).map((s) => `- ${code(s.path)} (${s.reason})`);
  if (result.skipped.length > limit) listed.push(`- … and ${result.skipped.length - limit} more`);
  return `${text}\n\n${listed.join('\n')}`;
}

function table(title: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [title, '', line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function severityCounts(files: readonly FileResult[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const file of files) for (const finding of file.findings) counts[finding.severity]++;
  return counts;
}

/**
 * A code span that holds any text: a path may contain backticks or pipes, which must not end the span or the cell,
 * and line breaks or other controls, shown escaped (`\n`) so they cannot end the item or start a forged block.
 */
function code(raw: string): string {
  const text = escapeControls(raw);
  const ticks = '`'.repeat(maxOf((text.match(/`+/g) ?? []).map((run) => run.length), 0) + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${ticks}${padded.replaceAll('|', '\\|')}${ticks}`;
}

/** Text in a table cell or a list item: pipes, newlines and Markdown's inline markers made literal. */
function escapeText(text: string): string {
  return escapeControls(text.replace(/\r?\n/g, ' ')).replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
