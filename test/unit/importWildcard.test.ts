import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { combineFixes } from '../../src/fixes/adapter';
import { importsAgent } from '../../src/agents/imports';
import type { Finding } from '../../src/core/model';
import { applyEdits } from '../../src/core/text';
import { applyFix, makeInput } from './helpers/agentInput';

const signal = new AbortController().signal;

function wildcards(path: string, text: string): Finding[] {
  return (importsAgent.run(makeInput(path, text), signal) as Finding[]).filter((f) => f.rule === 'imports/wildcard');
}

/** Namespaces reported in `text`, by local name. */
function reported(path: string, text: string): string[] {
  return wildcards(path, text).map((f) => /^Namespace import '(.+?)'/.exec(f.message)?.[1] ?? '?');
}

/**
 * Applies the only wildcard finding's fix, checks the result parses, that a re-audit finds no wildcard (so the fix
 * is idempotent: there is nothing left to apply), and that every fix of the file still combines without overlap.
 */
function fix(path: string, text: string): string {
  const [finding, ...rest] = wildcards(path, text);
  assert.equal(rest.length, 0, 'more than one wildcard finding');
  assert.ok(finding?.fix, `no fix for:\n${text}`);
  const fixed = applyFix(text, finding.fix);
  const errors = makeInput(path, fixed).syntaxErrors();
  assert.equal(errors.length, 0, `fixed text does not parse:\n${fixed}`);
  assert.deepEqual(wildcards(path, fixed), [], `still reported after the fix:\n${fixed}`);
  const all = importsAgent.run(makeInput(path, text), signal) as Finding[];
  assert.equal(combineFixes(all).deferred.length, 0);
  return fixed;
}

describe('imports/wildcard (scripts): reported, with the exact fix', () => {
  test('a namespace used for two members: message, severity, range, title', () => {
    const text = "import * as path from 'node:path';\nexport const x = path.join('a', path.sep);\n";
    const [finding] = wildcards('a.ts', text);
    assert.equal(finding?.severity, 'info');
    assert.equal(finding?.message, "Namespace import 'path' is only used for join and sep: import them by name");
    assert.deepEqual(finding?.range, { start: { line: 1, column: 13 }, end: { line: 1, column: 17 } });
    assert.equal(finding?.fix?.title, "Import join and sep from 'node:path' by name");
    assert.equal(fix('a.ts', text), "import { join, sep } from 'node:path';\nexport const x = join('a', sep);\n");
  });

  test('members used only as types get `type`; a value member does not', () => {
    const text = "import * as ns from 'x';\nlet a: ns.T = ns.v;\nexport class C implements ns.I {}\nexport { a };\n";
    assert.equal(fix('a.ts', text), "import { type T, v, type I } from 'x';\nlet a: T = v;\nexport class C implements I {}\nexport { a };\n");
    const both = "import * as ns from 'x';\nexport const k: ns.K = new ns.K();\n";
    assert.equal(fix('b.ts', both), "import { K } from 'x';\nexport const k: K = new K();\n");
  });

  test('import type keeps its keyword, and typeof queries and nested names convert', () => {
    const text = "import type * as ns from 'x';\nexport type A = ns.T | typeof ns.v | ns.N.Inner;\n";
    assert.equal(fix('a.ts', text), "import type { T, v, N } from 'x';\nexport type A = T | typeof v | N.Inner;\n");
  });

  test('exactly three members is still a few', () => {
    const text = "import * as fs from 'node:fs';\nfs.readFileSync(fs.openSync('a', 'r'));\nfs.closeSync(0);\n";
    assert.equal(fix('a.ts', text), "import { readFileSync, openSync, closeSync } from 'node:fs';\nreadFileSync(openSync('a', 'r'));\ncloseSync(0);\n");
  });

  test('JSX member tags, opening and closing', () => {
    const text = "import * as ui from 'ui';\nexport const x = <ui.Button><ui.Icon /></ui.Button>;\n";
    assert.equal(fix('a.tsx', text), "import { Button, Icon } from 'ui';\nexport const x = <Button><Icon /></Button>;\n");
    const dotted = "import * as ui from 'ui';\nexport const x = <ui.menu.Item />;\n";
    assert.equal(fix('b.jsx', dotted), "import { menu } from 'ui';\nexport const x = <menu.Item />;\n");
  });

  test('chained lines, optional chaining, calls, new, templates and repeated uses', () => {
    const text = "import * as q from 'q';\nexport const a = q\n  .build()\n  .done;\nexport const b = q?.build?.();\nexport const c = new q.Thing(q.tag`x`);\n";
    assert.equal(fix('a.ts', text), "import { build, Thing, tag } from 'q';\nexport const a = build()\n  .done;\nexport const b = build?.();\nexport const c = new Thing(tag`x`);\n");
  });

  test('a member named like the namespace itself', () => {
    assert.equal(fix('a.ts', "import * as foo from 'x';\nfoo.foo();\n"), "import { foo } from 'x';\nfoo();\n");
  });

  test('a JS file, a CRLF file, and property names that equal a member', () => {
    assert.equal(fix('a.js', "import * as u from 'u';\nexport const o = { pick: u.pick(1) };\n"), "import { pick } from 'u';\nexport const o = { pick: pick(1) };\n");
    assert.equal(fix('b.ts', "import * as u from 'u';\r\nexport const v = u.pick(1);\r\n"), "import { pick } from 'u';\r\nexport const v = pick(1);\r\n");
    assert.equal(fix('c.ts', "import * as u from 'u';\nexport class C { pick() { return u.pick(this.pick); } }\n"), "import { pick } from 'u';\nexport class C { pick() { return pick(this.pick); } }\n");
  });

  test('a comment between the namespace and the member: reported, but no fix', () => {
    const [finding] = wildcards('a.ts', "import * as ns from 'x';\nexport const o = ns /* why */ .a;\n");
    assert.ok(finding);
    assert.equal(finding.fix, undefined);
  });

  test('the fix composes with an unused-import fix of the same file', () => {
    const text = "import * as path from 'node:path';\nimport { gone } from 'g';\nexport const x = path.join('a');\n";
    const combined = combineFixes(importsAgent.run(makeInput('a.ts', text), signal) as Finding[]);
    assert.equal(applyEdits(text, combined.edits), "import { join } from 'node:path';\nexport const x = join('a');\n");
  });
});

