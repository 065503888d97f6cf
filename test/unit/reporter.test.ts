import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Agent } from '../../src/core/agent';
import { toJsonReport } from '../../src/reports/reporter';
import { toTextReport } from '../../src/reports/textReport';
import { NO_CACHE } from '../../src/core/run/cacheSummary';
import { runAudit } from '../../src/core/run/coordinator';
import type { AuditResult, FileResult, Finding, Severity } from '../../src/core/model';
import { LineIndex } from '../../src/core/text';
import { TOOL_NAME, TOOL_VERSION } from '../../src/core/version';

function finding(rule: string, severity: Severity, line: number, column: number, fixable = false): Finding {
  return {
    agent: rule.split('/')[0],
    rule,
    severity,
    message: `${rule} here`,
    range: { start: { line, column }, end: { line, column: column + 2 } },
    ...(fixable ? { fix: { title: 'fix it', edits: [{ start: 0, end: 1, newText: '' }] } } : {}),
  };
}

function file(path: string, score: number, findings: Finding[] = []): FileResult {
  const grade = score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';
  return { path, contentHash: 'h', findings, failures: [], score, grade, fromCache: false };
}

function result(overrides: Partial<AuditResult> = {}): AuditResult {
  return {
    root: '/abs/ws',
    files: [],
    skipped: [],
    durationMs: 12,
    cache: NO_CACHE,
    agents: {},
    cancelled: false,
    ...overrides,
  };
}

describe('toJsonReport', () => {
  it('follows the DESIGN.md contract, field by field', () => {
    const report = toJsonReport(result({
      files: [file('a.ts', 87, [finding('imports/unused', 'warning', 1, 8, true), finding('syntax/error', 'error', 3, 1)]),
        file('b.md', 100)],
      cache: { ...NO_CACHE, hits: 1, misses: 1, hitRate: 0.8333, lookups: { memory: 3, disk: 2, misses: 1 }, entries: 9, bytes: 999, enabled: true },
      agents: { imports: { runs: 2, failures: 0, state: 'closed' }, structure: { runs: 1, failures: 1, state: 'open' } },
    }));
    assert.deepEqual(Object.keys(report), ['tool', 'root', 'files', 'skipped', 'summary']);
    assert.deepEqual(report.tool, { name: TOOL_NAME, version: TOOL_VERSION });
    assert.equal(report.root, '/abs/ws');
    assert.deepEqual(report.files[0], {
      path: 'a.ts', score: 87, grade: 'B', fromCache: false,
      findings: [
        { agent: 'imports', rule: 'imports/unused', severity: 'warning', message: 'imports/unused here', fixable: true,
          range: { start: { line: 1, column: 8 }, end: { line: 1, column: 10 } } },
        { agent: 'syntax', rule: 'syntax/error', severity: 'error', message: 'syntax/error here', fixable: false,
          range: { start: { line: 3, column: 1 }, end: { line: 3, column: 3 } } },
      ],
      suppressed: [],
    });
    assert.deepEqual(report.files[1].findings, [], 'a clean file appears with no findings');
    assert.deepEqual(Object.keys(report.summary).slice(0, 5), ['files', 'findings', 'durationMs', 'cache', 'agents']);
    assert.equal(report.summary.files, 2);
    assert.equal(report.summary.findings, 2);
    assert.equal(report.summary.durationMs, 12);
    assert.deepEqual(report.summary.cache, {
      hits: 1, misses: 1, hitRate: 0.833, lookups: { memory: 3, disk: 2, misses: 1 }, entries: 9, bytes: 999,
    });
    assert.deepEqual(report.summary.agents.structure, { runs: 1, failures: 1, state: 'open' });
  });

  it('leaks no engine-internal field (content hash, fix edits)', () => {
    const files = [file('a.ts', 97, [finding('hygiene/x', 'warning', 1, 1, true)])];
    const json = JSON.stringify(toJsonReport(result({ files })));
    assert.ok(!json.includes('contentHash'));
    assert.ok(!json.includes('edits'));
    assert.ok(!json.includes('failures":[]'), 'per-file failures are summarised per agent, not listed');
  });

  it('counts skipped files by reason (additive fields)', () => {
    const report = toJsonReport(result({
      skipped: [
        { path: 'a.png', reason: 'binary' }, { path: 'b.bin', reason: 'binary' }, { path: 'c.js', reason: 'minified' },
      ],
    }));
    assert.deepEqual(report.skipped, [
      { path: 'a.png', reason: 'binary' }, { path: 'b.bin', reason: 'binary' }, { path: 'c.js', reason: 'minified' },
    ]);
    assert.deepEqual(report.summary.skipped, { total: 3, byReason: { binary: 2, minified: 1 } });
  });

  it('gives the workspace the rounded mean of its file scores, and 100/A with no files', () => {
    assert.deepEqual(
      [toJsonReport(result()).summary.score, toJsonReport(result()).summary.grade], [100, 'A'],
    );
    const mixed = toJsonReport(result({ files: [file('a', 100), file('b', 65), file('c', 70)] }));
    assert.equal(mixed.summary.score, 78);
    assert.equal(mixed.summary.grade, 'C');
  });

  it('reports 1-based positions of a real audit', async () => {
    const text = 'const a = 1;\nlet  b = 2;\n';
    const doubleSpace: Agent = {
      id: 'fake', version: '1', appliesTo: () => true,
      run(input) {
        const start = input.text.indexOf('  ');
        const range = new LineIndex(input.text).rangeOf(start, start + 2);
        return [{ agent: 'fake', rule: 'fake/double-space', severity: 'info', message: 'two spaces', range }];
      },
    };
    const audit = await runAudit([{ path: 'x.ts', absPath: '/nowhere/x.ts', text }], { root: '/r', agents: [doubleSpace] });
    const [only] = toJsonReport(audit).files[0].findings;
    assert.deepEqual(only.range, { start: { line: 2, column: 4 }, end: { line: 2, column: 6 } });
    assert.equal(only.fixable, false);
  });
});

