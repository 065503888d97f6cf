import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Log } from 'sarif';
import type { JsonReport } from '../../src/reports/reporter';
import { run, tree } from './helpers/cli';

/** Files the real team fixes: trailing blanks (a BOM file, a CRLF file), an unused import, a missing final newline. */
const FIXABLE = {
  'src/bom.ts': '\ufeffexport const a = 1;   \nexport const b = 2;\n',
  'src/crlf.ts': "import { x } from './x';\r\nexport const c = 3; \r\n",
  'src/x.ts': 'export const x = 1;\n',
  'notes.txt': 'no newline',
  'clean.md': '# Clean\n',
};

const hasPatch = spawnSync('patch', ['--version']).status === 0;

describe('main: --format sarif and markdown', () => {
  it('writes SARIF 2.1.0 on stdout, with fixes as line/column regions read from the files', async () => {
    const root = tree(FIXABLE);
    const { code, stdout } = await run(['audit', '.', '--format', 'sarif', '--fail-on', 'info'], root);
    assert.equal(code, 1);
    const log = JSON.parse(stdout) as Log;
    assert.equal(log.version, '2.1.0');
    const results = log.runs[0].results ?? [];
    const uris = new Set(results.map((r) => r.locations?.[0].physicalLocation?.artifactLocation?.uri));
    assert.deepEqual([...uris].sort(), ['notes.txt', 'src/bom.ts', 'src/crlf.ts']);
    const trailing = results.find((r) => r.ruleId === 'hygiene/trailing-whitespace' && r.locations?.[0].physicalLocation?.artifactLocation?.uri === 'src/bom.ts');
    assert.deepEqual(trailing?.fixes?.[0].artifactChanges[0].replacements?.[0].deletedRegion,
      { startLine: 1, startColumn: 20, endLine: 1, endColumn: 23 });
  });

  it('writes Markdown to --output, and the exit code still follows --fail-on', async () => {
    const root = tree(FIXABLE);
    const { code, stdout } = await run(['audit', '.', '--format', 'markdown', '--output', 'report.md'], root);
    assert.equal(code, 0, 'no error-level finding');
    assert.equal(stdout, '');
    const report = readFileSync(join(root, 'report.md'), 'utf8');
    assert.match(report, /^# Maintenance report: mt-cli-\w+\n/);
    assert.match(report, /^\| `hygiene\/trailing-whitespace` \| info \| 2 \| 2 \| 2 \|/m);
  });
});

describe('main: --fix lists what it changed', () => {
  it('names each file with its count on stderr when the report goes to a file', async () => {
    const root = tree(FIXABLE);
    const { stderr } = await run(['audit', '.', '--fix', '--format', 'sarif', '--output', 'r.sarif'], root);
    assert.equal(stderr, [
      'notes.txt: fixed 1 problem', 'src/bom.ts: fixed 1 problem', 'src/crlf.ts: fixed 2 problems',
      'fixed 4 problems in 3 files', '',
    ].join('\n'));
    const log = JSON.parse(readFileSync(join(root, 'r.sarif'), 'utf8')) as Log;
    assert.deepEqual(log.runs[0].results, [], 'the report shows the state after the fixes');
  });
});

describe('main: --fix --dry-run', () => {
  it('writes nothing, prints a unified diff per file on stdout and what it would fix on stderr', async () => {
    const root = tree(FIXABLE);
    const { code, stdout, stderr } = await run(['audit', '.', '--fix', '--dry-run'], root);
    assert.equal(code, 0);
    for (const [path, text] of Object.entries(FIXABLE)) assert.equal(readFileSync(join(root, path), 'utf8'), text, path);
    assert.deepEqual(stdout.match(/^--- .*$/gm), ['--- a/notes.txt', '--- a/src/bom.ts', '--- a/src/crlf.ts']);
    assert.match(stdout, /^-import \{ x \} from '\.\/x';\r$/m);
    assert.match(stdout, /^-no newline\n\\ No newline at end of file\n\+no newline\n--- a\/src/m);
    assert.match(stderr, /^src\/crlf\.ts: would fix 2 problems\n/m);
    assert.match(stderr, /would fix 4 problems in 3 files\n$/);
  });

  it('names files from the working directory when a subfolder is audited', async () => {
    const root = tree(FIXABLE);
    const { stdout } = await run(['audit', 'src', '--fix', '--dry-run'], root);
    assert.deepEqual(stdout.match(/^\+\+\+ .*$/gm), ['+++ b/src/bom.ts', '+++ b/src/crlf.ts']);
  });

  it('writes the report only to --output, so stdout stays a patch', async () => {
    const root = tree(FIXABLE);
    const { stdout } = await run(['audit', '.', '--fix', '--dry-run', '--format', 'json', '--output', 'r.json'], root);
    assert.match(stdout, /^--- a\/notes\.txt\n/);
    const report = JSON.parse(readFileSync(join(root, 'r.json'), 'utf8')) as JsonReport;
    assert.equal(report.summary.findings, 4, 'the report is the audit as it stands: nothing was fixed');
  });

  it('gives a patch that turns the files into what --fix writes', { skip: hasPatch ? false : 'patch is not installed' }, async () => {
    const dry = tree(FIXABLE);
    const { stdout } = await run(['audit', '.', '--fix', '--dry-run'], dry);
    const fixed = tree();
    cpSync(dry, fixed, { recursive: true });
    await run(['audit', '.', '--fix'], fixed);
    const patched = spawnSync('patch', ['-p1', '--batch', '--no-backup-if-mismatch'], { cwd: dry, input: stdout, encoding: 'utf8' });
    assert.equal(patched.status, 0, patched.stdout + patched.stderr);
    for (const path of Object.keys(FIXABLE)) {
      assert.deepEqual(readFileSync(join(dry, path)), readFileSync(join(fixed, path)), path);
    }
  });
});
