import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { splitLines, unifiedDiff } from '../../src/fixes/unifiedDiff';
import { mulberry32, type Random } from './helpers/random';

const labels = { oldLabel: 'a/f.txt', newLabel: 'b/f.txt' };
const lines = (n: number, f: (i: number) => string = (i) => `line ${i}`) => Array.from({ length: n }, (_, i) => `${f(i + 1)}\n`).join('');

/** Applies a unified diff to `before` with the system's `patch` and returns the result. */
function applyWithPatch(dir: string, before: string, diff: string): string {
  writeFileSync(join(dir, 'f.txt'), before);
  const done = spawnSync('patch', ['-p1', '--batch', '--quiet', '--no-backup-if-mismatch'], { cwd: dir, input: diff, encoding: 'utf8' });
  assert.equal(done.status, 0, `patch failed: ${done.stdout}${done.stderr}\n${diff}`);
  return readFileSync(join(dir, 'f.txt'), 'utf8');
}

/** A text of short lines from a small alphabet, so that random edits leave many equal lines to match. */
function randomText(random: Random): string {
  const n = Math.floor(random() * 30);
  const body = Array.from({ length: n }, () => ['a', 'b', 'c', 'x = 1', '', '\t}', 'b\r'][Math.floor(random() * 7)]).join('\n');
  return random() < 0.7 && n > 0 ? `${body}\n` : body;
}

function mutate(random: Random, text: string): string {
  const parts = text.split('\n');
  for (let edits = Math.floor(random() * 5); edits >= 0; edits--) {
    const at = Math.floor(random() * (parts.length + 1));
    const roll = random();
    if (roll < 0.4) parts.splice(at, 1);
    else if (roll < 0.8) parts.splice(at, 0, ['new', 'b', 'a  '][Math.floor(random() * 3)]);
    else parts[Math.min(at, parts.length - 1)] += ' ';
  }
  return parts.join('\n');
}

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', labels), '');
  });

  it('writes what diff -u writes: headers, 3 lines of context, split hunks', () => {
    const before = lines(20);
    const after = before.replace('line 2\n', 'line two\n').replace('line 18\n', '');
    assert.equal(unifiedDiff(before, after, labels), [
      '--- a/f.txt', '+++ b/f.txt',
      '@@ -1,5 +1,5 @@', ' line 1', '-line 2', '+line two', ' line 3', ' line 4', ' line 5',
      '@@ -15,6 +15,5 @@', ' line 15', ' line 16', ' line 17', '-line 18', ' line 19', ' line 20', '',
    ].join('\n'));
  });

  it('joins changes at most 6 unchanged lines apart into one hunk, and splits at 7', () => {
    const before = lines(30);
    const hunks = (gap: number) => (unifiedDiff(before, before.replace('line 5\n', 'X\n').replace(`line ${6 + gap}\n`, 'Y\n'), labels)
      .match(/^@@/gm) ?? []).length;
    assert.equal(hunks(6), 1);
    assert.equal(hunks(7), 2);
  });

  it('marks a last line without newline, on either side', () => {
    assert.equal(unifiedDiff('a\nb', 'a\nb\n', labels),
      '--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
    assert.equal(unifiedDiff('', 'x\n', labels), '--- a/f.txt\n+++ b/f.txt\n@@ -0,0 +1,1 @@\n+x\n');
    assert.equal(unifiedDiff('x\n', '', labels), '--- a/f.txt\n+++ b/f.txt\n@@ -1,1 +0,0 @@\n-x\n');
  });

  it('keeps CR in lines: a CRLF file diffs as CRLF lines', () => {
    const diff = unifiedDiff('a \r\nb\r\n', 'a\r\nb\r\n', labels);
    assert.equal(diff, '--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n-a \r\n+a\r\n b\r\n');
  });

  it('finds a minimal script (Myers): one moved line costs one removal and one addition', () => {
    const diff = unifiedDiff('a\nb\nc\nd\n', 'b\nc\nd\na\n', { ...labels, context: 0 });
    assert.equal((diff.match(/^[-+][^-+]/gm) ?? []).length, 2, diff);
  });

  it('falls back to one replacement hunk past maxEditDistance, and stays a correct patch', () => {
    const before = lines(400, (i) => `old ${i}`);
    const after = lines(400, (i) => (i % 2 ? `old ${i}` : `new ${i}`));
    const minimal = unifiedDiff(before, after, labels);
    const bounded = unifiedDiff(before, after, { ...labels, maxEditDistance: 10 });
    assert.equal((bounded.match(/^@@/gm) ?? []).length, 1, 'the whole changed middle is one hunk');
    assert.equal((bounded.match(/^-/gm) ?? []).length - 1, 399, 'every old line of the middle is removed');
    assert.ok(minimal.length < bounded.length);
  });

  it('stays fast on a large file with few changes (common prefix and suffix trimmed)', () => {
    const before = lines(200_000);
    const after = before.replace('line 100000\n', 'changed\n');
    const started = performance.now();
    const diff = unifiedDiff(before, after, labels);
    assert.ok(performance.now() - started < 2000, 'linear in the file, not quadratic');
    assert.match(diff, /^@@ -99997,7 \+99997,7 @@$/m);
  });

  it('splits lines keeping their terminators', () => {
    assert.deepEqual(splitLines(''), []);
    assert.deepEqual(splitLines('a\r\nb'), ['a\r\n', 'b']);
    assert.deepEqual(splitLines('a\n\n'), ['a\n', '\n']);
  });
});

const hasPatch = spawnSync('patch', ['--version']).status === 0;

describe('unifiedDiff applied with patch(1)', { skip: hasPatch ? false : 'patch is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-diff-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('turns the old text into the new one, for 150 random pairs (seeded)', () => {
    const random = mulberry32(20261130);
    for (let n = 0; n < 150; n++) {
      const before = randomText(random);
      const afterText = mutate(random, before);
      const diff = unifiedDiff(before, afterText, labels);
      if (before === afterText) {
        assert.equal(diff, '');
        continue;
      }
      assert.equal(applyWithPatch(dir, before, diff), afterText, `pair ${n}:\n${JSON.stringify(before)}\n${JSON.stringify(afterText)}`);
    }
  });

  it('applies the bounded (fallback) diff too', () => {
    const before = lines(50, (i) => `old ${i}`);
    const afterText = lines(50, (i) => (i % 3 ? `old ${i}` : `new ${i}`));
    assert.equal(applyWithPatch(dir, before, unifiedDiff(before, afterText, { ...labels, maxEditDistance: 3 })), afterText);
  });
});