describe('toTextReport', () => {
  const sample = result({
    files: [file('src/a.ts', 87, [finding('imports/unused', 'warning', 1, 8, true), finding('syntax/error', 'error', 3, 1)]),
      { ...file('src/b.ts', 100), failures: [{ agent: 'complexity', message: 'boom' }] }],
    skipped: [{ path: 'logo.png', reason: 'binary' }, { path: 'big.json', reason: 'too-large' }],
    agents: { complexity: { runs: 2, failures: 1, state: 'closed' }, imports: { runs: 2, failures: 0, state: 'closed' } },
    durationMs: 40,
  });

  it('prints one path:line:col line per finding, then a summary', () => {
    const lines = toTextReport(sample).trimEnd().split('\n');
    assert.equal(lines[0], 'src/a.ts:1:8  warning  imports/unused here  imports/unused (fixable)');
    assert.equal(lines[1], 'src/a.ts:3:1  error    syntax/error here  syntax/error');
    assert.equal(lines[2], '');
    assert.equal(lines[3],
      '✖ 2 problems (1 error, 1 warning) · 2 files, score 94 (A) · 2 skipped (1 binary, 1 too-large) · 40 ms');
    assert.equal(lines[4], 'agent failures: complexity 1');
    assert.equal(lines.length, 5);
  });

  it('says so when there is nothing to report', () => {
    const clean = toTextReport(result({ files: [file('a.ts', 100)] }));
    assert.equal(clean, '✔ no problems · 1 file, score 100 (A) · 12 ms\n');
  });

  it('mentions a cancelled audit', () => {
    assert.match(toTextReport(result({ cancelled: true })), /audit cancelled/);
  });

  it('uses ANSI colours only when asked', () => {
    assert.ok(!toTextReport(sample).includes('\u001b['));
    const colored = toTextReport(sample, { color: true });
    assert.ok(colored.includes('\u001b[31merror'));
    // eslint-disable-next-line no-control-regex -- the escape character is exactly what is being stripped
    assert.equal(colored.replace(/\u001b\[\d+m/g, ''), toTextReport(sample));
  });
});
