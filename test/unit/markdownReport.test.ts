import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { toMarkdownReport } from '../../src/reports/markdownReport';
import { formatReport } from '../../src/reports/reportFormat';
import { TOOL_VERSION } from '../../src/core/version';
import { auditFolder, auditResult, fileResult, finding, REPORT_FIXTURE } from './helpers/auditResults';

/** The stored report of the fixture; `UPDATE_SNAPSHOTS=1` rewrites it (review the diff before committing). */
const SNAPSHOT = join(process.cwd(), 'test', 'unit', 'snapshots', 'markdownReport.md');

/** Table rows of a section, as arrays of trimmed cells (header and separator left out). */
function rows(report: string, heading: string): string[][] {
  const section = report.split(/^## /m).find((s) => s.startsWith(heading)) ?? '';
  return section.split('\n').filter((l) => l.startsWith('|')).slice(2)
    .map((l) => l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
}

describe('toMarkdownReport: the fixture snapshot', () => {
  it('matches the stored report of test/fixtures/report (duration set to 0)', async () => {
    const result = { ...(await auditFolder(REPORT_FIXTURE)), durationMs: 0 };
    // The version differs between a dev run and a build: the snapshot holds a placeholder.
    const report = formatReport(result, 'markdown').replace(` ${TOOL_VERSION}.`, ' <version>.');
    if (process.env.UPDATE_SNAPSHOTS === '1') {
      mkdirSync(dirname(SNAPSHOT), { recursive: true });
      writeFileSync(SNAPSHOT, report);
    }
    assert.ok(existsSync(SNAPSHOT), `no snapshot at ${SNAPSHOT}: run with UPDATE_SNAPSHOTS=1 and review it`);
    assert.equal(report, readFileSync(SNAPSHOT, 'utf8'));
  });

  it('gives the same bytes for the same audit twice (no clock, no duration, no cache figures, no absolute path)', async () => {
    const [a, b] = await Promise.all([auditFolder(REPORT_FIXTURE), auditFolder(REPORT_FIXTURE)]);
    const warm = { ...b, durationMs: 2, cache: { ...b.cache, enabled: true, hits: 3, hitRate: 1 } };
    const served = Object.fromEntries(Object.entries(b.agents).map(([id, s]) => [id, { ...s, runs: 0 }]));
    assert.equal(toMarkdownReport({ ...a, durationMs: 1 }), toMarkdownReport({ ...warm, agents: served }));
    assert.ok(!toMarkdownReport(a).includes(REPORT_FIXTURE));
  });
});

describe('toMarkdownReport: sections', () => {
  const findings = (n: number) => Array.from({ length: n }, (_, i) => finding('imports/unused', 'warning', i + 1, 1));

  it('summarises counts and score (#5: duration and cache figures are left to the text and JSON reports)', () => {
    const report = toMarkdownReport(auditResult({
      files: [fileResult('a.ts', [finding('security/eval', 'error', 1, 1), finding('hygiene/final-newline', 'info', 2, 1, { fix: { start: 0, end: 0, newText: '\n' } })]), fileResult('b.ts', [])],
      skipped: [{ path: 'x.png', reason: 'binary' }],
      durationMs: 1234,
      cache: { ...auditResult().cache, enabled: true, hitRate: 0.5, hits: 1, misses: 1 },
    }), { generatedAt: '2026-11-30 01:00 UTC' });
    assert.match(report, /^# Maintenance report: ws\n\nMade by maintenance-team \S+, 2026-11-30 01:00 UTC\.\n/);
    assert.deepEqual(rows(report, 'Summary'), [
      ['Files audited', '2'], ['Files skipped', '1'], ['Findings', '2 (1 error, 0 warnings, 1 info, 0 hints)'],
      ['Fixable', '1'], ['Score', '95 (A)'],
    ]);
  });

  it('lists the 10 worst files, lowest score first, ties by path, clean files never', () => {
    const files = Array.from({ length: 12 }, (_, i) => fileResult(`f${String(i).padStart(2, '0')}.ts`, findings(i % 6)));
    const worst = rows(toMarkdownReport(auditResult({ files })), 'Worst files');
    assert.equal(worst.length, 10);
    assert.deepEqual(worst.slice(0, 3).map((r) => [r[0], r[1]]), [['`f05.ts`', '85'], ['`f11.ts`', '85'], ['`f04.ts`', '88']]);
    assert.ok(!worst.some((r) => r[0] === '`f00.ts`' || r[0] === '`f06.ts`'), 'files without findings are not "worst"');
    assert.match(toMarkdownReport(auditResult({ files: [fileResult('a.ts', [])] })), /## Worst files\n\nNo file has a finding\./);
  });

  it('counts findings by rule, most frequent first, with fixable and file counts', () => {
    const fix = { start: 0, end: 1, newText: '' };
    const report = toMarkdownReport(auditResult({
      files: [
        fileResult('a.ts', [finding('imports/unused', 'warning', 1, 1, { fix }), finding('imports/unused', 'warning', 2, 1), finding('security/eval', 'error', 3, 1)]),
        fileResult('b.ts', [finding('imports/unused', 'warning', 1, 1, { fix })]),
      ],
    }));
    assert.deepEqual(rows(report, 'Findings by rule'), [
      ['`imports/unused`', 'warning', '3', '2', '2', 'Import never used'],
      ['`security/eval`', 'error', '1', '0', '1', 'Code compiled from a string'],
    ]);
  });

  it('shows team health with breaker states and lists agent failures', () => {
    const broken = { ...fileResult('a.ts', []), failures: [{ agent: 'imports', message: 'boom | bang', kind: 'threw' as const }] };
    const report = toMarkdownReport(auditResult({
      files: [broken],
      agents: { structure: { runs: 1, failures: 0, state: 'closed' }, imports: { runs: 5, failures: 5, state: 'halfOpen', skipped: 2 } },
    }));
    assert.deepEqual(rows(report, 'Team health'), [
      ['`imports`', '5', '2', 'half-open'], ['`structure`', '0', '0', 'closed'],
    ]);
    assert.match(report, /### Agent failures\n\n- `a\.ts`: agent `imports` failed: boom \\\| bang\n/);
  });

  it('summarises skipped files by reason and lists the first ones', () => {
    const skipped = Array.from({ length: 23 }, (_, i) => ({ path: `bin/${i}.png`, reason: i < 3 ? 'too-large' as const : 'binary' as const }));
    const report = toMarkdownReport(auditResult({ skipped }));
    assert.deepEqual(rows(report, 'Skipped files'), [['binary', '20'], ['too-large', '3']]);
    assert.match(report, /- `bin\/19\.png` \(binary\)\n- … and 3 more\n$/);
    assert.match(toMarkdownReport(auditResult()), /## Skipped files\n\nNone\.\n$/);
  });

  it('keeps odd paths inside their code span and table cell; says when the audit was cancelled', () => {
    const report = toMarkdownReport(auditResult({ files: [fileResult('we|ird`name.ts', [finding('security/eval', 'error', 1, 1)])], cancelled: true }));
    assert.equal(rows(report, 'Worst files')[0][0], '``we\\|ird`name.ts``');
    assert.match(report, /> \*\*Audit cancelled\*\*/);
  });
});
