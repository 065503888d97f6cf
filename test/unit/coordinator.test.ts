import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Agent } from '../../src/core/agent';
import { hygieneAgent } from '../../src/agents/hygiene';
import { structureAgent } from '../../src/agents/structure';
import { runAudit, type AuditTarget } from '../../src/core/run/coordinator';
import type { Finding } from '../../src/core/model';
import { tempDir } from './helpers/tempDirs';

const targets = (texts: Record<string, string>): AuditTarget[] =>
  Object.entries(texts).map(([path, text]) => ({ path, absPath: `/nonexistent/${path}`, text }));

const throwing: Agent = {
  id: 'thrower', version: '1', appliesTo: () => true,
  run(input) {
    if (input.path.startsWith('bad')) throw new Error(`cannot read ${input.path}`);
    return [];
  },
};

test('one agent throwing on one file loses nothing else: the failure is counted', async () => {
  const result = await runAudit(targets({ 'bad.ts': 'x;  \n', 'good.ts': 'y;  \n' }), {
    root: '/r', agents: [structureAgent, throwing, hygieneAgent],
  });
  assert.equal(result.files.length, 2);
  const bad = result.files.find((f) => f.path === 'bad.ts')!;
  // The failure is a finding too (issue 18 #5: fail closed), never a clean file.
  assert.deepEqual(bad.findings.map((f) => f.rule), ['maintenance/agent-failed', 'hygiene/trailing-whitespace']);
  assert.match(bad.findings[0].message, /agent 'thrower' failed on this file \(cannot read bad\.ts\)/);
  assert.deepEqual(bad.failures, [{ agent: 'thrower', kind: 'threw', message: 'cannot read bad.ts' }]);
  const good = result.files.find((f) => f.path === 'good.ts')!;
  assert.deepEqual(good.findings.map((f) => f.rule), ['hygiene/trailing-whitespace']);
  assert.deepEqual(result.agents.thrower, { runs: 2, failures: 1, state: 'closed' });
  assert.deepEqual(result.agents.hygiene, { runs: 2, failures: 0, state: 'closed' });
});

test('agents run only on the languages they apply to', async () => {
  const result = await runAudit(targets({ 'a.py': 'x = (\n', 'b.ts': 'const x = (;\n' }), {
    root: '/r', agents: [structureAgent, hygieneAgent],
  });
  assert.equal(result.agents.structure.runs, 1);
  assert.equal(result.agents.hygiene.runs, 2);
  assert.deepEqual(result.files.find((f) => f.path === 'a.py')!.findings, []);
});

test('concurrency is bounded by p-limit', async () => {
  let active = 0;
  let peak = 0;
  const slow: Agent = {
    id: 'slow', version: '1', appliesTo: () => true,
    async run() {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return [];
    },
  };
  const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.ts`, '']));
  await runAudit(targets(many), { root: '/r', agents: [slow], concurrency: 3 });
  assert.equal(peak, 3);
});

test('an abort stops the audit and says so; finished files are kept', async () => {
  const controller = new AbortController();
  let seen = 0;
  const counting: Agent = {
    id: 'count', version: '1', appliesTo: () => true,
    run() {
      if (++seen === 3) controller.abort();
      return [];
    },
  };
  const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${String(i).padStart(2, '0')}.ts`, '']));
  const result = await runAudit(targets(many), { root: '/r', agents: [counting], concurrency: 1, signal: controller.signal });
  assert.equal(result.cancelled, true);
  assert.ok(result.files.length < 20 && result.files.length >= 2, `files: ${result.files.length}`);
});

test('files are read from disk, skipped with a reason when binary, and scored', async () => {
  const dir = tempDir('mt-coord-');
  writeFileSync(join(dir, 'a.ts'), 'const a = (;\n');
  writeFileSync(join(dir, 'img.png'), Buffer.from([0x89, 0x50, 0, 0, 1, 2]));
  const result = await runAudit(['a.ts', 'img.png'].map((p) => ({ path: p, absPath: join(dir, p) })), {
    root: dir, agents: [structureAgent, hygieneAgent],
  });
  assert.deepEqual(result.skipped, [{ path: 'img.png', reason: 'binary' }]);
  const file = result.files[0];
  assert.equal(file.path, 'a.ts');
  assert.ok(file.findings.some((f: Finding) => f.rule === 'syntax/error'));
  assert.ok(file.score < 70, `score ${file.score}`);
  assert.match(file.contentHash, /^[0-9a-f]{64}$/);
});

