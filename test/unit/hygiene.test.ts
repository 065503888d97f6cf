import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { hasTrailingBlank, hygieneAgent } from '../../src/agents/hygiene';
import { fixFile } from '../../src/fixes/validator';
import { createAgentInput } from '../../src/core/files/fileAudit';
import type { Finding } from '../../src/core/model';
import { mulberry32, pick } from './helpers/random';

const signal = new AbortController().signal;
const run = (path: string, text: string) => hygieneAgent.run(createAgentInput(path, text), signal) as Finding[];
const rules = (findings: Finding[]) => findings.map((f) => `${f.rule}@${f.range.start.line}:${f.range.start.column}`);
const fix = async (path: string, text: string) => (await fixFile(path, text, [hygieneAgent], signal)).text;

test('trailing whitespace is reported at its position and removed by its fix', async () => {
  const text = 'const a = 1;  \nconst b = 2;\t\n';
  assert.deepEqual(rules(run('a.ts', text)), ['hygiene/trailing-whitespace@1:13', 'hygiene/trailing-whitespace@2:13']);
  assert.equal(await fix('a.ts', text), 'const a = 1;\nconst b = 2;\n');
});

test('whitespace inside a template literal is content, not trailing whitespace', () => {
  const text = 'const t = `line  \n  next  `;\nconst u = `${t}  \n`;\n';
  assert.deepEqual(run('a.ts', text), []);
});

test('a Markdown hard line break (two trailing spaces) is kept; a trailing tab is not', () => {
  assert.deepEqual(run('README.md', 'first line  \nsecond\n'), []);
  assert.deepEqual(rules(run('README.md', 'first line\t\nsecond\n')), ['hygiene/trailing-whitespace@1:11']);
});

test('diff files keep their trailing whitespace', () => {
  assert.deepEqual(run('change.patch', ' context line \n'), []);
});

test('more than two blank lines in a row are reported once and collapsed to two', async () => {
  const text = 'a\n\n\n\n\nb\n';
  const findings = run('x.py', text);
  assert.deepEqual(rules(findings), ['hygiene/consecutive-blank-lines@4:1']);
  assert.equal(await fix('x.py', text), 'a\n\n\nb\n');
  assert.deepEqual(run('x.py', 'a\n\n\nb\n'), []);
});

test('blank lines at the end of a file count, the final newline does not', async () => {
  assert.deepEqual(run('x.txt', 'a\n\n\n'), []);
  assert.equal(await fix('x.txt', 'a\n\n\n\n\n'), 'a\n\n\n');
});

test('a missing final newline is added with the file\'s own line ending', async () => {
  assert.deepEqual(rules(run('a.ts', 'x;\r\ny;')), ['hygiene/final-newline@2:2']);
  assert.equal(await fix('a.ts', 'x;\r\ny;'), 'x;\r\ny;\r\n');
  assert.equal(await fix('a.ts', 'x;'), 'x;\n');
});

test('a last line of only blanks is removed, not followed by another line break', async () => {
  assert.equal(await fix('a.ts', 'export const x = 1;\n   '), 'export const x = 1;\n');
  assert.equal(await fix('a.ts', 'x;\r\n\t'), 'x;\r\n');
  // Each rule's fix alone gives the same file.
  const [finalNewline] = run('a.ts', 'x;\n  ').filter((f) => f.rule === 'hygiene/final-newline');
  assert.deepEqual(finalNewline.fix?.edits, [{ start: 3, end: 5, newText: '' }]);
});

test('an empty file has nothing to report', () => {
  assert.deepEqual(run('empty.ts', ''), []);
});

test('CRLF files stay CRLF through every hygiene fix', async () => {
  const text = 'a  \r\n\r\n\r\n\r\n\r\nb\r\n\tc\r\n  d';
  const fixed = await fix('a.py', text);
  assert.equal(fixed.replace(/\r\n/g, ''), fixed.replace(/\n/g, '').replace(/\r/g, ''));
  assert.ok(!/[^\r]\n/.test(fixed), `bare LF in ${JSON.stringify(fixed)}`);
  assert.equal(fixed, 'a\r\n\r\n\r\nb\r\n  c\r\n  d\r\n');
});

test('mixed indentation: minority style reported and rewritten in the dominant one', async () => {
  const text = 'def f():\n    a = 1\n    if a:\n        b = 2\n\treturn a\n';
  assert.deepEqual(rules(run('m.py', text)), ['hygiene/mixed-indentation@5:1']);
  assert.equal(await fix('m.py', text), 'def f():\n    a = 1\n    if a:\n        b = 2\n    return a\n');
});

