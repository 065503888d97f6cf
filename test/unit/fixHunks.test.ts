import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { diffHunks, labelHunks, minimalEdit } from '../../src/fixes/fixHunks';
import type { Finding } from '../../src/core/model';
import { applyEdits } from '../../src/core/text';

test('separate changes become separate edits, trimmed to what differs', () => {
  const before = 'a  \nb\nc\nd\t\ne\n';
  const after = 'a\nb\nc\nd\ne\n';
  assert.deepEqual(diffHunks(before, after), [
    { start: 1, end: 3, newText: '' },
    { start: 9, end: 10, newText: '' },
  ]);
});

test('removed and added lines, CRLF kept, and no edit for identical texts', () => {
  const before = 'import x;\r\n\r\n\r\n\r\nconst a = 1;\r\n';
  const after = 'const a = 1;\r\n';
  assert.equal(applyEdits(before, diffHunks(before, after)), after);
  assert.deepEqual(diffHunks('same\n', 'same\n'), []);
  assert.equal(applyEdits('x', diffHunks('x', 'x\n')), 'x\n');
});

test('applying the hunks always gives the fixed text (random line edits)', () => {
  let seed = 7;
  const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const pool = ['a\n', 'b  \n', '\n', 'const x = 1;\n', 'c\r\n', '\t\td\n'];
  for (let round = 0; round < 300; round++) {
    const lines = Array.from({ length: random(30) }, () => pool[random(pool.length)]);
    const before = lines.join('') + (random(2) ? 'tail' : '');
    const changed = lines.filter(() => random(4) !== 0).map((l) => (random(5) === 0 ? pool[random(pool.length)] : l));
    const after = changed.join('') + (random(2) ? 'tail\n' : '');
    const hunks = diffHunks(before, after);
    assert.equal(applyEdits(before, hunks), after, JSON.stringify({ before, after }));
    for (let i = 1; i < hunks.length; i++) assert.ok(hunks[i - 1].end <= hunks[i].start, 'ordered, not overlapping');
  }
});

test('each hunk is labelled with the rules and fix titles whose edits fall in it', () => {
  const finding = (rule: string, title: string, start: number, end: number): Finding => ({
    agent: rule.split('/')[0], rule, severity: 'info', message: rule,
    range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
    fix: { title, edits: [{ start, end, newText: '' }] },
  });
  const hunks = [{ start: 1, end: 3, newText: '' }, { start: 20, end: 30, newText: '' }];
  const labelled = labelHunks(hunks, [
    finding('hygiene/trailing-whitespace', 'Remove trailing whitespace', 1, 3),
    finding('imports/unused', "Remove unused import 'x'", 20, 30),
    finding('imports/duplicate', 'Merge', 25, 26),
  ]);
  assert.deepEqual(labelled.map((h) => h.rules), [['hygiene/trailing-whitespace'], ['imports/duplicate', 'imports/unused']]);
  assert.deepEqual(labelHunks([{ start: 50, end: 51, newText: '' }], []).map((h) => h.rules), [[]]);
});

test('a minimal edit never splits a CRLF pair', () => {
  const edit = minimalEdit('a\r\nb', 'a\nb');
  assert.equal(applyEdits('a\r\nb', [edit]), 'a\nb');
  assert.ok(edit.start <= 1);
});

test('neighbouring lines changed in place get one edit each; removed lines make one edit of their run', () => {
  const before = "import { a, b } from 'm';  \nexport const x = a;  \n\n\n\n\nexport const y = 1;\n";
  const after = "import { a } from 'm';\nexport const x = a;\n\n\nexport const y = 1;\n";
  const hunks = diffHunks(before, after);
  assert.equal(applyEdits(before, hunks), after);
  assert.deepEqual(hunks.map((h) => before.slice(h.start, h.end)), [", b } from 'm';  ", '  ', '\n\n']);
});
