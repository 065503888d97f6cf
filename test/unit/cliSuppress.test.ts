import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Log } from 'sarif';
import { json, run, tree } from './helpers/cli';

const M = 'maintenance-team-disable';
const SUPPRESSED = `import { a } from './b'; // ${M}-line imports/unused -- kept for the demo\nexport const c = 1;\n`;
const UNSUPPRESSED = `import { a } from './b';\nexport const c = 1;\n`;

describe('CLI: inline suppressions', () => {
  it('JSON: suppressed findings leave `findings` for `files[].suppressed` and `summary.suppressed`', async () => {
    const root = tree({ 'a.ts': SUPPRESSED, 'b.ts': 'export const a = 1;\n' });
    const { code, report } = await json(['audit', '.', '--fail-on', 'warning'], root);
    const file = report.files.find((f) => f.path === 'a.ts')!;
    assert.deepEqual(file.findings, []);
    assert.deepEqual(file.suppressed.map((f) => [f.rule, f.range.start.line, f.suppression]), [
      ['imports/unused', 1, { kind: 'inSource', justification: 'kept for the demo' }],
    ]);
    assert.equal(file.score, 100);
    assert.equal(report.summary.findings, 0);
    assert.equal(report.summary.suppressed, 1);
    assert.deepEqual(report.summary.suppressedBy, { inSource: 1, baseline: 0 });
    assert.deepEqual(report.files.find((f) => f.path === 'b.ts')!.suppressed, []);
    // --fail-on leaves the suppressed warning out.
    assert.equal(code, 0);
  });

  it('--fail-on counts the same finding without the comment', async () => {
    const root = tree({ 'a.ts': UNSUPPRESSED, 'b.ts': 'export const a = 1;\n' });
    const { code, report } = await json(['audit', '.', '--fail-on', 'warning'], root);
    assert.equal(code, 1);
    assert.equal(report.summary.suppressed, 0);
  });

  it('SARIF: a suppressed finding is a result with `suppressions` of kind inSource and its reason', async () => {
    const root = tree({ 'a.ts': SUPPRESSED, 'b.ts': 'export const a = 1;\n' });
    const { code, stdout } = await run(['audit', '.', '--format', 'sarif'], root);
    assert.equal(code, 0);
    const results = (JSON.parse(stdout) as Log).runs[0].results!;
    const unused = results.filter((r) => r.ruleId === 'imports/unused');
    assert.equal(unused.length, 1);
    assert.deepEqual(unused[0].suppressions, [{ kind: 'inSource', justification: 'kept for the demo' }]);
    assert.equal(unused[0].fixes, undefined, 'a suppressed finding offers no fix');
  });

  it('text and Markdown: "N suppressed" in the summary', async () => {
    const root = tree({ 'a.ts': SUPPRESSED, 'b.ts': 'export const a = 1;\n' });
    const text = await run(['audit', '.'], root);
    assert.match(text.stdout, /✔ no problems · 2 files, score 100 \(A\) · 1 suppressed · /);
    const markdown = await run(['audit', '.', '--format', 'markdown'], root);
    assert.match(markdown.stdout, /\| Suppressed \| 1 \|/);
  });

  it('--report-unused-disables: unused suppressions are warnings counted by --fail-on; off by default', async () => {
    const text = `// ${M}-next-line complexity -- was a long function\nexport const c = 1;\n`;
    const root = tree({ 'a.ts': text });
    const quiet = await json(['audit', '.', '--fail-on', 'warning'], root);
    assert.equal(quiet.code, 0);
    assert.deepEqual(quiet.report.files[0].findings, []);
    const loud = await json(['audit', '.', '--fail-on', 'warning', '--report-unused-disables'], root);
    assert.equal(loud.code, 1);
    assert.deepEqual(loud.report.files[0].findings.map((f) => [f.rule, f.severity, f.message]), [[
      'maintenance/unused-suppression', 'warning', 'unused suppression: no complexity finding on line 2 to suppress; remove the directive',
    ]]);
  });

  it('an invalid suppression is always reported, and the finding it meant stays', async () => {
    const root = tree({ 'a.ts': `import { a } from './b'; // ${M}-line imports/unusd\n`, 'b.ts': 'export const a = 1;\n' });
    const { code, report } = await json(['audit', '.', '--fail-on', 'warning'], root);
    assert.equal(code, 1);
    assert.deepEqual(report.files.find((f) => f.path === 'a.ts')!.findings.map((f) => [f.rule, f.message]), [
      ['imports/unused', report.files[0].findings[0].message],
      ['maintenance/invalid-suppression', "invalid suppression: unknown rule 'imports/unusd'; did you mean 'imports/unused'?"],
    ]);
  });

  it('--fix leaves a suppressed finding alone and fixes the rest', async () => {
    const text = `import { a } from './b'; // ${M}-line imports -- kept\nimport { d } from './e';\nexport const c = 1;\n`;
    const root = tree({ 'a.ts': text, 'b.ts': 'export const a = 1;\n', 'e.ts': 'export const d = 2;\n' });
    const { code } = await run(['audit', '.', '--fix', '--fail-on', 'warning'], root);
    assert.equal(code, 0);
    assert.equal(readFileSync(join(root, 'a.ts'), 'utf8'), `import { a } from './b'; // ${M}-line imports -- kept\nexport const c = 1;\n`);
  });

  it('--help lists the flag', async () => {
    assert.match((await run(['--help'], '.')).stdout, /--report-unused-disables/);
  });
});
