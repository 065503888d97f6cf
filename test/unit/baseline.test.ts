import assert from 'node:assert/strict';
import { lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyBaseline, recordBaseline, type BaselinePlace } from '../../src/core/baseline/auditBaseline';
import { BaselineFileError, readBaselineFile, writeBaselineFile } from '../../src/core/baseline/baselineFile';
import { fingerprintFindings, normalizeLine } from '../../src/core/baseline/fingerprint';
import {
  BASELINE_FILE_NAME, baselineTotals, parseBaseline, serializeBaseline, type Baseline,
} from '../../src/core/baseline/format';
import type { AuditResult, Finding } from '../../src/core/model';
import { auditResult, fileResult, finding } from './helpers/auditResults';
import { tempDir } from './helpers/tempDirs';

const AWAIT = 'complexity/await-in-loop';

/** A folder holding `files`, and the baseline's place at its root. */
function workspace(files: Record<string, string>): { root: string; place: BaselinePlace } {
  const root = tempDir('mt-baseline-');
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  return { root, place: { file: join(root, BASELINE_FILE_NAME), root } };
}

/** One `await-in-loop` finding on every line of `text` that holds `await`, as the agent reports them. */
function awaits(text: string): Finding[] {
  const found: Finding[] = [];
  text.split('\n').forEach((line, i) => {
    const column = line.indexOf('await');
    if (column !== -1) found.push(finding(AWAIT, 'warning', i + 1, column + 1, { length: 5 }));
  });
  return found;
}

/** The audit of the files (path → text) as the coordinator would give it, `await` findings only. */
function audit(root: string, files: Record<string, string>, extra: Record<string, Finding[]> = {}): AuditResult {
  return auditResult({
    root,
    files: Object.entries(files).map(([path, text]) => fileResult(path, [...awaits(text), ...(extra[path] ?? [])], text)),
  });
}

const LOOP = 'for (const x of xs) {\n  await one(x);\n  await two(x);\n  await three(x);\n}\n';

describe('baseline: file format', () => {
  it('round-trips, and the same findings give the same bytes whatever their order', () => {
    const { root, place } = workspace({ 'b.ts': LOOP, 'a.ts': LOOP });
    const first = serializeBaseline(recordBaseline(audit(root, { 'b.ts': LOOP, 'a.ts': LOOP }), undefined, place));
    const second = serializeBaseline(recordBaseline(audit(root, { 'a.ts': LOOP, 'b.ts': LOOP }), undefined, place));
    assert.equal(first, second);
    assert.equal(serializeBaseline(parseBaseline(first)), first);
    const parsed = JSON.parse(first) as { version: number; files: Record<string, Record<string, { count: number; fingerprints: string[] }>> };
    assert.equal(parsed.version, 1);
    assert.deepEqual(Object.keys(parsed.files), ['a.ts', 'b.ts']);
    assert.equal(parsed.files['a.ts'][AWAIT].count, 3);
    assert.equal(parsed.files['a.ts'][AWAIT].fingerprints.length, 3);
    assert.ok(first.endsWith('}\n') && !/[ \t]\n/.test(first), 'clean for the hygiene agent');
  });

  it('fingerprints hold no line number: rule + the trimmed, collapsed line text, then an occurrence index', () => {
    assert.equal(normalizeLine('  \tawait   one( x );\r\n'), 'await one( x );');
    const at3 = fingerprintFindings([finding(AWAIT, 'warning', 3, 3)], 'a\nb\n  await one(x);\n');
    const at1 = fingerprintFindings([finding(AWAIT, 'warning', 1, 1)], 'await   one(x);');
    assert.deepEqual(at3, at1);
    assert.match(at1[0], /^[0-9a-f]{16}:1$/);
    const other = fingerprintFindings([finding('complexity/cyclomatic', 'warning', 1, 1)], 'await one(x);');
    assert.notDeepEqual(other, at1, 'the rule is part of it');
  });
});

