import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import type { Agent, AgentInput } from '../../src/core/agent';
import { BASELINE_FILE_NAME } from '../../src/core/baseline/format';
import { parseArgs, type AuditCommand } from '../../src/cli/args';
import type { MainOptions } from '../../src/cli/main';
import type { Finding, Severity } from '../../src/core/model';
import { LineIndex } from '../../src/core/text';
import { json, run, tree } from './helpers/cli';

/** Fake agent: every `@error`, `@warning` or `@info` in a file is a finding of that severity. */
const markers: Agent = {
  id: 'markers', version: '1', appliesTo: () => true,
  run(input: AgentInput): Finding[] {
    const index = new LineIndex(input.text);
    return [...input.text.matchAll(/@(error|warning|info)\b/g)].map((m) => ({
      agent: 'markers', rule: 'markers/marker', severity: m[1] as Severity, message: `marker ${m[1]}`,
      range: index.rangeOf(m.index, m.index + m[0].length),
    }));
  },
};
const team: MainOptions = { agents: () => [markers] };

/** The OASIS SARIF 2.1.0 schema (test/fixtures/schemas/README.md), as sarifReport.test.ts checks against it. */
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as object);

const LEGACY = 'one(); // @error\ntwo(); // @error\n';

/** A folder holding `files`, with a baseline of today's findings. */
async function baselined(files: Record<string, string> = { 'a.ts': LEGACY }): Promise<string> {
  const root = tree(files);
  const { code, stdout } = await run(['audit', '.', '--baseline-write', '--no-cache'], root, team);
  assert.equal(code, 0);
  assert.match(stdout, /^\d+ findings? in \d+ files? recorded in maintenance-team-baseline\.json\n$/);
  return root;
}

