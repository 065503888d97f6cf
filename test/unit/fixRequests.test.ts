import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTeam } from '../../src/agents/registry';
import { defaultConfig } from '../../src/core/config/schema';
import { hashText } from '../../src/core/hash';
import { labelHunks } from '../../src/fixes/fixHunks';
import { applyEdits } from '../../src/core/text';
import type { FileFixedMessage } from '../../src/shared/engineProtocol';
import { fixFiles } from '../../src/worker/fixRequests';

const signal = new AbortController().signal;

test('fixFiles answers each file: hunks that give the fixed text, a changed file skipped, an unreadable one failed', async () => {
  const root = await mkdtemp(join(tmpdir(), 'fix-files-'));
  try {
    const fixable = "import { a, b } from './m';\nexport const x = a;  \n";
    await writeFile(join(root, 'fixable.ts'), `\ufeff${fixable}`); // a BOM is not part of the text
    await writeFile(join(root, 'changed.ts'), 'export const y = 2;  \n');
    const open = 'export const z = 3;\t\n';
    const answers: FileFixedMessage[] = [];
    await fixFiles({
      type: 'fixFiles', id: 7, root, config: defaultConfig(),
      files: [
        { path: 'fixable.ts', contentHash: hashText(fixable) },
        { path: 'changed.ts', contentHash: hashText('export const y = 1;  \n') },
        { path: 'missing.ts', contentHash: 'x' },
        { path: 'open.ts', contentHash: hashText(open), text: open }, // an unsaved editor text, not the disk
      ],
    }, createTeam(), signal, (m) => answers.push(m));
    assert.deepEqual(answers.map((m) => [m.path, m.outcome]),
      [['fixable.ts', 'fixed'], ['changed.ts', 'changed'], ['missing.ts', 'failed'], ['open.ts', 'fixed']]);
    const [fixed, changed, , edited] = answers;
    assert.equal(applyEdits(fixable, fixed.hunks), "import { a } from './m';\nexport const x = a;\n");
    assert.deepEqual(fixed.hunks.map((h) => [h.range.start.line, h.range.start.column]), [[1, 11], [2, 20]]);
    assert.equal(fixed.applied, 2);
    // Each change is named by the fixes the worker computed, not by a stored audit that a cache may have served
    // without fixes (the refactor preview showed every change as 'Follow-up fixes' on a warm workspace).
    assert.deepEqual(labelHunks(fixed.hunks, fixed.findings ?? []).map((h) => h.rules),
      [['imports/unused'], ['hygiene/trailing-whitespace']]);
    assert.deepEqual(changed.hunks, []);
    assert.equal(applyEdits(open, edited.hunks), 'export const z = 3;\n');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a cancelled fixFiles request stops answering', async () => {
  const controller = new AbortController();
  const answers: FileFixedMessage[] = [];
  const text = 'export const a = 1;  \n';
  const files = Array.from({ length: 5 }, (_, i) => ({ path: `f${i}.ts`, contentHash: hashText(text), text }));
  await fixFiles({ type: 'fixFiles', id: 1, root: '/nowhere', config: defaultConfig(), files }, createTeam(), controller.signal, (m) => {
    answers.push(m);
    if (answers.length === 2) controller.abort();
  });
  assert.equal(answers.length, 2);
});