describe('baseline: matching', () => {
  it('matches when lines move (code inserted above)', () => {
    const { root, place } = workspace({ 'a.ts': LOOP });
    const baseline = recordBaseline(audit(root, { 'a.ts': LOOP }), undefined, place);
    const moved = `// header\nimport { one } from './one';\n\n${LOOP}`;
    writeFileSync(join(root, 'a.ts'), moved);
    const { result } = applyBaseline(audit(root, { 'a.ts': moved }), baseline, place);
    assert.deepEqual(result.files[0].findings, []);
    assert.equal(result.files[0].suppressed?.length, 3);
    assert.deepEqual(result.files[0].suppressed?.[0].suppression, { kind: 'baseline', justification: BASELINE_FILE_NAME });
    assert.deepEqual(result.baseline, { file: BASELINE_FILE_NAME, matched: 3, new: 0 });
    assert.equal(result.files[0].score, 100, 'the score is recomputed from what remains');
  });

  it('matches a renamed file by fingerprint, and a prune moves its entries to the new path', () => {
    const { root, place } = workspace({ 'old.ts': LOOP, 'other.ts': 'await x;\n' });
    const baseline = recordBaseline(audit(root, { 'old.ts': LOOP, 'other.ts': 'await x;\n' }), undefined, place);
    rmSync(join(root, 'old.ts'));
    writeFileSync(join(root, 'new.ts'), LOOP);
    const { result, pruned } = applyBaseline(audit(root, { 'new.ts': LOOP, 'other.ts': 'await x;\n' }), baseline, place);
    assert.deepEqual(result.baseline, { file: BASELINE_FILE_NAME, matched: 4, new: 0 });
    assert.deepEqual([...pruned.keys()].sort(), ['new.ts', 'other.ts']);
    assert.equal(pruned.get('new.ts')?.get(AWAIT)?.count, 3);
  });

  it('a renamed file takes only what its fingerprints match: a new line in it is new', () => {
    const { root, place } = workspace({ 'old.ts': LOOP });
    const baseline = recordBaseline(audit(root, { 'old.ts': LOOP }), undefined, place);
    rmSync(join(root, 'old.ts'));
    const grown = `${LOOP}await four();\n`;
    writeFileSync(join(root, 'new.ts'), grown);
    const { result } = applyBaseline(audit(root, { 'new.ts': grown }), baseline, place);
    assert.deepEqual(result.files[0].findings.map((f) => f.range.start.line), [6]);
  });

  it('tells identical lines apart by their occurrence: a third identical line is one new finding', () => {
    const twice = 'while (a) {\n  await tick();\n}\nwhile (b) {\n  await tick();\n}\n';
    const { root, place } = workspace({ 'a.ts': twice });
    const baseline = recordBaseline(audit(root, { 'a.ts': twice }), undefined, place);
    assert.equal(new Set(baseline.get('a.ts')?.get(AWAIT)?.fingerprints).size, 2, 'two distinct fingerprints');
    const thrice = `${twice}while (c) {\n  await tick();\n}\n`;
    writeFileSync(join(root, 'a.ts'), thrice);
    const { result } = applyBaseline(audit(root, { 'a.ts': thrice }), baseline, place);
    assert.equal(result.files[0].findings.length, 1);
    assert.equal(result.files[0].suppressed?.length, 2);
  });

  it('count growth: 3 baselined, now 4 → 1 new (the one whose line is new), scored on it alone', () => {
    const { root, place } = workspace({ 'a.ts': LOOP });
    const baseline = recordBaseline(audit(root, { 'a.ts': LOOP }), undefined, place);
    const four = LOOP.replace('  await two(x);\n', '  await two(x);\n  await extra(x);\n');
    writeFileSync(join(root, 'a.ts'), four);
    const { result } = applyBaseline(audit(root, { 'a.ts': four }), baseline, place);
    assert.deepEqual(result.files[0].findings.map((f) => f.range.start.line), [4]);
    assert.deepEqual(result.baseline, { file: BASELINE_FILE_NAME, matched: 3, new: 1 });
    assert.equal(result.files[0].score, 97);
  });

  it('a baselined line that was edited keeps its place while the count allows, and no more', () => {
    const { root, place } = workspace({ 'a.ts': LOOP });
    const baseline = recordBaseline(audit(root, { 'a.ts': LOOP }), undefined, place);
    const edited = LOOP.replace('await two(x)', 'await two(x, y)');
    writeFileSync(join(root, 'a.ts'), edited);
    assert.equal(applyBaseline(audit(root, { 'a.ts': edited }), baseline, place).result.baseline?.new, 0);
    const plusOne = `${edited}await again();\n`;
    writeFileSync(join(root, 'a.ts'), plusOne);
    assert.equal(applyBaseline(audit(root, { 'a.ts': plusOne }), baseline, place).result.baseline?.new, 1);
  });

  it('reports everything of a file whose text changed since its audit (fail closed)', () => {
    const { root, place } = workspace({ 'a.ts': LOOP });
    const baseline = recordBaseline(audit(root, { 'a.ts': LOOP }), undefined, place);
    writeFileSync(join(root, 'a.ts'), `${LOOP}// edited after the audit\n`);
    const { result } = applyBaseline(audit(root, { 'a.ts': LOOP }), baseline, place);
    assert.equal(result.files[0].findings.length, 3);
  });

  it('never baselines an engine finding (agent-failed, parse-failed)', () => {
    const failed = finding('maintenance/agent-failed', 'error', 1, 1, { message: "agent 'complexity' failed" });
    const { root, place } = workspace({ 'a.ts': LOOP });
    const baseline = recordBaseline(audit(root, { 'a.ts': LOOP }, { 'a.ts': [failed] }), undefined, place);
    assert.deepEqual([...baseline.get('a.ts')!.keys()], [AWAIT]);
    const forged = parseBaseline(JSON.stringify({
      version: 1, files: { 'a.ts': { 'maintenance/agent-failed': { count: 1, fingerprints: fingerprintFindings([failed], LOOP) } } },
    }));
    const { result } = applyBaseline(audit(root, { 'a.ts': LOOP }, { 'a.ts': [failed] }), forged, place);
    assert.ok(result.files[0].findings.some((f) => f.rule === 'maintenance/agent-failed'));
  });
});

