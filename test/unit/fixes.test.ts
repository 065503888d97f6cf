import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { combineFixes } from '../../src/fixes/adapter';
import type { Agent } from '../../src/core/agent';
import { fixFile } from '../../src/fixes/validator';
import type { Finding } from '../../src/core/model';
import { applyEdits, LineIndex } from '../../src/core/text';

const signal = new AbortController().signal;
const at = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
const finding = (rule: string, start: number, end: number, newText: string): Finding => ({
  agent: 'test', rule, severity: 'warning', message: rule, range: at, fix: { title: rule, edits: [{ start, end, newText }] },
});

test('applyEdits applies in offset order and refuses overlaps', () => {
  assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, newText: 'E' }, { start: 0, end: 1, newText: 'A' }]), 'AbcdEf');
  assert.throws(() => applyEdits('abcdef', [{ start: 0, end: 3, newText: '' }, { start: 2, end: 4, newText: '' }]), RangeError);
});

test('LineIndex maps offsets to 1-based positions across LF, CRLF and CR', () => {
  const index = new LineIndex('a\r\nb\nc\rd');
  assert.deepEqual(index.positionAt(0), { line: 1, column: 1 });
  assert.deepEqual(index.positionAt(3), { line: 2, column: 1 });
  assert.deepEqual(index.positionAt(5), { line: 3, column: 1 });
  assert.deepEqual(index.positionAt(7), { line: 4, column: 1 });
  assert.equal(index.offsetAt({ line: 4, column: 2 }), 8);
});

test('the adapter combines fixes in one pass and defers an overlapping one whole', () => {
  const combined = combineFixes([finding('a', 0, 2, ''), finding('b', 1, 3, 'X'), finding('c', 4, 5, 'Y')]);
  assert.deepEqual(combined.applied.map((f) => f.rule), ['a', 'c']);
  assert.deepEqual(combined.deferred.map((f) => f.rule), ['b']);
  assert.equal(applyEdits('012345', combined.edits), '23Y5');
});

test('identical edits from two findings are applied once', () => {
  const combined = combineFixes([finding('a', 0, 2, ''), finding('b', 0, 2, '')]);
  assert.equal(combined.edits.length, 1);
  assert.equal(combined.applied.length, 2);
});

/** An agent proposing a fix that breaks the parse: the validator must drop it. */
const breaker: Agent = {
  id: 'breaker', version: '1', appliesTo: () => true,
  run(input) {
    const i = input.text.indexOf('ok');
    return i < 0 ? [] : [finding('breaker/bad', i, i + 2, 'ok(')];
  },
};

test('a fix that would add a syntax error is dropped and counted; the file is unchanged', async () => {
  const result = await fixFile('a.ts', 'const ok = 1;\n', [breaker], signal);
  assert.equal(result.text, 'const ok = 1;\n');
  assert.equal(result.changed, false);
  assert.equal(result.dropped, 1);
});

test('the validator keeps the safe fixes when another one breaks the parse', async () => {
  const trailing: Agent = {
    id: 'trim', version: '1', appliesTo: () => true,
    run(input) {
      const i = input.text.indexOf('  \n');
      return i < 0 ? [] : [finding('trim/ws', i, i + 2, '')];
    },
  };
  const result = await fixFile('a.ts', 'const ok = 1;  \n', [breaker, trailing], signal);
  assert.equal(result.text, 'const ok = 1;\n');
  assert.equal(result.applied, 1);
  assert.equal(result.dropped, 1);
});

/** An agent whose fix leaves its finding in place (it appends a comment to the flagged `var`). */
const stubborn: Agent = {
  id: 'stubborn', version: '1', appliesTo: () => true,
  run(input) {
    const i = input.text.indexOf('var ');
    return i < 0 ? [] : [finding('stubborn/var', i, i + 4, 'var /* fixed */ ')];
  },
};

test('a fix whose finding is still there afterwards is dropped, and the file left as it was', async () => {
  const result = await fixFile('a.ts', 'var x = 1;\n', [stubborn], signal);
  assert.equal(result.text, 'var x = 1;\n');
  assert.equal(result.changed, false);
  assert.equal(result.applied, 0);
  assert.equal(result.dropped, 1);
});

test('an ineffective fix does not hold back the effective ones of the same pass', async () => {
  const trailing: Agent = {
    id: 'trim', version: '1', appliesTo: () => true,
    run(input) {
      return [...input.text.matchAll(/ +\n/g)].map((m) => finding('trim/ws', m.index, m.index + m[0].length - 1, ''));
    },
  };
  const result = await fixFile('a.ts', 'var x = 1;  \nconst y = 2;   \n', [stubborn, trailing], signal);
  assert.equal(result.text, 'var x = 1;\nconst y = 2;\n');
  assert.equal(result.applied, 2);
  assert.equal(result.dropped, 1);
  const again = await fixFile('a.ts', result.text, [stubborn, trailing], signal);
  assert.equal(again.changed, false);
});
