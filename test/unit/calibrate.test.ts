import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  countAbove, countLines, distributionOf, formatRate, isTestPath, measureInMessage, per1000, percentile,
} from '../../scripts/calibrate/stats';
import { tarballName } from '../../scripts/calibrate/corpus';
import { candidateTable, ruleTable, type CodebaseResult } from '../../scripts/calibrate/tables';
import { createComplexityAgent } from '../../src/agents/complexity';
import { RULE_DESCRIPTIONS } from '../../src/reports/ruleCatalogue';
import { makeInput } from './helpers/agentInput';

describe('calibrate: the arithmetic of npm run calibrate', () => {
  it('takes the nearest-rank percentile of sorted values', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(percentile(values, 50), 5);
    assert.equal(percentile(values, 90), 9);
    assert.equal(percentile(values, 95), 10);
    assert.equal(percentile(values, 100), 10);
    assert.equal(percentile([7], 1), 7);
    assert.equal(percentile([], 50), undefined);
  });

  it('sorts before taking the distribution, numerically', () => {
    const d = distributionOf([10, 9, 100, 1, 2]);
    assert.deepEqual(d, { count: 5, p50: 9, p90: 100, p95: 100, p99: 100, max: 100 });
    assert.deepEqual(distributionOf([]), { count: 0, p50: undefined, p90: undefined, p95: undefined, p99: undefined, max: undefined });
  });

  it('counts findings per 1,000 lines, and a threshold as the agents apply it (strictly above)', () => {
    assert.equal(per1000(5, 2000), 2.5);
    assert.equal(per1000(3, 0), 0);
    assert.equal(countAbove([10, 11, 20, 21], 20), 1);
    assert.equal(countAbove([10, 11, 20, 21], 10), 3);
  });

  it('prints rates with one decimal, none from 100 on', () => {
    assert.equal(formatRate(0), '0');
    assert.equal(formatRate(0.01), '<0.1');
    assert.equal(formatRate(2.345), '2.3');
    assert.equal(formatRate(123.6), '124');
  });

  it('counts lines as wc -l and the file-length rule do', () => {
    assert.equal(countLines(''), 0);
    assert.equal(countLines('a'), 1);
    assert.equal(countLines('a\n'), 1);
    assert.equal(countLines('a\r\nb\rc\n\n'), 4);
  });

  it('tells test files from the others by the usual globs', () => {
    for (const path of ['core/src/browser/tree/tree.spec.ts', 'src/a.test.tsx', 'src/__tests__/x.ts', 'src/__mocks__/fs.ts',
      'core/src/common/test/mock-logger.ts', 'src/v4/classic/tests/string.test.ts', 'test/helper.ts']) {
      assert.equal(isTestPath(path), true, path);
    }
    for (const path of ['src/Effect.ts', 'src/testing/TestClock.ts', 'core/src/browser/test-utils.ts', 'src/latest.ts', 'package.json']) {
      assert.equal(isTestPath(path), false, path);
    }
  });

  it('reads the measure from every message of the complexity agent', () => {
    const text = [
      'export function f(a: number, b: number) {',
      '  if (a) { for (const x of [b]) { if (x) { return 1; } } }',
      '  return a || b;',
      '}',
      '',
    ].join('\n');
    const agent = createComplexityAgent({ cyclomatic: 0, nestingDepth: -1, functionLength: 0, fileLength: 0, parameterCount: -1 });
    const findings = agent.run(makeInput('f.ts', text), new AbortController().signal) as { rule: string; message: string }[];
    const values = Object.fromEntries(findings.map((f) => [f.rule, measureInMessage(f.message)]));
    assert.deepEqual(values, {
      'complexity/file-length': 4,
      'complexity/cyclomatic': 5,
      'complexity/nesting-depth': 3,
      'complexity/function-length': 4,
      'complexity/parameter-count': 2,
    });
    assert.equal(measureInMessage("Method 'g' has 1 parameter (max 0)"), 1);
    assert.equal(measureInMessage('File is 1,204 lines long (max 1000)'), 1204);
    assert.equal(measureInMessage('Import never used'), undefined);
  });

  it('names the tarball as npm pack does, scoped or not', () => {
    assert.equal(tarballName({ name: '@theia/core', version: '1.74.1' }), 'theia-core-1.74.1.tgz');
    assert.equal(tarballName({ name: 'zod', version: '4.6.7' }), 'zod-4.6.7.tgz');
  });

  it('tables every catalogue rule with its count and rate, test files apart', () => {
    const empty = { cyclomatic: [], nestingDepth: [], functionLength: [], parameterCount: [], fileLength: [] };
    const result: CodebaseResult = {
      codebase: { id: 'demo', why: '', packages: [{ name: 'demo', version: '1.0.0', folder: '' }] },
      audit: {
        files: [
          { path: 'src/a.ts', test: false, lines: 1500, rules: ['complexity/cyclomatic', 'complexity/cyclomatic', 'imports/unused'] },
          { path: 'src/a.spec.ts', test: true, lines: 500, rules: ['complexity/function-length'] },
        ],
        skipped: 0, score: 90, grade: 'A', severities: { warning: 4 }, stderr: '',
      },
      measures: { others: { ...empty, cyclomatic: [1, 12, 25] }, tests: { ...empty, functionLength: [10, 300] } },
    };
    const others = ruleTable([result], 'others');
    for (const rule of Object.keys(RULE_DESCRIPTIONS).filter((r) => !r.startsWith('maintenance/'))) {
      assert.match(others, new RegExp(`\\| \`${rule}\` \\|`), rule);
    }
    assert.match(others, /\| `complexity\/cyclomatic` \| 2 \| 1\.3 \|/);
    assert.match(others, /\| \*\*all rules\*\* \| 3 \| 2\.0 \|/);
    assert.match(ruleTable([result], 'tests'), /\| `complexity\/function-length` \| 1 \| 2\.0 \|/);
    const candidates = candidateTable([result]);
    assert.match(candidates, /\| cyclomatic complexity > 10 \| 2 · 1\.3 \| 0 · 0 \|/);
    assert.match(candidates, /\| cyclomatic complexity > 20 \| 1 · 0\.7 \| 0 · 0 \|/);
    assert.match(candidates, /\| function length \(lines\) > 200 \| 0 · 0 \| 1 · 2\.0 \|/);
  });
});
