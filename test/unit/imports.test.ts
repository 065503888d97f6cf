import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { combineFixes } from '../../src/fixes/adapter';
import { importsAgent } from '../../src/agents/imports';
import type { Finding } from '../../src/core/model';
import { applyEdits } from '../../src/core/text';
import { applyFix, makeInput } from './helpers/agentInput';

const signal = new AbortController().signal;

function audit(path: string, text: string): Finding[] {
  return importsAgent.run(makeInput(path, text), signal) as Finding[];
}

/** Names reported by `imports/unused`, in order. */
function unused(path: string, text: string): string[] {
  return audit(path, text)
    .filter((finding) => finding.rule === 'imports/unused')
    .map((finding) => /^'(.+)' is imported/.exec(finding.message)?.[1] ?? '?');
}

function duplicates(path: string, text: string): Finding[] {
  return audit(path, text).filter((finding) => finding.rule === 'imports/duplicate');
}

function assertParses(path: string, text: string): void {
  const errors = makeInput(path, text).syntaxErrors();
  assert.equal(errors.length, 0, `fixed text does not parse:\n${text}\n${errors.map((e) => e.messageText).join('\n')}`);
}

/**
 * Applies the fix of the unused finding for `name`, checks the result parses and that a second audit no longer
 * reports `name` (idempotence); returns the fixed text.
 */
function fixUnused(path: string, text: string, name: string): string {
  const finding = audit(path, text).find((f) => f.rule === 'imports/unused' && f.message.startsWith(`'${name}'`));
  assert.ok(finding?.fix, `no fix for '${name}'`);
  assert.equal(finding.fix.title, `Remove unused import '${name}'`);
  const fixed = applyFix(text, finding.fix);
  assertParses(path, fixed);
  assert.ok(!unused(path, fixed).includes(name), `'${name}' still reported after its fix:\n${fixed}`);
  return fixed;
}

/** Applies every fix of the file together, as the adapter does, and checks the result is clean and parses. */
function fixAll(path: string, text: string): string {
  const combined = combineFixes(audit(path, text));
  assert.equal(combined.deferred.length, 0, 'some fixes overlapped');
  const fixed = applyEdits(text, combined.edits);
  assertParses(path, fixed);
  assert.deepEqual(audit(path, fixed).filter((f) => f.fix), [], `fixable findings remain:\n${fixed}`);
  return fixed;
}

