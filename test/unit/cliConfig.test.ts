import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { json, run, tree } from './helpers/cli';

/** A function with 6 parameters: over the default limit of 5. */
const SIX_PARAMETERS = 'export function f(a: number, b: number, c: number, d: number, e: number, g: number) {\n  return a + b + c + d + e + g;\n}\n';

const rulesOf = (report: { files: { path: string; findings: { rule: string }[] }[] }) =>
  report.files.flatMap((f) => f.findings.map((x) => `${f.path} ${x.rule}`));

describe('the CLI reads maintenance-team.yaml', () => {
  it('applies thresholds, rules and exclude globs from the file in the audited folder', async () => {
    const root = tree({
      'src/a.ts': SIX_PARAMETERS,
      'src/gen/b.ts': 'const x = 1;   \n',
      'maintenance-team.yaml': 'team:\n  complexity:\n    thresholds: { parameterCount: 6 }\nglobal:\n  exclude: [src/gen]\n',
    });
    const { code, report, stderr } = await json(['audit', '.'], root);
    // No problem with the file; a slow-response alert depends on the machine's load, not on the configuration.
    assert.equal(stderr.split('\n').filter((line) => line !== '' && !/^maintenance-team: alert: /.test(line)).join('\n'), '');
    assert.equal(code, 0);
    assert.deepEqual(report.files.map((f) => f.path), ['maintenance-team.yaml', 'src/a.ts']);
    assert.deepEqual(rulesOf(report), []);
  });

  it('without a file, the defaults apply', async () => {
    const root = tree({ 'src/a.ts': SIX_PARAMETERS });
    const { report } = await json(['audit', '.'], root);
    assert.deepEqual(rulesOf(report), ['src/a.ts complexity/parameter-count']);
  });

  it('finds the file in an ancestor folder up to the repository root, globs relative to it', async () => {
    const root = tree({
      'maintenance-team.yaml': 'global:\n  exclude: ["pkg/src/skip.ts"]\nteam:\n  complexity: { enabled: false }\n',
      'pkg/src/a.ts': SIX_PARAMETERS,
      'pkg/src/skip.ts': 'x   \n',
    });
    // Only a repository's root is looked up to (issue 18): without .git the folder audited is the boundary.
    mkdirSync(join(root, '.git'));
    const { report } = await json(['audit', 'pkg'], root);
    assert.deepEqual(report.files.map((f) => f.path), ['src/a.ts']);
    assert.deepEqual(rulesOf(report), []);
  });

  it('does not look above the repository root', async () => {
    const root = tree({
      'maintenance-team.yaml': 'team:\n  complexity: { enabled: false }\n',
      'repo/a.ts': SIX_PARAMETERS,
    });
    mkdirSync(join(root, 'repo', '.git'));
    const { report } = await json(['audit', 'repo'], root);
    assert.deepEqual(rulesOf(report), ['a.ts complexity/parameter-count']);
  });

  it('prints each problem as file:line:column and audits with the defaults in its place', async () => {
    const root = tree({
      'a.ts': SIX_PARAMETERS,
      'conf/team.yaml': 'global:\n  concurency: 2\nteam:\n  complexity:\n    thresholds: { parameterCount: many }\n',
    });
    const { code, stderr, report } = await json(['audit', 'a.ts', '--config', 'conf/team.yaml'], root);
    assert.equal(code, 0);
    assert.equal(stderr, [
      "conf/team.yaml:2:3: warning: global: unknown key 'concurency' (did you mean 'concurrency'?); ignored",
      'conf/team.yaml:5:35: error: team.complexity.thresholds.parameterCount: expected a number, found "many"; using the default',
      '',
    ].join('\n'));
    assert.deepEqual(rulesOf(report), ['a.ts complexity/parameter-count']);
  });

  it('--strict-config exits 2 on any problem, and passes a clean file', async () => {
    const root = tree({ 'a.ts': 'export const a = 1;\n', 'maintenance-team.yaml': 'global:\n  concurrency: 0\n' });
    const strict = await run(['audit', '.', '--strict-config'], root);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /maintenance-team.yaml:2:16: error: global.concurrency: expected a number of at least 1, found 0/);
    assert.match(strict.stderr, /--strict-config/);
    assert.equal(strict.stdout, '');
    const clean = tree({ 'a.ts': 'export const a = 1;\n', 'maintenance-team.yaml': 'global:\n  concurrency: 1\n' });
    assert.equal((await run(['audit', '.', '--strict-config'], clean)).code, 0);
  });

  it('exits 2 when the file given to --config does not exist', async () => {
    const root = tree({ 'a.ts': 'export const a = 1;\n' });
    const result = await run(['audit', '.', '--config', 'missing.yaml'], root);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /configuration file not found: missing.yaml/);
  });

  it('severity overrides change the exit code under --fail-on', async () => {
    const root = tree({ 'a.ts': SIX_PARAMETERS, 'maintenance-team.yaml': 'team:\n  complexity:\n    severity: { parameter-count: error }\n' });
    const { code, report } = await json(['audit', '.'], root);
    assert.equal(code, 1);
    assert.equal(report.files.find((f) => f.path === 'a.ts')!.findings[0].severity, 'error');
  });

  it('optimizations: false gives the same findings as the default run', async () => {
    const files = { 'a.ts': SIX_PARAMETERS, 'b.ts': "import { x } from './a';\nconst y = 2;   \n", 'c.py': 'x = 1\t\n' };
    const fast = await json(['audit', '.'], tree(files));
    const slow = await json(['audit', '.'], tree({ ...files, 'maintenance-team.yaml': 'global:\n  optimizations: false\n' }));
    const strip = (r: typeof fast.report) => r.files.filter((f) => f.path !== 'maintenance-team.yaml')
      .map((f) => ({ path: f.path, findings: f.findings }));
    assert.deepEqual(strip(slow.report), strip(fast.report));
    assert.ok(rulesOf(fast.report).length >= 3);
  });
});