describe('imports/wildcard (scripts): not reported', () => {
  const none = (path: string, text: string, why: string) => assert.deepEqual(reported(path, text), [], why);

  test('the namespace used any other way than ns.member', () => {
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.a;\nf(ns);\n", 'passed as a value');
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.a + ns['b'];\n", 'element access');
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.a;\nexport type T = typeof ns;\n", 'typeof in a type');
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.a, t = typeof ns;\n", 'typeof in a value');
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.a;\nexport { ns };\n", 're-exported');
    none('a.ts', "import * as ns from 'x';\nexport default ns;\nns.a();\n", 'default-exported');
    none('a.ts', "import * as ns from 'x';\nns.a();\nexport = ns;\n", 'export =');
    none('a.ts', "import * as ns from 'x';\nexport const o = { ns, a: ns.a };\n", 'shorthand property');
    none('a.ts', "import * as ns from 'x';\nimport A = ns.a;\nexport const v = ns.b(A);\n", 'import alias');
  });

  test('writes to members', () => {
    none('a.ts', "import * as ns from 'x';\nns.a = 1;\n", 'assignment');
    none('a.ts', "import * as ns from 'x';\nns.a++;\n", 'increment');
    none('a.ts', "import * as ns from 'x';\ndelete ns.a;\n", 'delete');
    none('a.ts', "import * as ns from 'x';\n[ns.a] = [1];\n", 'destructuring');
    none('a.ts', "import * as ns from 'x';\nfor (ns.a of []) {}\n", 'for-of head');
  });

  test('members that cannot become local names', () => {
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.default;\n", 'default');
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.delete;\n", 'reserved word');
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.type + ns.of;\n", 'contextual keywords');
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.require('m');\n", 'reserved by TypeScript');
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.Promise;\n", 'a global worth keeping');
  });

  test('a member name already bound, imported or referenced anywhere in the file', () => {
    none('a.ts', "import * as path from 'path';\nconst join = 1;\nexport const a = path.join(String(join));\n", 'declared');
    none('a.ts', "import * as path from 'path';\nimport { join } from 'other';\nexport const a = path.join(join);\n", 'imported');
    none('a.ts', "import * as path from 'path';\nexport function f(join: string) { return path.join(join); }\n", 'a parameter');
    none('a.ts', "import * as ns from 'x';\nexport const a = ns.setTimeout;\nsetTimeout(() => 0);\n", 'a global referenced');
    none('a.ts', "import * as ns from 'x';\nexport enum E { a = 1, b = ns.a }\n", 'an enum member, in scope in the enum');
    const text = "import * as a from 'x';\nimport * as b from 'y';\nexport const v = a.b + b.c;\n";
    assert.deepEqual(reported('a.ts', text), ['b'], "a member named like another namespace: that one first");
  });

  test('two namespaces that would import the same name', () => {
    none('a.ts', "import * as a from 'x';\nimport * as b from 'y';\nexport const v = a.run + b.run;\n", 'both claim run');
  });

  test('more than a few members, none, a default binding', () => {
    none('a.ts', "import * as ns from 'x';\nns.a(); ns.b(); ns.c(); ns.d();\n", 'four members');
    none('a.ts', "import * as ns from 'x';\n", 'unused: imports/unused says so');
    none('a.ts', "import d, * as ns from 'x';\nd(ns.a);\n", 'default binding');
  });

  test('a local named like the namespace, anywhere', () => {
    none('a.ts', "import * as ns from 'x';\nexport function f(ns: { a: number }) { return ns.a; }\n", 'parameter');
    none('a.ts', "import * as ns from 'x';\nns.a();\n{ const ns = 1; void ns; }\n", 'block local');
  });

  test('declaration files, syntax errors, idiomatic modules, asset modules and attributes', () => {
    none('a.d.ts', "import * as ns from 'x';\nexport declare const a: ns.T;\n", '.d.ts');
    none('a.ts', "import * as ns from 'x';\nns.a(;\n", 'syntax error');
    none('a.ts', "import * as vscode from 'vscode';\nvscode.window.showInformationMessage('hi');\n", 'vscode');
    none('a.tsx', "import * as React from 'react';\nexport const n = React.useState(0);\n", 'react');
    none('a.ts', "import * as ts from 'typescript';\nexport const k = ts.SyntaxKind;\n", 'typescript');
    none('a.ts', "import * as z from 'zod/v4';\nexport const s = z.email();\n", 'a subpath of an idiomatic package');
    none('a.ts', "import * as data from './data.json';\nexport const v = data.version;\n", 'JSON module');
    none('a.ts', "import * as styles from './a.module.css';\nexport const c = styles.button;\n", 'CSS module');
    none('a.ts', "import * as data from './d.js' with { type: 'json' };\nexport const v = data.version;\n", 'import attributes');
  });

  test('JSX: intrinsic-looking member tags and namespaces that may be the factory', () => {
    none('a.tsx', "import * as ui from 'ui';\nexport const x = <ui.div />;\n", 'would become an intrinsic element');
    none('a.tsx', "import * as React from 'preact/compat';\nexport const x = <div>{React.memo}</div>;\n", 'React is the classic factory');
    none('a.tsx', "/** @jsx preact.h */\nimport * as preact from 'preact';\nexport const x = <div>{preact.render}</div>;\n", 'pragma');
    none('a.tsx', "import * as p from 'preact';\nexport const x = <div>{p.h}</div>;\n", 'a factory-like member');
  });

  test('JSDoc mentions of the namespace or a member', () => {
    none('a.ts', "import * as ns from 'x';\n/** See {@link ns.a}. */\nexport const v = ns.a;\n", 'TS link');
    none('a.js', "import * as ns from 'x';\n/** @param {ns.Options} o */\nexport function f(o) { return ns.make(o); }\n", 'JS type');
  });

  test('type-only members next to decorators (emitted metadata may need the value)', () => {
    none('a.ts', "import * as di from 'di';\n@dec()\nexport class C { constructor(s: di.Service) {} }\n", 'decorator metadata');
  });
});