describe('imports/unused: reported', () => {
  test('a plain unused named import, with range and message', () => {
    const findings = audit('a.ts', "import { used, gone } from 'm';\nused();\n");
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.rule, 'imports/unused');
    assert.equal(finding?.severity, 'warning');
    assert.equal(finding?.message, "'gone' is imported but never used");
    assert.deepEqual(finding?.range, { start: { line: 1, column: 16 }, end: { line: 1, column: 20 } });
  });

  test('unused default, namespace and aliased imports', () => {
    assert.deepEqual(unused('a.ts', "import D from 'd';\nimport * as ns from 'n';\nimport { a as b } from 'm';\n"), ['D', 'ns', 'b']);
  });

  test('an import used only as a property name is unused', () => {
    const text = "import { x, y, z } from 'm';\nconst o = { x: 1 };\no.y;\nclass C { z = 1; }\nexport { o, C };\n";
    assert.deepEqual(unused('a.ts', text), ['x', 'y', 'z']);
  });

  test('unused import type and inline type specifiers', () => {
    assert.deepEqual(unused('a.ts', "import type { T } from 'm';\nimport { type U, v } from 'n';\nv();\n"), ['T', 'U']);
  });

  test('a local that shadows the import does not make it used', () => {
    const text = [
      "import { a, b, c, d, e } from 'm';",
      'function f(a: number) { return a; }',
      'const g = () => { const b = 1; return b; };',
      'for (const c of []) c;',
      'try {} catch (d) { d; }',
      'const h = ({ e }: { e: number }) => e;',
      'export { f, g, h };',
    ].join('\n');
    assert.deepEqual(unused('a.ts', text), ['a', 'b', 'c', 'd', 'e']);
  });

  test('a nested function, class or enum shadows the import, as a function or class expression name does', () => {
    // (A local interface or namespace of that name would make it unsure instead: it may augment the import.)
    const text = [
      "import { F, G, C, K, E } from 'm';",
      'export function outer() {',
      '  function F() {} F();',
      '  class C {} new C();',
      '  enum E { A } return E.A;',
      '}',
      'export const g = function G() { return G; };',
      'export const k = class K { static make() { return new K(); } };',
    ].join('\n');
    assert.deepEqual(unused('a.ts', text), ['F', 'G', 'C', 'K', 'E']);
  });

  test('a type parameter or local type shadows a type import', () => {
    const text = "import type { T, U } from 'm';\nexport function f<T>(x: T): T { type U = string; const u: U = ''; return x; }\n";
    assert.deepEqual(unused('a.ts', text), ['T', 'U']);
  });

  test('an unused import in a .js or .jsx file', () => {
    assert.deepEqual(unused('a.js', "import x from 'x';\nimport { y } from 'y';\ny();\n"), ['x']);
    assert.deepEqual(unused('b.jsx', "import React from 'react';\nimport x from 'x';\nexport const a = <div />;\n"), ['x']);
  });

  test('a file-wide @ts-nocheck does not hide an unused import', () => {
    assert.deepEqual(unused('a.ts', "// @ts-nocheck\nimport { x } from 'x';\n"), ['x']);
  });

  test('React when a leading @jsx pragma names another factory', () => {
    const text = "/** @jsx h */\nimport React from 'react';\nimport { h } from 'preact';\nexport const a = <div />;\n";
    assert.deepEqual(unused('a.tsx', text), ['React']);
  });

  test('lowercase JSX tags are intrinsic elements, not uses', () => {
    assert.deepEqual(unused('a.tsx', "import React from 'react';\nimport div from 'd';\nexport const a = <div />;\n"), ['div']);
  });
});