describe('CLI: --baseline flags', () => {
  it('parses them, and refuses those that contradict each other', () => {
    const of = (argv: string[]) => (parseArgs(argv) as AuditCommand).baseline;
    assert.equal(of(['audit', '.']), undefined);
    assert.deepEqual(of(['audit', '.', '--baseline-write']), { action: 'write' });
    assert.deepEqual(of(['audit', '.', '--baseline-write', 'b.json']), { action: 'write', file: 'b.json' });
    assert.deepEqual(of(['audit', '--baseline-write', '.']), { action: 'write' }, 'before <path>, the next word is the path');
    assert.deepEqual(of(['audit', '.', '--baseline-write=b.json']), { action: 'write', file: 'b.json' });
    assert.deepEqual(of(['audit', '.', '--baseline', 'b.json']), { action: 'apply', file: 'b.json' });
    assert.deepEqual(of(['audit', '.', '--baseline-prune']), { action: 'prune' });
    assert.deepEqual(of(['audit', '.', '--baseline-prune', '--baseline', 'b.json']), { action: 'prune', file: 'b.json' });
    assert.deepEqual(of(['audit', '.', '--no-baseline']), { action: 'off' });
    for (const argv of [['--no-baseline', '--baseline', 'b.json'], ['--baseline-write', '--baseline-prune'], ['--fix', '--dry-run', '--baseline-write']]) {
      assert.equal(parseArgs(['audit', '.', ...argv]).kind, 'usage-error', argv.join(' '));
    }
  });

  it('write records today\'s findings at the audit root, exit 0 whatever --fail-on says', async () => {
    const root = tree({ 'a.ts': LEGACY, 'b.ts': 'clean();\n' });
    const { code, stdout } = await run(['audit', '.', '--baseline-write', '--fail-on', 'info', '--no-cache'], root, team);
    assert.equal(code, 0);
    assert.equal(stdout, '2 findings in 1 file recorded in maintenance-team-baseline.json\n');
    const file = JSON.parse(readFileSync(join(root, BASELINE_FILE_NAME), 'utf8')) as { files: Record<string, unknown> };
    assert.deepEqual(Object.keys(file.files), ['a.ts']);
  });

  it('applies the file at the audit root by default: --fail-on ignores baselined findings, a new one fails the run', async () => {
    const root = await baselined();
    const clean = await json(['audit', '.', '--fail-on', 'info', '--no-cache'], root, team);
    assert.equal(clean.code, 0);
    assert.deepEqual(clean.report.files[0].findings, []);
    assert.deepEqual(clean.report.summary.baseline, { file: BASELINE_FILE_NAME, matched: 2, new: 0 });
    writeFileSync(join(root, 'a.ts'), `zero(); // @warning\n${LEGACY}`);
    const grown = await json(['audit', '.', '--fail-on', 'warning', '--no-cache'], root, team);
    assert.equal(grown.code, 1);
    assert.deepEqual(grown.report.files[0].findings.map((f) => f.range.start.line), [1]);
    assert.deepEqual(grown.report.summary.baseline, { file: BASELINE_FILE_NAME, matched: 2, new: 1 });
    const text = await run(['audit', '.', '--no-cache'], root, team);
    assert.match(text.stderr, /2 findings in the baseline maintenance-team-baseline\.json not shown/);
  });

  it('--no-baseline reports everything', async () => {
    const root = await baselined();
    const { code, report } = await json(['audit', '.', '--no-baseline', '--no-cache'], root, team);
    assert.equal(code, 1);
    assert.equal(report.files[0].findings.length, 2);
    assert.equal(report.summary.baseline, undefined);
  });

  it('--baseline FILE applies that file, paths relative to its folder; unusable, it exits 2 naming it', async () => {
    const root = await baselined({ 'src/a.ts': LEGACY });
    const fromSrc = await json(['audit', 'src', '--baseline', BASELINE_FILE_NAME, '--no-cache'], root, team);
    assert.equal(fromSrc.code, 0);
    assert.equal(fromSrc.report.summary.baseline?.matched, 2);
    const missing = await run(['audit', '.', '--baseline', 'nope.json', '--no-cache'], root, team);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no baseline at nope\.json/);
    writeFileSync(join(root, 'bad.json'), '{"version": 7, "files": {}}');
    const bad = await run(['audit', '.', '--baseline', 'bad.json', '--no-cache'], root, team);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid baseline .*bad\.json: .*version/);
  });

  it('a broken default file is set aside with a warning, and every finding is reported', async () => {
    const root = tree({ 'a.ts': LEGACY, [BASELINE_FILE_NAME]: '{ broken' });
    const { code, report, stderr } = await json(['audit', '.', '--no-cache'], root, team);
    assert.equal(code, 1);
    assert.equal(report.files.find((f) => f.path === 'a.ts')?.findings.length, 2);
    assert.match(stderr, /warning: invalid baseline .*maintenance-team-baseline\.json: not JSON.*; every finding is reported/);
  });

  it('--baseline-prune drops what no longer matches and follows a renamed file', async () => {
    const root = await baselined({ 'a.ts': LEGACY, 'b.ts': 'x(); // @info\n' });
    writeFileSync(join(root, 'a.ts'), 'one(); // @error\n');
    renameSync(join(root, 'b.ts'), join(root, 'c.ts'));
    const { code, stderr } = await run(['audit', '.', '--baseline-prune', '--no-cache'], root, team);
    assert.equal(code, 0);
    assert.match(stderr, /baseline maintenance-team-baseline\.json pruned: 1 finding dropped, 2 kept/);
    const file = JSON.parse(readFileSync(join(root, BASELINE_FILE_NAME), 'utf8')) as { files: Record<string, Record<string, { count: number }>> };
    assert.deepEqual(Object.keys(file.files), ['a.ts', 'c.ts']);
    assert.equal(file.files['a.ts']['markers/marker'].count, 1);
    const none = tree({ 'a.ts': LEGACY });
    assert.equal((await run(['audit', '.', '--baseline-prune', '--no-cache'], none, team)).code, 2);
    assert.equal(existsSync(join(none, BASELINE_FILE_NAME)), false, 'prune never creates a baseline');
  });

  it('SARIF: baselineState on every result, the matched ones written as suppressed results', async () => {
    const root = await baselined();
    writeFileSync(join(root, 'a.ts'), `${LEGACY}three(); // @error\n`);
    const { stdout } = await run(['audit', '.', '--format', 'sarif', '--no-cache'], root, team);
    const results = (JSON.parse(stdout) as Log).runs[0].results ?? [];
    assert.deepEqual(results.map((r) => [r.locations?.[0].physicalLocation?.region?.startLine, r.baselineState]),
      [[1, 'unchanged'], [2, 'unchanged'], [3, 'new']]);
    assert.deepEqual(results[0].suppressions, [{ kind: 'external', justification: BASELINE_FILE_NAME }]);
    assert.equal(results[2].suppressions, undefined);
    assert.ok(validate(JSON.parse(stdout)), JSON.stringify(validate.errors));
    const without = await run(['audit', '.', '--format', 'sarif', '--no-baseline', '--no-cache'], root, team);
    assert.ok(((JSON.parse(without.stdout) as Log).runs[0].results ?? []).every((r) => r.baselineState === undefined));
  });
});

describe('CLI: --baseline-write outside the audited folder', () => {
  it('refuses a baseline whose folder does not hold the audited files, and writes nothing', async () => {
    const root = tree({ 'src/a.ts': LEGACY });
    const { code, stderr } = await run(['audit', 'src', '--baseline-write', 'src/sub/b.json', '--no-cache'], root, team);
    assert.equal(code, 2);
    assert.match(stderr, /baseline not written: a\.ts is outside the baseline's folder/);
    assert.equal(existsSync(join(root, 'src', 'sub', 'b.json')), false);
  });
});