test('tabs then one space before * is a block comment under tab indentation, not mixed', () => {
  const text = 'class A {\n\t/**\n\t * doc\n\t */\n\tm() {}\n}\n';
  assert.deepEqual(run('a.ts', text), []);
});

test('Makefiles and Go files indent with tabs by rule', () => {
  assert.deepEqual(run('Makefile', 'all:\n\techo hi\nx = 1\n  y\n\tz\n'), []);
  assert.deepEqual(run('main.go', 'func f() {\n\treturn\n}\n'), []);
});

test('fixing twice changes nothing the second time', async () => {
  const text = 'a  \n\n\n\n\n  \n\tb\n    c';
  const once = await fix('a.py', text);
  assert.equal(await fix('a.py', once), once);
  assert.deepEqual(run('a.py', once), []);
});

/** The definitions the fast paths must agree with: per line, a blank before its end; a line that trims to ''. */
function referenceHygiene(text: string): string[] {
  const out: string[] = [];
  const lines: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (i === text.length || c === 10 || c === 13) {
      lines.push({ start, end: i });
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  lines.forEach((line, n) => {
    if (line.end > line.start && ' \t'.includes(text[line.end - 1])) out.push(`trailing@${n + 1}`);
  });
  const blank = lines.map((line) => text.slice(line.start, line.end).trim() === '');
  if (text.length > 0 && lines[lines.length - 1].start === text.length) blank.pop(); // the empty line after a final break
  for (let i = 0; i < blank.length; i++) {
    if (!blank[i]) continue;
    let j = i;
    while (j + 1 < blank.length && blank[j + 1]) j++;
    if (j - i + 1 > 2) out.push(`blank-run@${i + 3}`);
    i = j;
  }
  return out;
}

test('trailing whitespace and blank-line runs agree with their definitions on random texts (Unicode spaces included)', () => {
  const pieces = ['x', 'ab', ' ', '\t', '\u00a0', '\f', '\v', '\ufeff', '\u2028', '\u3000', '\n', '\n', '\r\n', '\r', '\n\n\n'];
  const random = mulberry32(11);
  for (let n = 0; n < 400; n++) {
    const text = Array.from({ length: 16 }, () => pick(random, pieces)).join('');
    const found = run('notes.txt', text).flatMap((f) => {
      if (f.rule === 'hygiene/trailing-whitespace') return [`trailing@${f.range.start.line}`];
      if (f.rule === 'hygiene/consecutive-blank-lines') return [`blank-run@${f.range.start.line}`];
      return [];
    });
    assert.deepEqual(found, referenceHygiene(text), JSON.stringify(text));
  }
});

test('the trailing-blank pre-check answers as its regex does, line breaks first or last, with and without \\r', () => {
  const regex = /[ \t](?:[\r\n]|$)/;
  const random = mulberry32(5);
  for (const pieces of [['x', ' ', '\t', '\n', '\u00a0'], ['x', ' ', '\t', '\n', '\r\n', '\r']]) {
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(random, pieces)).join('');
      assert.equal(hasTrailingBlank(text), regex.test(text), JSON.stringify(text));
    }
  }
  assert.equal(hasTrailingBlank('\nfoo \nbar'), true, 'a text that starts with its line break');
  assert.equal(hasTrailingBlank(''), false);
});

test('files a tool writes are left alone: SVG icons, source maps, snapshots, minified files, lock files', () => {
  const messy = '<svg>\n  <g>\n\t<rect/>   \n</g>\n\n\n\n</svg>';
  const run = (path: string) => (hygieneAgent.run(createAgentInput(path, messy, 'text'), new AbortController().signal) as Finding[])
    .map((f) => f.rule);
  for (const path of ['icons/close.svg', 'dist/app.js.map', '__snapshots__/a.test.ts.snap', 'vendor/x.min.css', 'yarn.lock',
    'package-lock.json', 'sub/npm-shrinkwrap.json', 'pnpm-lock.yaml', 'ICON.SVG']) {
    assert.deepEqual(run(path), [], path);
  }
  // The same text in a file a person writes is checked, names that only look alike included.
  for (const path of ['page.html', 'svg.ts.txt', 'lock.md', 'my-package-lock.json']) {
    assert.ok(run(path).length >= 3, path);
  }
});
