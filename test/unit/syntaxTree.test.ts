import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { abortCheck, walkDescendants } from '../../src/agents/shared/astWalk';
import { flatTree } from '../../src/core/files/syntaxTree';

/** The project's own sources: real code with classes, generics, JSX-free TS, JSDoc everywhere. */
function projectSources(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name)) out.push({ path, text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(__dirname, '..', '..', 'src'));
  return out;
}

/** A JSX file and a JS file: other script kinds, other node kinds. */
const SMALL: { path: string; text: string }[] = [
  { path: 'a.tsx', text: '/** Doc. */\nexport const A = () => <div a="1">{[1].map((x) => <b key={x}>{x}</b>)}<></></div>;\n' },
  { path: 'b.js', text: '/** @param {number} x */\nfunction f(x) { return x ? f(x - 1) : `t${x}`; }\nmodule.exports = { f };\n' },
  { path: 'empty.ts', text: '' },
];

/** Reference pre-order by plain recursion: (node, depth-first order, subtree end). */
function reference(root: ts.Node): { nodes: ts.Node[]; after: number[] } {
  const nodes: ts.Node[] = [];
  const after: number[] = [];
  const visit = (node: ts.Node): void => {
    const index = nodes.push(node) - 1;
    ts.forEachChild(node, visit);
    after[index] = nodes.length;
  };
  ts.forEachChild(root, visit);
  return { nodes, after };
}

function parse(path: string, text: string, setParents: boolean): ts.SourceFile {
  const kind = path.endsWith('.tsx') ? ts.ScriptKind.TSX : path.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, setParents, kind);
}

/** Every node of the file and of its JSDoc comments, in the same order for two parses of the same text. */
function allNodes(file: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    out.push(node);
    for (const doc of (node as { jsDoc?: ts.Node[] }).jsDoc ?? []) visit(doc);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** Checks the flat tree of `path` against the reference walk and against the parser's own parent pointers. */
function checkFile(path: string, text: string): void {
  const file = parse(path, text, false);
  const tree = flatTree(file);
  const expected = reference(file);
  assert.equal(tree.nodes.length, expected.nodes.length, path);
  tree.nodes.forEach((node, i) => assert.equal(node, expected.nodes[i], `${path}: node ${i}`));
  assert.deepEqual([...tree.after], expected.after, `${path}: subtree ends`);
  assert.deepEqual([...tree.kinds], tree.nodes.map((node) => node.kind), `${path}: kinds`);
  // Parents (JSDoc nodes included) as the parser's setParentNodes sets them.
  const mine = allNodes(file);
  const theirs = allNodes(parse(path, text, true));
  assert.equal(mine.length, theirs.length, path);
  mine.forEach((node, i) => {
    if (i === 0) return; // the file has no parent
    const [a, b] = [node.parent, theirs[i].parent];
    assert.ok(a, `${path}: ${ts.SyntaxKind[node.kind]} at ${node.pos} has no parent`);
    assert.deepEqual([a.kind, a.pos, a.end], [b.kind, b.pos, b.end], `${path}: parent of ${ts.SyntaxKind[node.kind]} at ${node.pos}`);
  });
}

describe('flatTree', () => {
  it('lists every node in document pre-order with subtree ends, kinds and the parser\'s parents (the project\'s sources)', () => {
    const files = [...projectSources(), ...SMALL];
    assert.ok(files.length > 100);
    for (const { path, text } of files) checkFile(path, text);
  });

  it('lists a chain nested far deeper than the call stack allows, with a JSDoc-commented member at the bottom', () => {
    const terms = 30_000;
    const text = `const x = (class {\n  /** Doc. */\n  m(y: number) { return y; }\n}) ${'+ a '.repeat(terms)};\n`;
    const file = parse('deep.ts', text, false);
    const tree = flatTree(file);
    // The reference recursion cannot walk this; count and order are checked by position instead.
    const identifiers = tree.ofKind(ts.SyntaxKind.Identifier);
    assert.ok(identifiers.length >= terms);
    for (let i = 1; i < tree.nodes.length; i++) {
      assert.ok(tree.nodes[i].pos >= tree.nodes[i - 1].pos, `pre-order broken at ${i}`);
      assert.ok(tree.after[i] > i && tree.after[i] <= tree.nodes.length);
      const parent = tree.nodes[i].parent;
      assert.ok(parent.pos <= tree.nodes[i].pos && parent.end >= tree.nodes[i].end, `parent of node ${i} does not contain it`);
    }
    const method = tree.nodes[tree.ofKind(ts.SyntaxKind.MethodDeclaration)[0]];
    const doc = (method as { jsDoc?: ts.Node[] }).jsDoc?.[0];
    assert.ok(doc && doc.parent === method, 'the JSDoc comment of the deepest member has its parent');
    // The root binary expression's subtree holds every term: only the end-of-file token follows it.
    const top = tree.ofKind(ts.SyntaxKind.BinaryExpression)[0];
    assert.equal(tree.after[top], tree.nodes.length - 1);
    assert.equal(tree.kinds[tree.nodes.length - 1], ts.SyntaxKind.EndOfFileToken);
  });

  it('indexes nodes by kind in document order', () => {
    for (const { path, text } of SMALL) {
      const tree = flatTree(parse(path, text, false));
      const kinds = new Set(tree.kinds);
      for (const kind of kinds) {
        const expected = tree.nodes.flatMap((node, i) => (node.kind === kind ? [i] : []));
        assert.deepEqual([...tree.ofKind(kind)], expected, `${path}: ${ts.SyntaxKind[kind]}`);
      }
      assert.equal(tree.ofKind(ts.SyntaxKind.EnumDeclaration).length, 0);
      assert.equal(tree.ofKind(9999 as ts.SyntaxKind).length, 0);
    }
  });

  it('is built once per file and shared, and walkDescendants skips a subtree when asked', () => {
    const file = parse('a.ts', 'function f() { g(1); }\nconst h = () => 2;\n', false);
    assert.equal(flatTree(file), flatTree(file));
    const seen: string[] = [];
    walkDescendants(file, (node) => {
      seen.push(ts.SyntaxKind[node.kind]);
      return node.kind !== ts.SyntaxKind.Block;
    });
    assert.ok(seen.includes('Block') && !seen.includes('CallExpression') && seen.includes('ArrowFunction'), seen.join());
  });
});

describe('abortCheck', () => {
  it('throws at once on an aborted signal, and within 4,096 ticks of an abort during a walk', () => {
    const done = new AbortController();
    done.abort(new Error('gone'));
    assert.throws(() => abortCheck(done.signal), /gone/);
    const controller = new AbortController();
    const tick = abortCheck(controller.signal);
    for (let i = 0; i < 10_000; i++) tick(); // not aborted: never throws
    controller.abort(new Error('stop'));
    let ticks = 0;
    assert.throws(() => {
      for (; ticks < 10_000; ticks++) tick();
    }, /stop/);
    assert.ok(ticks < 4096, `threw after ${ticks} ticks`);
  });
});