test('a BOM is detected, kept out of the audited text, and reported by the loader', async () => {
  const { decodeFile } = await import('../../src/core/files/fileLoader');
  const loaded = decodeFile(Buffer.from('\uFEFFconst a = 1;\n', 'utf8'));
  assert.deepEqual(loaded, { kind: 'text', text: 'const a = 1;\n', bom: true });
  assert.deepEqual(decodeFile(Buffer.from([0xc3, 0x28])), { kind: 'skip', reason: 'not-utf8', detail: 'is not valid UTF-8' });
});

test('a warm audit of files read from disk still yields to the event loop, so a cancel gets through', async () => {
  const { ResultCache } = await import('../../src/core/cache/resultCache');
  const { MemoryCacheStore } = await import('../../src/core/cache/store');
  const dir = tempDir('mt-yield-');
  const onDisk: AuditTarget[] = Array.from({ length: 2000 }, (_, i) => {
    writeFileSync(join(dir, `f${i}.ts`), `export const v${i} = ${i};\n`);
    return { path: `f${i}.ts`, absPath: join(dir, `f${i}.ts`) };
  });
  const { ProjectIndex } = await import('../../src/core/files/projectContext');
  const cache = new ResultCache(new MemoryCacheStore(), { limits: { maxEntries: 10_000, maxBytes: 1e8, ttlMs: 0 } });
  const project = new ProjectIndex(dir);
  await runAudit(onDisk, { root: dir, agents: [hygieneAgent], cache, project });
  // Every file is now served from memory and the project facts are known: nothing awaits real I/O, only the
  // coordinator's own yields between files.
  const controller = new AbortController();
  setImmediate(() => controller.abort());
  const result = await runAudit(onDisk, { root: dir, agents: [hygieneAgent], cache, project, signal: controller.signal });
  assert.equal(result.cancelled, true);
  assert.ok(result.files.length < onDisk.length, `${result.files.length} files audited after the cancel`);
  assert.ok(result.files.every((f) => f.fromCache));
});

test('texts given in memory (editor buffers) are held to the limits of files on disk: too large, binary, minified', async () => {
  const minified = `${'var a=1;'.repeat(700)}\n`.repeat(3);
  const result = await runAudit(targets({
    'big.ts': `const s = '${'é'.repeat(700)}';\n`, // 1,400+ bytes in 700-odd characters: over 1 KB as UTF-8
    'nul.txt': 'a\u0000b\n',
    'bundle.js': minified,
    'ok.ts': 'export const ok = 1;   \n',
  }), { root: '/r', agents: [hygieneAgent], limits: { maxFileSizeKb: 1 } });
  assert.deepEqual(result.skipped.map((s) => [s.path, s.reason]), [
    ['big.ts', 'too-large'], ['bundle.js', 'too-large'], ['nul.txt', 'binary'],
  ]);
  assert.deepEqual(result.files.map((f) => f.path), ['ok.ts']);
  const roomy = await runAudit(targets({ 'bundle.js': minified }), { root: '/r', agents: [hygieneAgent] });
  assert.deepEqual(roomy.skipped.map((s) => [s.path, s.reason]), [['bundle.js', 'minified']]);
});

test('the summary lists agents in one order, whatever order per-path teams met them in (shards merge to the same bytes)', async () => {
  const named = (id: string): Agent => ({ id, version: '1', appliesTo: () => true, run: () => [] });
  const [zeta, alpha] = [named('zeta'), named('alpha')];
  // Concurrency 1: b.ts (hygiene, alpha) is audited before a.ts (zeta, structure), so alpha is met first.
  const teams: Record<string, Agent[]> = { 'b.ts': [hygieneAgent, alpha], 'a.ts': [zeta, structureAgent, hygieneAgent] };
  const files = targets({ 'b.ts': 'b;\n', 'a.ts': 'a;\n' });
  const result = await runAudit(files, { root: '/r', agents: [hygieneAgent], teamFor: (path) => ({ agents: teams[path] }), concurrency: 1 });
  // The team's agents in the line-up's order, then any other by id.
  assert.deepEqual(Object.keys(result.agents), ['structure', 'hygiene', 'alpha', 'zeta']);
  const reversed = await runAudit([...files].reverse(), { root: '/r', agents: [hygieneAgent], teamFor: (path) => ({ agents: teams[path] }), concurrency: 1 });
  assert.deepEqual(Object.keys(reversed.agents), Object.keys(result.agents));
});
