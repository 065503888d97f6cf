import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { AuditResult, FileResult, Finding, SuppressedFinding } from '../../src/core/model';
import { NO_CACHE } from '../../src/core/run/cacheSummary';
import { toJsonReport } from '../../src/reports/reporter';
import { toSarifReport } from '../../src/reports/sarifReport';
import { toTextReport } from '../../src/reports/textReport';

const at = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 4 } });
const finding = (rule: string, line: number): Finding => ({
  agent: rule.split('/')[0], rule, severity: 'warning', message: `${rule} here`, range: at(line),
  fix: { title: 'Fix it', edits: [{ start: 0, end: 1, newText: '' }] },
});
const suppressed = (rule: string, line: number, suppression: SuppressedFinding['suppression']): SuppressedFinding =>
  ({ ...finding(rule, line), suppression });

const file: FileResult = {
  path: 'a.ts', contentHash: 'h', score: 97, grade: 'A', fromCache: false, failures: [],
  findings: [finding('imports/unused', 2)],
  suppressed: [
    suppressed('imports/unused', 1, { kind: 'inSource', justification: 'side effects' }),
    suppressed('complexity/cyclomatic', 3, { kind: 'baseline', justification: 'maintenance-team-baseline.json' }),
  ],
};
const result: AuditResult = { root: '/r', files: [file], skipped: [], durationMs: 1, cache: NO_CACHE, agents: {}, cancelled: false };

describe('reports of suppressed findings, both kinds', () => {
  it('JSON counts all of them, by kind, and lists them per file with their suppression', () => {
    const report = toJsonReport(result);
    assert.equal(report.summary.findings, 1);
    assert.equal(report.summary.suppressed, 2);
    assert.deepEqual(report.summary.suppressedBy, { inSource: 1, baseline: 1 });
    assert.deepEqual(report.files[0].suppressed.map((f) => [f.rule, f.fixable, f.suppression]), [
      ['imports/unused', true, { kind: 'inSource', justification: 'side effects' }],
      ['complexity/cyclomatic', true, { kind: 'baseline', justification: 'maintenance-team-baseline.json' }],
    ]);
  });

  it('SARIF: inSource and external suppressions, in position order, fingerprints as if unsuppressed, no fixes', () => {
    const results = toSarifReport(result).runs[0].results!;
    assert.deepEqual(results.map((r) => [r.ruleId, r.locations![0].physicalLocation!.region!.startLine, r.suppressions]), [
      ['imports/unused', 1, [{ kind: 'inSource', justification: 'side effects' }]],
      ['imports/unused', 2, undefined],
      ['complexity/cyclomatic', 3, [{ kind: 'external', justification: 'maintenance-team-baseline.json' }]],
    ]);
    assert.deepEqual(results.map((r) => r.fixes !== undefined), [false, true, false]);
    const unsuppressed = toSarifReport({ ...result, files: [{ ...file, suppressed: undefined,
      findings: [finding('imports/unused', 1), finding('imports/unused', 2)] }] }).runs[0].results!;
    assert.deepEqual(results.slice(0, 2).map((r) => r.partialFingerprints), unsuppressed.map((r) => r.partialFingerprints));
  });

  it('text: the summary says how many are suppressed, and lists none of them', () => {
    const text = toTextReport(result);
    assert.match(text, /✖ 1 problem \(1 warning\) · 1 file, score 97 \(A\) · 2 suppressed · 1 ms/);
    assert.equal(text.split('\n').filter((l) => l.startsWith('a.ts:')).length, 1);
  });
});
