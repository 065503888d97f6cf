// Incremental parsing of texts being edited (EditedTrees in src/core/files/fileAudit.ts): every agent must find exactly
// what it finds on a fresh parse of the same text, whatever the edits did (syntax errors included).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTeam } from '../../src/agents/registry';
import { defaultConfig } from '../../src/core/config/schema';
import { changeRange, createAgentInput, EditedTrees } from '../../src/core/files/fileAudit';
import { REPO_ROOT } from './helpers/corpus';
import { mulberry32, pick, type Random } from './helpers/random';

const team = createTeam(defaultConfig());
const signal = new AbortController().signal;

async function findings(path: string, text: string, trees?: EditedTrees): Promise<string> {
  const input = createAgentInput(path, text, 'script', undefined, trees);
  const all = [];
  for (const agent of team) if (agent.appliesTo('script')) all.push(...await agent.run(input, signal));
  return JSON.stringify([all, input.syntaxErrors().map((d) => [d.start, d.length, d.messageText])]);
}

/** What a person might type or delete, syntax errors included. */
const TYPED = ['x', ' ', '\n', '{', '}', '(', ')', ';', '`', '/*', '*/', '"', '  ', '\t', 'import { z } from "zod";\n',
  'const unused = 1;   \n', 'function f(a, b, c, d, e, f) {}\n', '// @ts-ignore\n', 'if (a) { if (b) { if (c) {} } }\n'];

function edit(random: Random, text: string): string {
  const at = Math.floor(random() * (text.length + 1));
  if (random() < 0.35 && text.length > 0) {
    const length = 1 + Math.floor(random() * Math.min(40, text.length - at));
    return text.slice(0, at) + text.slice(at + length);
  }
  return text.slice(0, at) + pick(random, TYPED) + text.slice(at);
}

test('the change range is the span between the common prefix and suffix', () => {
  assert.deepEqual(changeRange('abcdef', 'abXYef'), { span: { start: 2, length: 2 }, newLength: 2 });
  assert.deepEqual(changeRange('aaa', 'aaaa'), { span: { start: 3, length: 0 }, newLength: 1 });
  assert.deepEqual(changeRange('abc', 'abc'), { span: { start: 3, length: 0 }, newLength: 0 });
  assert.deepEqual(changeRange('abc', ''), { span: { start: 0, length: 3 }, newLength: 0 });
});

test('after every edit of a series, incremental parses give every agent what a fresh parse gives it', async () => {
  // Each series' seed is the length of the path its file had before the files moved into folders (issue 20), so
  // the edit series stay the ones this test has always run.
  const series: ReadonlyArray<readonly [string, number]> = [['src/core/files/fileAudit.ts', 21],
    ['src/agents/imports/index.ts', 21], ['src/vscode/codeActions.ts', 25], ['test/fixtures/workspace/src/fixAll.ts', 37]];
  for (const [path, seed] of series) {
    const random = mulberry32(seed * 7919);
    const trees = new EditedTrees();
    let text = readFileSync(join(REPO_ROOT, path), 'utf8');
    for (let n = 0; n < 40; n++) {
      text = edit(random, text);
      assert.equal(await findings(path, text, trees), await findings(path, text), `${path}, edit ${n}`);
    }
    // The same text again: the kept tree itself.
    assert.equal(await findings(path, text, trees), await findings(path, text));
  }
});

test('only the last few paths are kept', async () => {
  const trees = new EditedTrees(2);
  const first = createAgentInput('a.ts', 'const a = 1;\n', 'script', undefined, trees).ast();
  createAgentInput('b.ts', 'const b = 1;\n', 'script', undefined, trees).ast();
  assert.equal(createAgentInput('a.ts', 'const a = 1;\n', 'script', undefined, trees).ast(), first, 'kept, same text');
  createAgentInput('c.ts', 'const c = 1;\n', 'script', undefined, trees).ast();
  createAgentInput('d.ts', 'const d = 1;\n', 'script', undefined, trees).ast();
  assert.notEqual(createAgentInput('a.ts', 'const a = 1;\n', 'script', undefined, trees).ast(), first, 'dropped for newer ones');
});

test('beyond the characters allowed in all, the oldest trees go; the newest is always kept', async () => {
  const trees = new EditedTrees(4, 30);
  const text = (name: string) => `const ${name} = 1;\n`; // 14 characters
  const first = createAgentInput('a.ts', text('a'), 'script', undefined, trees).ast();
  createAgentInput('b.ts', text('b'), 'script', undefined, trees).ast();
  assert.equal(createAgentInput('a.ts', text('a'), 'script', undefined, trees).ast(), first, '28 characters: both kept');
  createAgentInput('c.ts', text('c'), 'script', undefined, trees).ast(); // 42: b, the oldest now, goes
  assert.equal(createAgentInput('a.ts', text('a'), 'script', undefined, trees).ast(), first);
  const big = `const big = '${'x'.repeat(100)}';\n`;
  const kept = createAgentInput('big.ts', big, 'script', undefined, trees).ast();
  assert.equal(createAgentInput('big.ts', big, 'script', undefined, trees).ast(), kept, 'alone over the limit, still kept');
  assert.notEqual(createAgentInput('a.ts', text('a'), 'script', undefined, trees).ast(), first, 'gone for the big one');
});
