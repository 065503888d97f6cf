// Issue 19 #10: "Fix all in workspace" in the refactor preview: groups titled by rule, layout fixes ticked whatever
// the language, and a report of what the preview really applied.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { hygieneAgent } from '../../src/agents/hygiene';
import { fixFile } from '../../src/fixes/validator';
import { createAgentInput } from '../../src/core/files/fileAudit';
import { appliedHunks, diffHunks, labelHunks } from '../../src/fixes/fixHunks';
import type { Finding } from '../../src/core/model';
import { applyEdits } from '../../src/core/text';
import { appliedMessage, previewEntry } from '../../src/vscode/fixPreview';

const signal = new AbortController().signal;

/** The preview entries "Fix all in workspace" builds for `text`, fixed by the hygiene agent. */
async function entriesOf(path: string, text: string) {
  const findings = hygieneAgent.run(createAgentInput(path, text), signal) as Finding[];
  const fixed = (await fixFile(path, text, [hygieneAgent], signal)).text;
  return labelHunks(diffHunks(text, fixed), findings).map((hunk) => previewEntry(hunk, 'codeChanges'));
}

describe('#10 fix all in workspace: the refactor preview', () => {
  test('a rule\'s group is titled by the rule, never by its first fix', { timeout: 10_000 }, () => {
    const wildcard = (title: string) => ({ rules: ['imports/wildcard'], titles: [title], safe: false, layout: false });
    const first = previewEntry(wildcard("Import equal from 'assert' by name"), 'codeChanges');
    const second = previewEntry(wildcard("Import join from 'path' by name"), 'codeChanges');
    assert.match(first.label, /^imports\/wildcard: \S/);
    assert.doesNotMatch(`${first.label} ${first.description}`, /equal|assert/);
    // VS Code groups by label and titles the group with its first entry's label and description: same for all.
    assert.deepEqual(second, first);
    assert.equal(first.needsConfirmation, true);
  });

  test('indentation fixes start ticked in HTML, YAML and Python as in TypeScript: the rule decides', { timeout: 10_000 }, async () => {
    const svg = '<svg>\n  <g>\n    <rect/>\n\t<rect/>\n  </g>\n</svg>\n';
    for (const path of ['page.html', 'a.ts', 'a.yaml', 'a.py']) {
      const entries = await entriesOf(path, path === 'a.ts' ? 'function f() {\n  if (x) {\n    return 1;\n\t}\n}\n' : svg);
      assert.ok(entries.length > 0, `${path}: no change`);
      assert.deepEqual(entries.filter((e) => e.needsConfirmation), [], `${path}: a layout fix starts unticked`);
      assert.match(entries[0].label, /^hygiene\/mixed-indentation: /);
    }
    // Every change asks when the user says so.
    const [hunk] = labelHunks([{ start: 0, end: 1, newText: '' }], [
      { agent: 'hygiene', rule: 'hygiene/trailing-whitespace', severity: 'info', message: '', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }, fix: { title: 't', edits: [{ start: 0, end: 1, newText: '' }] } },
    ]);
    assert.equal(previewEntry(hunk, 'everything').needsConfirmation, true);
    assert.equal(previewEntry(hunk, 'codeChanges').needsConfirmation, false);
  });

  test('the changes applied are read back from the text, whichever were ticked', { timeout: 10_000 }, () => {
    const before = 'a  \nb\n\n\n\nc\nd\t\n';
    const hunks = diffHunks(before, 'a\nb\n\nc\nd\n');
    assert.equal(hunks.length, 3);
    for (let mask = 0; mask < 8; mask++) {
      const ticked = hunks.map((_, i) => (mask & (1 << i)) !== 0);
      const after = applyEdits(before, hunks.filter((_, i) => ticked[i]));
      assert.deepEqual(appliedHunks(before, after, hunks), ticked, `mask ${mask}`);
    }
    // Old and new text both fit at the spot: what follows decides.
    assert.deepEqual(appliedHunks('xx', 'x', [{ start: 1, end: 2, newText: '' }]), [true]);
    assert.deepEqual(appliedHunks('aab', 'ab', [{ start: 0, end: 1, newText: '' }]), [true]);
    // Edited meanwhile: no answer rather than a wrong one.
    assert.equal(appliedHunks(before, 'something else', hunks), undefined);
  });

  test('the message says what was applied and what was left unticked', { timeout: 10_000 }, () => {
    assert.equal(appliedMessage({ offered: 84, offeredFiles: 66, applied: 12, appliedFiles: 5, unknownFiles: 0 }),
      'Applied 12 changes in 5 files; 72 left unticked');
    assert.equal(appliedMessage({ offered: 3, offeredFiles: 1, applied: 3, appliedFiles: 1, unknownFiles: 0 }), 'Applied 3 changes in 1 file');
    assert.equal(appliedMessage({ offered: 2, offeredFiles: 2, applied: 0, appliedFiles: 0, unknownFiles: 0 }),
      'No change applied (2 changes offered, all left unticked)');
  });
});