describe('imports/unused: hard cases not reported', () => {
  test('uses in type positions: annotations, generics, implements, extends, satisfies', () => {
    const text = [
      "import type { A, B, C, D, E, F } from 'm';",
      "import { Base } from 'base';",
      "import type * as ns from 'ns';",
      'let a: A;',
      'const b = new Map<string, B>();',
      'class K extends Base implements C {}',
      'interface I extends D {}',
      'const e = {} satisfies E;',
      'type G = F[] | ns.T;',
      'export { a, b, K, e };',
      'export type { I, G };',
    ].join('\n');
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('a type use is not shadowed by a local value of the same name', () => {
    const text = "import type { Foo } from 'm';\nexport function f(Foo: number): Foo { const x: Foo = Foo as never; return x; }\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('a namespace use in implements is not shadowed by a local value', () => {
    const text = "import * as ns from 'm';\nexport function f(ns: number) { return class implements ns.I {}; }\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('JSX elements and member tags', () => {
    const text = "import { Foo } from './foo';\nimport * as Lib from 'lib';\nexport const a = <Foo><Lib.Bar /></Foo>;\n";
    assert.deepEqual(unused('a.tsx', text), []);
  });

  test('decorators', () => {
    const text = "import { Component, Input } from 'fw';\n@Component({})\nexport class C { @Input() name = ''; }\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('decorator arguments are not shadowed by the decorated method parameters', () => {
    const text = "import { Inject, TOKEN } from 'fw';\nexport class C { m(@Inject(TOKEN) TOKEN: string) { return TOKEN; } }\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('typeof in a type', () => {
    assert.deepEqual(unused('a.ts', "import { config } from './c';\nexport type Config = typeof config;\n"), []);
  });

  test('re-exports: export { X }, export { X as Y }, export default X, export = X', () => {
    assert.deepEqual(unused('a.ts', "import { A, B } from 'm';\nimport C from 'c';\nexport { A, B as Bee };\nexport default C;\n"), []);
    assert.deepEqual(unused('b.ts', "import x = require('x');\nexport = x;\n"), []);
  });

  test('export { X } from elsewhere does not use the local X', () => {
    assert.deepEqual(unused('a.ts', "import { X } from 'm';\nexport { X } from 'n';\n"), ['X']);
  });

  test('merged declarations: an interface or namespace of the same name', () => {
    const text = "import { Foo } from './foo';\nimport { Bar } from './bar';\ninterface Foo { extra: string }\nnamespace Bar { export const x = 1; }\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('side-effect imports are never reported', () => {
    assert.deepEqual(unused('a.ts', "import './polyfill';\nimport 'reflect-metadata';\n"), []);
  });

  test('import type used as a type', () => {
    assert.deepEqual(unused('a.ts', "import type { T } from 'm';\nexport const f = (t: T) => t;\n"), []);
  });

  test('declaration files report nothing', () => {
    assert.deepEqual(audit('types.d.ts', "import { A } from 'a';\nexport declare const x: number;\n"), []);
    assert.deepEqual(audit('types.d.mts', "import { A } from 'a';\n"), []);
  });

  test('the JSX factory: React default or namespace import in .tsx and .jsx', () => {
    assert.deepEqual(unused('a.tsx', "import React from 'react';\nexport const a = <div />;\n"), []);
    assert.deepEqual(unused('b.tsx', "import * as React from 'react';\nexport const a = <><span /></>;\n"), []);
    assert.deepEqual(unused('c.jsx', "import React from 'react';\nexport const a = <div />;\n"), []);
  });

  test('a React import without JSX is unused', () => {
    assert.deepEqual(unused('a.tsx', "import React from 'react';\nexport const a = 1;\n"), ['React']);
  });

  test('@jsx and @jsxFrag pragmas name the factories', () => {
    const text = "/** @jsx h */\n/** @jsxFrag Fragment */\nimport { h, Fragment } from 'preact';\nexport const a = <><b /></>;\n";
    assert.deepEqual(unused('a.tsx', text), []);
    const dotted = "/** @jsx preact.h */\nimport * as preact from 'preact';\nexport const a = <b />;\n";
    assert.deepEqual(unused('b.jsx', dotted), []);
  });

  test('a fragment without @jsxFrag keeps React even with @jsx', () => {
    const text = "/** @jsx h */\nimport React from 'react';\nimport { h } from 'preact';\nexport const a = <></>;\n";
    assert.deepEqual(unused('a.tsx', text), []);
  });

  test('JSDoc {@link X}, @see X and @type {X} in a TS file', () => {
    const text = "import { A, B, C } from 'm';\n/** See {@link A}. @see B */\nexport const x = 1;\n/** @type {C} */\nexport let y;\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('JSDoc prose in a TS file is not a use', () => {
    assert.deepEqual(unused('a.ts', "import { thing } from 'm';\n/** Returns the thing. */\nexport const x = 1;\n"), ['thing']);
  });

  test('JS files take types from JSDoc: any mention keeps the import', () => {
    const text = "import { Options } from './o';\nimport Widget from './w';\n/**\n * @param {Options} o\n * @returns {Widget}\n */\nexport function f(o) { return o; }\n";
    assert.deepEqual(unused('a.js', text), []);
    const typedef = "import { Shape } from './s';\n/** @typedef {import('./s').Shape | Shape} S */\n";
    assert.deepEqual(unused('b.mjs', typedef), []);
  });

  test('shorthand properties are uses', () => {
    assert.deepEqual(unused('a.ts', "import { x } from 'm';\nexport const o = { x };\n"), []);
  });

  test('import x = require() used, and namespace aliases', () => {
    assert.deepEqual(unused('a.ts', "import fs = require('fs');\nimport R = fs.constants;\nexport const s = R.F_OK;\n"), []);
    assert.deepEqual(unused('b.ts', "import fs = require('fs');\nimport R = fs.constants;\n"), ['R']);
  });

  test('export import x = require() is a re-export', () => {
    assert.deepEqual(unused('a.ts', "export import fs = require('fs');\n"), []);
  });

  test('uses inside declare module and declare global blocks', () => {
    const text = "import { User } from './user';\ndeclare module 'express' { interface Request { user?: User } }\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('module augmentation: a declaration of the same name inside declare module/global', () => {
    const text = "import { Request } from 'express';\nimport { Window } from './w';\ndeclare module 'express-serve-static-core' { interface Request { id: string } }\ndeclare global { interface Window { app: unknown } }\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('ambiguous scoping keeps the import (var hoisting, enum members)', () => {
    const text = "import { a, B } from 'm';\nexport function f() { if (Math.random()) { var a = 1; } return a; }\nexport enum E { B = 1, C = B }\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('a computed member name is outside the method scope', () => {
    const text = "import { key } from 'm';\nexport class C { [key](key: string) { return key; } }\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('infer type parameters only cover the true branch', () => {
    const text = "import type { U } from 'm';\nexport type X<T> = T extends Array<infer U> ? U : U;\n";
    assert.deepEqual(unused('a.ts', text), []);
    const inTrueOnly = "import type { U } from 'm';\nexport type X<T> = T extends Array<infer U> ? U : never;\n";
    assert.deepEqual(unused('b.ts', inTrueOnly), ['U']);
  });

  test('imports kept on purpose: underscore names, suppression comments above the declaration', () => {
    assert.deepEqual(unused('a.ts', "import _ from 'lodash';\nimport { _unused } from 'm';\n"), []);
    const suppressed = [
      '// @ts-ignore TS6133',
      "import { a } from 'a';",
      '// eslint-disable-next-line @typescript-eslint/no-unused-vars',
      "import { b } from 'b';",
      '// biome-ignore lint/correctness/noUnusedImports: checks the export exists',
      "import type { C } from 'c';",
      '// eslint-disable-next-line no-console',
      "import { d } from 'd';",
    ].join('\n');
    assert.deepEqual(unused('b.ts', suppressed), ['d']);
  });

  test('a @jsx pragma that is not leading: both React and the named factory are kept', () => {
    const text = "import React from 'react';\nimport { h } from 'preact';\n/** @jsx h */\nexport const a = <b />;\n";
    assert.deepEqual(unused('a.tsx', text), []);
  });

  test('an import nested in a declare module block is not a top-level binding', () => {
    const text = "import { X } from 'x';\ndeclare module 'm' {\n  import { X } from 'y';\n  export const v: X;\n}\n";
    assert.deepEqual(unused('a.ts', text), []);
  });

  test('a file with syntax errors reports nothing', () => {
    assert.deepEqual(audit('a.ts', "import { x } from 'm';\nconst = ;\n"), []);
  });
});

describe('imports/unused: fixes', () => {
  test('removes a middle, first or last specifier with its comma', () => {
    assert.equal(fixUnused('a.ts', "import { a, b, c } from 'm';\na; c;\n", 'b'), "import { a, c } from 'm';\na; c;\n");
    assert.equal(fixUnused('a.ts', "import { a, b, c } from 'm';\nb; c;\n", 'a'), "import { b, c } from 'm';\nb; c;\n");
    assert.equal(fixUnused('a.ts', "import { a, b, c } from 'm';\na; b;\n", 'c'), "import { a, b } from 'm';\na; b;\n");
  });

  test('removes the whole declaration and its line when every binding is unused', () => {
    const text = "import { a, b } from 'm';\nimport { c } from 'n';\nc();\n";
    assert.equal(fixUnused('a.ts', text, 'a'), "import { c } from 'n';\nc();\n");
    assert.equal(fixUnused('a.ts', text, 'b'), "import { c } from 'n';\nc();\n");
  });

  test('keeps CRLF line endings', () => {
    const text = "import x from 'x';\r\nimport { y, z } from 'y';\r\ny();\r\n";
    assert.equal(fixUnused('a.ts', text, 'x'), "import { y, z } from 'y';\r\ny();\r\n");
    assert.equal(fixUnused('a.ts', text, 'z'), "import x from 'x';\r\nimport { y } from 'y';\r\ny();\r\n");
    assert.equal(fixAll('a.ts', text), "import { y } from 'y';\r\ny();\r\n");
  });

  test('default plus named: removes the default or the named part', () => {
    assert.equal(fixUnused('a.ts', "import D, { a } from 'm';\na();\n", 'D'), "import { a } from 'm';\na();\n");
    assert.equal(fixUnused('a.ts', "import D, { a } from 'm';\nD();\n", 'a'), "import D from 'm';\nD();\n");
    assert.equal(fixUnused('a.ts', "import D, * as ns from 'm';\nD();\n", 'ns'), "import D from 'm';\nD();\n");
    assert.equal(fixUnused('a.ts', "import D, * as ns from 'm';\nns.x();\n", 'D'), "import * as ns from 'm';\nns.x();\n");
  });

  test('multi-line lists keep one specifier per line', () => {
    const text = "import {\n  a,\n  b,\n  c,\n} from 'm';\na; c;\n";
    assert.equal(fixUnused('a.ts', text, 'b'), "import {\n  a,\n  c,\n} from 'm';\na; c;\n");
    const last = "import {\n  a,\n  b,\n  c,\n} from 'm';\na; b;\n";
    assert.equal(fixUnused('a.ts', last, 'c'), "import {\n  a,\n  b,\n} from 'm';\na; b;\n");
  });

  test('fixes of one declaration compose when applied together', () => {
    const cases = [
      "import { a, b, c, d } from 'm';\nc;\n",
      "import { a, b, c, d } from 'm';\na;\n",
      "import { a, b, c, d } from 'm';\nd;\n",
      "import { a, b, c, d } from 'm';\nb; d;\n",
      "import { a, b, c, d, } from 'm';\na; c;\n",
      "import D, { a, b } from 'm';\nD;\n",
      "import D, { a, b } from 'm';\nb;\n",
      "import D, { a, b } from 'm';\n",
      "import {\n  a, // first\n  b, /* second */\n  c,\n} from 'm';\nb;\n",
    ];
    const expected = [
      "import { c } from 'm';\nc;\n",
      "import { a } from 'm';\na;\n",
      "import { d } from 'm';\nd;\n",
      "import { b, d } from 'm';\nb; d;\n",
      "import { a, c, } from 'm';\na; c;\n",
      "import D from 'm';\nD;\n",
      "import { b } from 'm';\nb;\n",
      '',
    ];
    cases.forEach((text, index) => {
      const fixed = fixAll('a.ts', text);
      if (expected[index] !== undefined) assert.equal(fixed, expected[index]);
    });
  });

  test('a trailing comment on the import line goes with it; a comment above stays', () => {
    const text = "// header\nimport { a } from 'm'; // for later\nexport {};\n";
    assert.equal(fixUnused('a.ts', text, 'a'), '// header\nexport {};\n');
  });

  test('an import sharing its line with other statements', () => {
    const text = "import { a } from 'a'; import { b } from 'b';\nb();\n";
    assert.equal(fixUnused('a.ts', text, 'a'), "import { b } from 'b';\nb();\n");
    const second = "import { a } from 'a'; import { b } from 'b';\na();\n";
    assert.equal(fixUnused('a.ts', second, 'b'), "import { a } from 'a';\na();\n");
  });

  test('import x = require() is removed whole', () => {
    assert.equal(fixUnused('a.ts', "import fs = require('fs');\nexport {};\n", 'fs'), 'export {};\n');
  });

  test('the last line without a line break, and a file of one import', () => {
    assert.equal(fixUnused('a.ts', "export {};\nimport { a } from 'm'", 'a'), 'export {};\n');
    assert.equal(fixUnused('a.ts', "import { a } from 'm';\n", 'a'), '');
  });

  test('no fix when removing the statement would join its neighbours (ASI)', () => {
    const fixOf = (text: string) => audit('a.ts', text).find((f) => f.rule === 'imports/unused')?.fix;
    assert.equal(fixOf("let a = 1\nimport { b } from 'm'\n(a)\n"), undefined);
    assert.equal(fixOf("const f = function () {}\nimport { b } from 'm'\n// note\n[f].map(String)\n"), undefined);
    // The parser gives the import the `;` of the next line, so `(a)` would follow `let a = 1` directly.
    assert.equal(fixOf("let a = 1\nimport { b } from 'm'\n;(a)\n"), undefined);
    assert.equal(fixUnused('a.ts', "let a = 1;\nimport { b } from 'm'\n(a)\n", 'b'), 'let a = 1;\n(a)\n');
    assert.equal(fixUnused('a.ts', "let a = 1\nimport { b } from 'm'\na++\n", 'b'), 'let a = 1\na++\n');
    assert.equal(fixUnused('a.ts', "function f() {}\nimport { b } from 'm'\n(f)()\n", 'b'), 'function f() {}\n(f)()\n');
  });

  test('every fix of a realistic file, alone and together', () => {
    const text = [
      "import React, { useState, useEffect } from 'react';",
      "import type { FC, ReactNode } from 'react';",
      "import * as path from 'node:path';",
      "import './styles.css';",
      "import lodash, { map } from 'lodash';",
      '',
      'export const App: FC<{ children: ReactNode }> = ({ children }) => {',
      '  const [n] = useState(0);',
      '  return <div title={String(n)}>{map([children], (c) => c)}</div>;',
      '};',
      '',
    ].join('\r\n');
    assert.deepEqual(unused('app.tsx', text), ['useEffect', 'path', 'lodash']);
    for (const name of ['useEffect', 'path', 'lodash']) fixUnused('app.tsx', text, name);
    const fixed = fixAll('app.tsx', text);
    assert.ok(fixed.startsWith("import React, { useState } from 'react';\r\nimport type { FC, ReactNode } from 'react';\r\nimport './styles.css';\r\nimport { map } from 'lodash';\r\n"));
  });
});

describe('imports/duplicate', () => {
  test('reports later declarations on their module specifier, with the first line', () => {
    const text = "import { a } from 'm';\nimport { b } from 'n';\nimport { c } from 'm';\na; b; c;\n";
    const [finding, ...rest] = duplicates('a.ts', text);
    assert.equal(rest.length, 0);
    assert.equal(finding?.message, "'m' is imported more than once (first at line 1)");
    assert.equal(finding?.severity, 'warning');
    assert.deepEqual(finding?.range, { start: { line: 3, column: 19 }, end: { line: 3, column: 22 } });
    assert.equal(finding?.fix?.title, "Merge duplicate imports of 'm'");
    assert.equal(fixAll('a.ts', text), "import { a, c } from 'm';\nimport { b } from 'n';\na; b; c;\n");
  });

  test('identical specifiers are merged once; three declarations share one fix', () => {
    const text = "import { a, b } from 'm';\nimport { b, c } from 'm';\nimport { a as x, d } from 'm';\na; b; c; d; x;\n";
    const found = duplicates('a.ts', text);
    assert.equal(found.length, 2);
    assert.deepEqual(found[0]?.fix, found[1]?.fix);
    assert.equal(fixAll('a.ts', text), "import { a, b, c, a as x, d } from 'm';\na; b; c; d; x;\n");
  });

  test('type-only and value imports of one module are not duplicates', () => {
    assert.deepEqual(duplicates('a.ts', "import type { T } from 'm';\nimport { v } from 'm';\nlet t: T = v;\nexport { t };\n"), []);
  });

  test('two type-only imports are duplicates', () => {
    const text = "import type { T } from 'm';\nimport type { U } from 'm';\nexport type V = T | U;\n";
    assert.equal(fixAll('a.ts', text), "import type { T, U } from 'm';\nexport type V = T | U;\n");
  });

  test('namespace imports are never duplicates', () => {
    assert.deepEqual(duplicates('a.ts', "import * as m from 'm';\nimport { a } from 'm';\nm; a;\n"), []);
  });

  test('different import attributes are different imports', () => {
    const text = "import a from './x.json' with { type: 'json' };\nimport { b } from './x.json';\na; b;\n";
    assert.deepEqual(duplicates('a.ts', text), []);
  });

  test('a default in a later declaration moves into the first', () => {
    const text = "import { a } from 'm';\nimport D from 'm';\na; D;\n";
    assert.equal(fixAll('a.ts', text), "import D, { a } from 'm';\na; D;\n");
    const reverse = "import D from 'm';\nimport { a } from 'm';\na; D;\n";
    assert.equal(fixAll('b.ts', reverse), "import D, { a } from 'm';\na; D;\n");
  });

  test('two different default names: reported without a fix', () => {
    const found = duplicates('a.ts', "import A from 'm';\nimport B from 'm';\nA; B;\n");
    assert.equal(found.length, 1);
    assert.equal(found[0]?.fix, undefined);
  });

  test('one local bound to two exports: no fix', () => {
    const found = duplicates('a.ts', "import { a as x } from 'm';\nimport { b as x } from 'm';\nx;\n");
    assert.equal(found.length, 1);
    assert.equal(found[0]?.fix, undefined);
  });

  test('side-effect imports twice: the later one is removed', () => {
    const text = "import './polyfill';\nimport 'other';\nimport './polyfill';\n";
    const found = duplicates('a.ts', text);
    assert.equal(found.length, 1);
    assert.equal(fixAll('a.ts', text), "import './polyfill';\nimport 'other';\n");
  });

  test('a side-effect import and a named import of one module are not duplicates', () => {
    assert.deepEqual(duplicates('a.ts', "import 'm';\nimport { a } from 'm';\na;\n"), []);
  });

  test('a multi-line first list gets one specifier per line (CRLF kept)', () => {
    const text = "import {\r\n  a,\r\n  b,\r\n} from 'm';\r\nimport { c, d } from 'm';\r\na; b; c; d;\r\n";
    assert.equal(fixAll('a.ts', text), "import {\r\n  a,\r\n  b,\r\n  c,\r\n  d,\r\n} from 'm';\r\na; b; c; d;\r\n");
  });

  test('a multi-line list packing several names per line gets the new names after its last one', () => {
    const text = "import {\n  a, b, c,\n  d,\n} from 'm';\nimport { e } from 'm';\na; b; c; d; e;\n";
    assert.equal(fixAll('a.ts', text), "import {\n  a, b, c,\n  d, e,\n} from 'm';\na; b; c; d; e;\n");
  });

  test('merging into a default-only or empty first declaration', () => {
    assert.equal(fixAll('a.ts', "import D from 'm';\nimport { a } from 'm';\nD; a;\n"), "import D, { a } from 'm';\nD; a;\n");
    assert.equal(fixAll('b.ts', "import {} from 'm';\nimport { a } from 'm';\na;\n"), "import { a } from 'm';\na;\n");
  });

  test('a type-only merge that would need a default and named bindings has no fix', () => {
    const found = duplicates('a.ts', "import type D from 'm';\nimport type { T } from 'm';\nexport type X = D | T;\n");
    assert.equal(found.length, 1);
    assert.equal(found[0]?.fix, undefined);
  });
});

describe('the agent', () => {
  test('applies to scripts and Python (for from x import *), and honours the abort signal', () => {
    assert.equal(importsAgent.appliesTo('script'), true);
    assert.equal(importsAgent.appliesTo('python'), true);
    assert.equal(importsAgent.appliesTo('text'), false);
    const controller = new AbortController();
    controller.abort();
    assert.throws(() => importsAgent.run(makeInput('a.ts', "import x from 'x';\n"), controller.signal));
  });

  test('deeply nested expressions do not overflow the stack', () => {
    const text = `import { a } from 'm';\nexport const x = ${'1 + '.repeat(20000)}a;\n`;
    assert.deepEqual(unused('a.ts', text), []);
  });
});
