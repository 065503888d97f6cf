/**
 * The Markdown that `npm run calibrate` prints (and docs/calibration.md quotes): the corpora, findings per rule
 * and per 1,000 lines (test files apart), totals, the complexity measures' distributions, what candidate
 * thresholds would report, and the layout findings on files that are not code.
 */
import { extname } from 'node:path';
import { languageOf } from '../../src/core/files/languages';
import { ENGINE_RULES, RULE_DESCRIPTIONS, type RuleId } from '../../src/reports/ruleCatalogue';
import type { CodebaseAudit, CodebaseMeasures, Measures } from './audit';
import type { Codebase } from './corpus';
import { countAbove, distributionOf, formatRate, per1000 } from './stats';

/** Everything measured on one codebase. */
export interface CodebaseResult {
  readonly codebase: Codebase;
  readonly audit: CodebaseAudit;
  readonly measures: CodebaseMeasures;
}

type Group = 'others' | 'tests';

/** Candidate limits per measure; each is reported as the agents would apply it (strictly above). */
export const CANDIDATES: Readonly<Record<keyof Measures, readonly number[]>> = {
  cyclomatic: [10, 15, 20, 25],
  nestingDepth: [3, 4, 5],
  functionLength: [50, 80, 100, 150, 200],
  parameterCount: [3, 4, 5, 6],
  fileLength: [300, 500, 1000, 2000],
};