describe('imports/wildcard (Python)', () => {
  const stars = (path: string, text: string): string[] => wildcards(path, text).map((f) => f.message);

  test('from x import *: warning on the star, no fix', () => {
    const [finding, ...rest] = wildcards('a.py', 'import os\nfrom os.path import *\n');
    assert.equal(rest.length, 0);
    assert.equal(finding?.severity, 'warning');
    assert.equal(finding?.message, "'from os.path import *' hides which names come from 'os.path'");
    assert.deepEqual(finding?.range, { start: { line: 2, column: 21 }, end: { line: 2, column: 22 } });
    assert.equal(finding?.fix, undefined);
  });

  test('at any indentation, after ; or a compound header, relative, continued lines', () => {
    const text = [
      'try:',
      '    from fast import *',
      'except ImportError:',
      '\tfrom slow import *',
      'import a; from b import *',
      'if True: from c import *',
      'from . import *',
      'from ..pkg.mod import *',
      'from d \\',
      '    import *',
    ].join('\n');
    assert.deepEqual(stars('a.py', text).map((m) => /'from (.+?) import/.exec(m)?.[1]), ['fast', 'slow', 'b', 'c', '.', '..pkg.mod', 'd']);
  });

  test('not in strings, docstrings or comments', () => {
    const text = [
      '"""Usage:',
      '',
      '    from mod import *',
      '"""',
      "s = 'from x import *'",
      'r = r"from \\" import *"',
      "t = f'''",
      "from y import *'''",
      "b = rb'from z import *'",
      '# from w import *',
      'x = 1  # from v import *',
      "def f():\n    '''from u import *'''\n",
    ].join('\n');
    assert.deepEqual(stars('a.py', text), []);
  });

  test('other statements are not star imports', () => {
    const text = 'from x import a, b\nfrom x import (a,\n    b)\nyield from g\nraise E from e\nx = a * b\nimport star\n';
    assert.deepEqual(stars('a.py', text), []);
  });

  test('after a multi-line bracket, the next statement is found', () => {
    assert.equal(stars('a.py', 'x = [\n  1,\n]\nfrom m import *\n').length, 1);
  });

  test('# noqa and # noqa: F403 silence the line; other codes do not', () => {
    const text = 'from a import *  # noqa\nfrom b import *  # noqa: F403\nfrom c import *  # noqa: E501\n';
    assert.deepEqual(stars('a.py', text), ["'from c import *' hides which names come from 'c'"]);
  });

  test('stub files re-export with * by design', () => {
    assert.deepEqual(stars('a.pyi', 'from os import *\n'), []);
  });
});