describe('baseline: prune and record', () => {
  it('prune drops what no longer matches and never admits more; files outside the audit are kept', () => {
    const { root, place } = workspace({ 'a.ts': LOOP, 'kept.ts': 'await x;\n' });
    const baseline = recordBaseline(audit(root, { 'a.ts': LOOP, 'kept.ts': 'await x;\n' }), undefined, place);
    const fixed = LOOP.replace('  await three(x);\n', '').replace('await two(x)', 'await two(x, y)');
    writeFileSync(join(root, 'a.ts'), fixed);
    const { pruned } = applyBaseline(audit(root, { 'a.ts': fixed }), baseline, place);
    assert.equal(pruned.get('a.ts')?.get(AWAIT)?.count, 2);
    assert.deepEqual(pruned.get('kept.ts'), baseline.get('kept.ts'));
    assert.ok(baselineTotals(pruned).findings < baselineTotals(baseline).findings);
    // Pruned again against the same code, it stays as it is.
    assert.equal(serializeBaseline(applyBaseline(audit(root, { 'a.ts': fixed }), pruned, place).pruned), serializeBaseline(pruned));
  });

  it('a new record keeps the entries of files it did not audit and drops those of deleted files', () => {
    const { root, place } = workspace({ 'a.ts': LOOP, 'b.ts': LOOP, 'gone.ts': LOOP });
    const first = recordBaseline(audit(root, { 'a.ts': LOOP, 'b.ts': LOOP, 'gone.ts': LOOP }), undefined, place);
    rmSync(join(root, 'gone.ts'));
    const second = recordBaseline(audit(root, { 'a.ts': 'clean();\n' }), first, place);
    assert.deepEqual([...second.keys()], ['b.ts']);
  });
});

describe('baseline: the file on disk', () => {
  it('is written through a temp file renamed over the name: a link planted there is replaced, not followed', async () => {
    const { root } = workspace({ 'target.txt': 'keep me' });
    const path = join(root, BASELINE_FILE_NAME);
    symlinkSync(join(root, 'target.txt'), path);
    const baseline: Baseline = new Map([['a.ts', new Map([[AWAIT, { count: 1, fingerprints: ['0123456789abcdef:1'] }]])]]);
    await writeBaselineFile(path, baseline);
    assert.equal(readFileSync(join(root, 'target.txt'), 'utf8'), 'keep me');
    assert.ok(lstatSync(path).isFile());
    assert.deepEqual(await readBaselineFile(path), baseline);
  });

  it('is absent (undefined), or refused with the file named and why: not JSON, another version, a bad entry, too large', async () => {
    const { root } = workspace({});
    const path = join(root, BASELINE_FILE_NAME);
    assert.equal(await readBaselineFile(path), undefined);
    const cases: [string, RegExp][] = [
      ['{ not json', /not JSON/],
      ['{"version": 2, "files": {}}', /version|expected 1/i],
      ['{"version": 1, "files": {"../x.ts": {}}}', /inside the baseline's folder/],
      ['{"version": 1, "files": {"a.ts": {"complexity/cyclomatic": {"count": -1, "fingerprints": []}}}}', /count/],
      ['{"version": 1, "files": {"a.ts": {"complexity/cyclomatic": {"count": 1, "fingerprints": ["x"]}}}}', /fingerprint/],
    ];
    for (const [text, reason] of cases) {
      writeFileSync(path, text);
      await assert.rejects(readBaselineFile(path), (error: Error) => {
        assert.ok(error instanceof BaselineFileError);
        assert.ok(error.message.includes(path), error.message);
        assert.match(error.message, reason);
        return true;
      });
    }
    writeFileSync(path, `{"version": 1, "files": {}}${' '.repeat(2048)}`);
    await assert.rejects(readBaselineFile(path, 1024), /over the 1 KB limit of baseline files/);
  });

  it('takes a path named __proto__ as a path', () => {
    const parsed = parseBaseline('{"version": 1, "files": {"__proto__": {"complexity/cyclomatic": {"count": 1, "fingerprints": ["0123456789abcdef:1"]}}}}');
    assert.deepEqual([...parsed.keys()], ['__proto__']);
    assert.match(serializeBaseline(parsed), /"__proto__": \{/);
  });
});

describe('baseline: the engine worker (editor)', () => {
  it('reads the folder\'s file again when it changes, and warns once about a broken one (every finding then shows)', async () => {
    const { baselineMatcher } = await import('../../src/worker/baselines');
    const { root, place } = workspace({ 'a.ts': LOOP });
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    assert.equal(await baselineMatcher(root, [], warn), undefined, 'no file, no matcher');
    writeFileSync(place.file, serializeBaseline(recordBaseline(audit(root, { 'a.ts': LOOP }), undefined, place)));
    const matcher = await baselineMatcher(root, [], warn);
    assert.equal(matcher?.apply(audit(root, { 'a.ts': LOOP }).files[0]).findings.length, 0);
    writeFileSync(place.file, '{ broken');
    assert.equal(await baselineMatcher(root, [], warn), undefined);
    assert.equal(await baselineMatcher(root, [], warn), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /invalid baseline .*not JSON; every finding is shown/);
  });
});