function table(head: readonly string[], rows: readonly (readonly string[])[], alignLeft = 1): string {
  const align = head.map((_, i) => (i < alignLeft ? '---' : '---:'));
  return [head, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function linesOf(result: CodebaseResult, group: Group): number {
  return result.audit.files.filter((f) => f.test === (group === 'tests')).reduce((n, f) => n + f.lines, 0);
}

function ruleCounts(result: CodebaseResult, group: Group): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of result.audit.files) {
    if (file.test !== (group === 'tests')) continue;
    for (const rule of file.rules) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  return counts;
}

/** The corpora: packages, files and lines, test files apart, and the audit's score (no timings: the tables are diffed). */
export function corpusTable(results: readonly CodebaseResult[]): string {
  const rows = results.map(({ codebase, audit }) => {
    const tests = audit.files.filter((f) => f.test);
    const scripts = audit.files.filter((f) => languageOf(f.path) === 'script');
    const lines = (files: typeof audit.files) => files.reduce((n, f) => n + f.lines, 0);
    return [
      codebase.id,
      codebase.packages.map((p) => `${p.name}@${p.version}`).join(', '),
      `${audit.files.length} (${tests.length} tests)`,
      `${lines(audit.files).toLocaleString('en-US')} (${lines(tests).toLocaleString('en-US')} tests)`,
      `${scripts.length} / ${lines(scripts).toLocaleString('en-US')}`,
      String(audit.skipped),
      `${audit.score} (${audit.grade})`,
    ];
  });
  return table(['codebase', 'packages (src/ and package.json)', 'files audited', 'lines', 'script files / lines', 'skipped', 'score'], rows, 2);
}

/** Findings per rule and per 1,000 lines of the group's files, every catalogue rule listed. */
export function ruleTable(results: readonly CodebaseResult[], group: Group): string {
  const counts = results.map((r) => ruleCounts(r, group));
  const lines = results.map((r) => linesOf(r, group));
  const seen = new Set(counts.flatMap((c) => [...c.keys()]));
  const rules = (Object.keys(RULE_DESCRIPTIONS) as RuleId[])
    .filter((rule) => !(ENGINE_RULES as readonly string[]).includes(rule) || seen.has(rule));
  for (const rule of seen) if (!(rule in RULE_DESCRIPTIONS)) rules.push(rule as RuleId);
  const cell = (i: number, n: number) => [String(n), formatRate(per1000(n, lines[i]))];
  const rows = rules.map((rule) => [`\`${rule}\``, ...counts.flatMap((c, i) => cell(i, c.get(rule) ?? 0))]);
  rows.push(['**all rules**', ...counts.flatMap((c, i) => cell(i, [...c.values()].reduce((a, b) => a + b, 0)))]);
  const head = ['rule', ...results.flatMap((r) => [r.codebase.id, '/1k lines'])];
  return table(head, rows);
}

/** Findings of each codebase, by severity, as the CLI's summary line counts them. */
export function totalsTable(results: readonly CodebaseResult[]): string {
  const severities = ['error', 'warning', 'info', 'hint'];
  const rows = results.map(({ codebase, audit }) => {
    const total = Object.values(audit.severities).reduce((a, b) => a + b, 0);
    const lines = audit.files.reduce((n, f) => n + f.lines, 0);
    return [codebase.id, String(total), formatRate(per1000(total, lines)), ...severities.map((s) => String(audit.severities[s] ?? 0))];
  });
  return table(['codebase', 'findings', '/1k lines', ...severities], rows);
}

const MEASURE_NAMES: Readonly<Record<keyof Measures, string>> = {
  cyclomatic: 'cyclomatic complexity',
  nestingDepth: 'nesting depth',
  functionLength: 'function length (lines)',
  parameterCount: 'parameters',
  fileLength: 'file length (lines, script files)',
};

const show = (n: number | undefined) => (n === undefined ? '–' : String(n));

/** p50/p90/p95/p99/max of each measure, per codebase, test files apart. */
export function distributionTable(results: readonly CodebaseResult[]): string {
  const rows: string[][] = [];
  for (const measure of Object.keys(MEASURE_NAMES) as (keyof Measures)[]) {
    for (const { codebase, measures } of results) {
      for (const group of ['others', 'tests'] as const) {
        const d = distributionOf(measures[group][measure]);
        if (d.count === 0) continue;
        rows.push([MEASURE_NAMES[measure], codebase.id, group, String(d.count), ...[d.p50, d.p90, d.p95, d.p99, d.max].map(show)]);
      }
    }
  }
  return table(['measure', 'codebase', 'files', 'n', 'p50', 'p90', 'p95', 'p99', 'max'], rows, 3);
}

/** What each candidate limit would report, in findings and per 1,000 lines of the group's files. */
export function candidateTable(results: readonly CodebaseResult[]): string {
  const rows: string[][] = [];
  for (const measure of Object.keys(CANDIDATES) as (keyof Measures)[]) {
    for (const threshold of CANDIDATES[measure]) {
      const cells = results.flatMap((r) => (['others', 'tests'] as const).map((group) => {
        const n = countAbove(r.measures[group][measure], threshold);
        return `${n} · ${formatRate(per1000(n, linesOf(r, group)))}`;
      }));
      rows.push([`${MEASURE_NAMES[measure]} > ${threshold}`, ...cells]);
    }
  }
  const head = ['limit', ...results.flatMap((r) => [`${r.codebase.id} others`, `${r.codebase.id} tests`])];
  return table(head, rows);
}

/** Findings on files that are not scripts (icons, styles, JSON, Markdown), by extension and rule. */
export function nonScriptTable(results: readonly CodebaseResult[]): string {
  const keys = new Set<string>();
  const counts = results.map(({ audit }) => {
    const byKey = new Map<string, number>();
    for (const file of audit.files) {
      if (languageOf(file.path) === 'script') continue;
      const ext = extname(file.path) || file.path;
      const filesKey = `${ext} files`;
      byKey.set(filesKey, (byKey.get(filesKey) ?? 0) + 1);
      keys.add(filesKey);
      for (const rule of file.rules) {
        const key = `${ext} ${rule}`;
        keys.add(key);
        byKey.set(key, (byKey.get(key) ?? 0) + 1);
      }
    }
    return byKey;
  });
  const rows = [...keys].sort().map((key) => [key.replace(/ (.*)/, ' `$1`').replace(' `files`', ' (files)'), ...counts.map((c) => String(c.get(key) ?? 0))]);
  return table(['extension and rule', ...results.map((r) => r.codebase.id)], rows);
}
