import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { conventionsAgent, createConventionsAgent, type ConventionsOptions } from '../../src/agents/conventions';
import type { Finding, Range } from '../../src/core/model';
import { makeInput } from './helpers/agentInput';

const signal = new AbortController().signal;

function audit(text: string, path = 'f.ts', options?: ConventionsOptions): Finding[] {
  const agent = options ? createConventionsAgent(options) : conventionsAgent;
  return agent.run(makeInput(path, text), signal) as Finding[];
}

/** Messages of one rule's findings, in the agent's (reading) order. */
function messages(text: string, rule: string, path = 'f.ts', options?: ConventionsOptions): string[] {
  return audit(text, path, options).filter((f) => f.rule === rule).map((f) => f.message);
}

const naming = (text: string, path?: string) => messages(text, 'conventions/naming', path);
const stubs = (text: string, path?: string) => messages(text, 'conventions/stub-function', path);
const jsDoc = (text: string, path?: string) => messages(text, 'conventions/missing-jsdoc', path, { requireJsDoc: true });

/** The range as `line:column-line:column`, short enough to read in an assertion. */
function where(range: Range): string {
  return `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;
}

describe('conventions agent', () => {
  test('is the conventions agent, for scripts only', () => {
    assert.equal(conventionsAgent.id, 'conventions');
    assert.equal(conventionsAgent.version, '3');
    assert.deepEqual(['script', 'python', 'text'].map((l) => conventionsAgent.appliesTo(l as 'script')), [true, false, false]);
  });

  test('says nothing about a file with syntax errors', () => {
    assert.deepEqual(audit('class user_service {\nfunction do_thing() {}\nconst my_var = ;'), []);
  });

  test('stops when its signal is aborted', () => {
    const controller = new AbortController();
    controller.abort();
    assert.throws(() => conventionsAgent.run(makeInput('f.ts', 'const a = 1;'), controller.signal));
  });

  test('reports in reading order, without fixes', () => {
    const findings = audit('function do_thing() {}\nclass my_class {}\n');
    assert.deepEqual(findings.map((f) => `${where(f.range)} ${f.rule}`), [
      '1:10-1:18 conventions/naming', '1:10-1:18 conventions/stub-function', '2:7-2:15 conventions/naming',
    ]);
    assert.ok(findings.every((f) => f.agent === 'conventions' && f.fix === undefined));
  });
});

describe('conventions/naming', () => {
  test('types, classes and enums must be PascalCase; the range is the name', () => {
    const text = 'class user_service {}\ninterface user_props {}\ntype my_type = string;\nenum color_kind { Red }\nclass myClass {}\n';
    const findings = audit(text).filter((f) => f.rule === 'conventions/naming');
    assert.deepEqual(findings.map((f) => f.message), [
      "Class 'user_service' should be PascalCase",
      "Interface 'user_props' should be PascalCase",
      "Type alias 'my_type' should be PascalCase",
      "Enum 'color_kind' should be PascalCase",
      "Class 'myClass' should be PascalCase",
    ]);
    assert.deepEqual(findings.map((f) => where(f.range)), ['1:7-1:19', '2:11-2:21', '3:6-3:13', '4:6-4:16', '5:7-5:14']);
    assert.ok(findings.every((f) => f.severity === 'info'));
  });

  test('functions and variables must be camelCase', () => {
    assert.deepEqual(naming('const my_var = 1;\nfunction do_thing(): void { go(); }\nlet Total_count = 0;\nvar x_y = 2;\n'), [
      "Variable 'my_var' should be camelCase",
      "Function 'do_thing' should be camelCase",
      "Variable 'Total_count' should be camelCase",
      "Variable 'x_y' should be camelCase",
    ]);
  });

  test('accepts acronyms and digits inside camelCase and PascalCase', () => {
    const text = [
      'function parseHTML(): void { go(); }', 'class XMLParser {}', 'class IOError {}', 'const getURLs = () => urls;',
      'interface HTTP2Options {}', 'const base64url = 1;', 'type UTF8 = string;', 'let userID = 1;',
    ].join('\n');
    assert.deepEqual(naming(text), []);
  });

  test('variables may be UPPER_CASE with digits, or led by an acronym', () => {
    assert.deepEqual(naming('const MAX_RETRIES = 3;\nlet HTTP2_PORT = 8080;\nvar DEFAULT = 1;\nlet URLs = [];\n'), []);
    assert.deepEqual(naming('const MAX_retries = 3;\n'), ["Variable 'MAX_retries' should be camelCase"]);
  });

  test('constants and functions may be PascalCase (components, schemas, classes held in variables)', () => {
    const text = [
      'const User = z.object({ name: z.string() });', 'const Button = () => null;', 'const Widget = class {};',
      'function App() { return null; }', 'var Legacy = function () { return 1; };', 'let Impl;',
      'let Factory = pickFactory();', 'let Handler = () => 1;',
    ].join('\n');
    assert.deepEqual(naming(text), []);
  });

  test('a `let` given a plain value is not a class or a component: PascalCase is reported', () => {
    assert.deepEqual(naming("let Count = 0;\nlet Label = 'a';\nlet Items = [];\nlet Neg = -1;\n"), [
      "Variable 'Count' should be camelCase", "Variable 'Label' should be camelCase",
      "Variable 'Items' should be camelCase", "Variable 'Neg' should be camelCase",
    ]);
  });

  test('leading and trailing underscores and $ are set aside', () => {
    assert.deepEqual(naming('const _unused = 1;\nconst $el = 2;\nconst __dirname2 = 3;\nconst user$ = 4;\nclass _Base {}\nconst $ZodType = 5;\n'), []);
    assert.deepEqual(naming('const __my_var__ = 1;\nclass _my_base {}\n'), [
      "Variable '__my_var__' should be camelCase", "Class '_my_base' should be PascalCase",
    ]);
  });

  test('does not check parameters, destructuring, properties, methods, imports, catch bindings or enum members', () => {
    const text = [
      "import { some_thing } from 'x';", "import * as my_ns from 'y';",
      'function f(first_arg: number, { nested_key }: Options): void { use(first_arg, nested_key); }',
      'const { snake_key, other_key: renamed_key } = data;', 'const [first_item] = list;',
      'const config = { max_size: 1, do_it() { return 1; } };', 'class Store { private cache_map = 1; load_all() { return 1; } }',
      'enum Color { dark_red, LIGHT_blue }', 'try { go(); } catch (my_error) { use(my_error); }', 'for (const [k_1, v_1] of pairs) use(k_1, v_1);',
    ].join('\n');
    assert.deepEqual(naming(text), []);
  });

  test('one-character names and names without a cased first letter are not checked', () => {
    assert.deepEqual(naming('type T = 1;\nconst _ = 2;\nlet $ = 3;\nconst 名前_一 = 4;\nconst _1_x = 5;\n'), []);
  });

  test('a variable holding a required or imported module mirrors the module name', () => {
    assert.deepEqual(naming("const child_process = require('child_process');\nconst string_decoder = require('x').decoder;\n"
      + "const lazy_mod = await import('m');\n"), []);
  });

  test('ambient declarations and declaration files are not checked', () => {
    const text = [
      'declare const build_id: string;', 'declare function get_env(): string;', 'declare class native_thing {}',
      "declare module 'legacy' { const some_value: number; interface raw_shape {} }",
      'declare global { var __my_global: number; interface window_ext {} }', 'declare namespace api_ns { type raw_t = 1; }',
      'export {};',
    ].join('\n');
    assert.deepEqual(naming(text), []);
    assert.deepEqual(naming('export interface user_props {}\nexport const my_var: number;\n', 'types/index.d.ts'), []);
  });

  test('named function and class expressions are checked', () => {
    assert.deepEqual(naming('const run = function run_it() { return 1; };\nconst Kind = class my_kind {};\n'), [
      "Function 'run_it' should be camelCase", "Class 'my_kind' should be PascalCase",
    ]);
  });

  test('a generic type alias is a type-level function and may be camelCase', () => {
    assert.deepEqual(naming('type input<T> = T extends { in: infer I } ? I : never;\ntype flatten<T> = { [K in keyof T]: T[K] };\n'), []);
    assert.deepEqual(naming('type props = { a: 1 };\ntype snake_fn<T> = T;\n'), [
      "Type alias 'props' should be PascalCase", "Type alias 'snake_fn' should be PascalCase",
    ]);
  });

  test('a top-level type named after a value of the file takes the value\'s style', () => {
    const text = 'export const $output = Symbol();\nexport type $output = typeof $output;\n'
      + 'export function $constructor() { return 1; }\nexport interface $constructor { x: 1 }\ninterface other_shape {}\n';
    assert.deepEqual(naming(text), ["Interface 'other_shape' should be PascalCase"]);
  });

  test('columns count UTF-16 code units', () => {
    const [finding] = audit("const s = '😀'; const my_var = 1;\n").filter((f) => f.rule === 'conventions/naming');
    assert.equal(where(finding.range), '1:23-1:29');
  });
});

describe('conventions/stub-function', () => {
  test('an empty function is reported as info, on its name', () => {
    const [finding, ...rest] = audit('\nexport function load(path: string): void {}\n').filter((f) => f.rule === 'conventions/stub-function');
    assert.equal(rest.length, 0);
    assert.equal(finding.message, "Function 'load' has an empty body");
    assert.equal(finding.severity, 'info');
    assert.equal(where(finding.range), '2:17-2:21');
  });

  test('a method that only throws "not implemented" is a warning', () => {
    const text = [
      'class Repo {',
      "  save(): void { throw new Error('Method not implemented.'); }",
      "  load(): void { throw Error('TODO: load'); }",
      '  list(): void { throw new NotImplementedError(); }',
      "  drop(): void { throw 'unimplemented'; }",
      '  find(id: string): void { throw new Error(`find ${id} is not yet implemented`); }',
      "  sync(): void { throw new Error('sync: ' + 'not implemented'); }",
      '}',
    ].join('\n');
    const findings = audit(text).filter((f) => f.rule === 'conventions/stub-function');
    assert.deepEqual(findings.map((f) => f.message), ['save', 'load', 'list', 'drop', 'find', 'sync']
      .map((name) => `Method '${name}' is a stub: it only throws 'not implemented'`));
    assert.ok(findings.every((f) => f.severity === 'warning'));
    assert.equal(where(findings[0].range), '2:3-2:7');
  });

  test('a body that is only a TODO or FIXME comment is a warning', () => {
    const text = 'function parse(): void {\n  // TODO: parse the header\n}\nconst render = (): void => { /* fixme */ };\n';
    const findings = audit(text).filter((f) => f.rule === 'conventions/stub-function');
    assert.deepEqual(findings.map((f) => `${f.severity} ${f.message}`), [
      "warning Function 'parse' is a stub: its body is only a TODO comment",
      "warning Function 'render' is a stub: its body is only a FIXME comment",
    ]);
  });

  test('a TODO just before an empty function owns up to a stub', () => {
    assert.deepEqual(stubs('// TODO: write it\nfunction later(): void {}\n'),
      ["Function 'later' is a stub: its body is only a TODO comment"]);
  });

  test('a const arrow or function expression is a function; a `let` placeholder is not a stub', () => {
    assert.deepEqual(stubs('const onSave = () => {};\nconst onLoad = function () {};\nlet resolve = () => {};\n'), [
      "Function 'onSave' has an empty body", "Function 'onLoad' has an empty body",
    ]);
  });

  test('callbacks, default values and expression bodies are not reported', () => {
    const text = [
      'items.forEach(() => {});', 'useEffect(() => {}, []);', 'promise.then(function () {});',
      'function run(done = () => {}): void { done(); }', 'const get = () => undefined;',
    ].join('\n');
    assert.deepEqual(stubs(text), []);
  });

  test('constructors, accessors, overloads and abstract methods are not reported', () => {
    const text = [
      'abstract class Shape {', '  constructor() {}', '  get area(): number { return 0; }', '  set area(v: number) {}',
      '  abstract draw(): void;', '  scale(n: number): void;', '  scale(n: string): void;', '  scale(n: unknown): void { use(n); }', '}',
    ].join('\n');
    assert.deepEqual(stubs(text), []);
  });

  test('override methods are not reported, even when they throw', () => {
    assert.deepEqual(stubs("class A extends B {\n  override init(): void {}\n  override run(): void { throw new Error('not implemented'); }\n}\n"), []);
  });

  test('no-op helpers are not reported', () => {
    assert.deepEqual(stubs('function noop() {}\nconst noOp = () => {};\nexport function nop() {}\nconst ignore = () => {};\nfunction doNothing() {}\n'), []);
  });

  test('an empty function with an explaining comment inside or before it is deliberate', () => {
    const text = [
      'function onMessage(): void {', '  // Messages are handled by the worker.', '}',
      '/** Everything is disposed through `context.subscriptions`. */', 'export function deactivate(): void {}',
      '// eslint-disable-next-line @typescript-eslint/no-empty-function', 'const reset = () => {};',
    ].join('\n');
    assert.deepEqual(stubs(text), []);
  });

  test('empty methods are reported in plain classes, not where they may override or implement a contract', () => {
    const text = [
      'class Plain { save(): void {} }', 'class Child extends Base { save(): void {} }',
      'class Impl implements Listener { onEvent(): void {} }', 'abstract class Hooks { onInit(): void {} }',
      'class Base2 { protected onInit(): void {} }',
    ].join('\n');
    assert.deepEqual(stubs(text), ["Method 'save' has an empty body"]);
  });

  test('a class implementing a contract with "not implemented" still has a stub', () => {
    assert.deepEqual(stubs("class Impl implements Listener {\n  onEvent(): void {\n    throw new Error('Method not implemented.');\n  }\n}\n"),
      ["Method 'onEvent' is a stub: it only throws 'not implemented'"]);
  });

  test('object members and assignments: empty is a deliberate no-op, TODO and "not implemented" are stubs', () => {
    const text = [
      'const disposable = { dispose() {}, onError: () => {} };',
      "const api = { save() { throw new Error('not implemented'); }, load: () => { /* TODO */ } };",
      'exports.handler = function () {};', "module.exports.run = () => { throw new Error('TODO'); };",
    ].join('\n');
    assert.deepEqual(stubs(text), [
      "Method 'save' is a stub: it only throws 'not implemented'", "Function 'load' is a stub: its body is only a TODO comment",
      "Function 'run' is a stub: it only throws 'not implemented'",
    ]);
  });

  test('functions for the type checker alone are not reported (unused parameters, assertion signatures)', () => {
    const text = 'export function assertIs<T>(_value: T): void {}\nexport function assert<T>(value: unknown): asserts value is T {}\n'
      + 'const check = <A>(_: A): void => {};\n';
    assert.deepEqual(stubs(text), []);
  });

  test('test files are the configuration\'s business: the agent judges a test file as any other', () => {
    const text = "const onDone = () => {};\nconst todo = () => { throw new Error('not implemented'); };\n";
    assert.deepEqual(stubs(text, 'src/store.test.ts'), stubs(text, 'src/store.ts'));
    assert.equal(stubs(text, 'src/__tests__/store.ts').length, 2);
  });

  test('real bodies and other errors are not stubs', () => {
    const text = [
      "function fail(): never { throw new Error('invalid state'); }",
      "function later(): void { log('todo list'); throw new Error('not implemented'); }",
      'function rethrow(e: Error): never { throw e; }', "function check(): void { if (x) throw new Error('TODO'); }",
    ].join('\n');
    assert.deepEqual(stubs(text), []);
  });

  test('"not implemented" with @abstract or a plain explaining comment is deliberate; other JSDoc is not', () => {
    const text = [
      'class Cursor {', '  /** Moves to the next token. @abstract */', "  moveNext() { throw new Error('Not implemented.'); }",
      '  // Not needed on Node: the browser client handles redirects.', "  logout() { throw new Error('not implemented'); }",
      '  /** Encodes the key. */', "  encode() { throw new Error('Method not implemented.'); }",
      '  // eslint-disable-next-line class-methods-use-this', "  reset() { throw new Error('not implemented'); }", '}',
    ].join('\n');
    assert.deepEqual(stubs(text, 'cursor.js'), [
      "Method 'encode' is a stub: it only throws 'not implemented'", "Method 'reset' is a stub: it only throws 'not implemented'",
    ]);
  });

  test('an empty PascalCase function is a legacy constructor, not a stub', () => {
    assert.deepEqual(stubs('function Temp() {}\nTemp.prototype = proto;\n', 'shim.js'), []);
  });
});

describe('conventions/missing-jsdoc', () => {
  const text = [
    'export function load(): number { return 1; }',
    'export class Store {}',
    'export const save = async () => 1;',
    'export const read = function () { return 1; };',
  ].join('\n');

  test('is off by default', () => {
    assert.deepEqual(messages(text, 'conventions/missing-jsdoc'), []);
  });

  test('reports undocumented exported functions, classes and function constants, on their names', () => {
    const findings = audit(text, 'f.ts', { requireJsDoc: true }).filter((f) => f.rule === 'conventions/missing-jsdoc');
    assert.deepEqual(findings.map((f) => `${where(f.range)} ${f.severity} ${f.message}`), [
      "1:17-1:21 info Exported function 'load' has no JSDoc comment",
      "2:14-2:19 info Exported class 'Store' has no JSDoc comment",
      "3:14-3:18 info Exported function 'save' has no JSDoc comment",
      "4:14-4:18 info Exported function 'read' has no JSDoc comment",
    ]);
  });

  test('a JSDoc block before the declaration (or its decorators) satisfies it; other comments do not', () => {
    const documented = [
      '/** Loads. */', 'export function load(): number { return 1; }',
      '/**', ' * A store.', ' */', '@sealed', 'export class Store {}',
      '/** Saves. */', '// eslint-disable-next-line no-console', 'export const save = () => 1;',
    ].join('\n');
    assert.deepEqual(jsDoc(documented), []);
    assert.deepEqual(jsDoc('// Loads.\nexport function load() { return 1; }\n/* Saves. */\nexport function save() { return 1; }\n/**/\nexport class A {}\n'), [
      "Exported function 'load' has no JSDoc comment", "Exported function 'save' has no JSDoc comment",
      "Exported class 'A' has no JSDoc comment",
    ]);
  });

  test('an anonymous default export is reported on `export default`', () => {
    const findings = audit('export default function () { return 1; }\n', 'f.ts', { requireJsDoc: true });
    assert.deepEqual(findings.map((f) => `${where(f.range)} ${f.message}`), ['1:1-1:15 Exported default function has no JSDoc comment']);
    assert.deepEqual(jsDoc('export default class Page {}\n'), ["Exported class 'Page' has no JSDoc comment"]);
  });

  test('overloads need the doc on the first signature only', () => {
    const overloads = [
      '/** Parses. */', 'export function parse(a: string): number;', 'export function parse(a: number): number;',
      'export function parse(a: unknown): number { return Number(a); }',
      'export function size(a: string): number;', 'export function size(a: unknown): number { return 1; }',
    ].join('\n');
    assert.deepEqual(jsDoc(overloads), ["Exported function 'size' has no JSDoc comment"]);
  });

  test('local, ambient, non-function and re-exported declarations need no doc', () => {
    const text = [
      'function local() { return 1; }', 'export const LIMIT = 10;', 'export let handler = () => 1;',
      'export declare function native(): void;', 'export { local };', 'export interface Shape {}', 'export type Id = string;',
      'export const wrapped = memo(() => 1);',
    ].join('\n');
    assert.deepEqual(jsDoc(text), []);
  });
});

describe('conventions in other script kinds', () => {
  test('.tsx: components may be PascalCase functions or constants', () => {
    const text = 'export function Card() { return <div />; }\nconst Button = () => <button />;\nfunction my_row() { return <tr />; }\n';
    assert.deepEqual(naming(text, 'ui/card.tsx'), ["Function 'my_row' should be camelCase"]);
  });

  test('.js: legacy scripts with var, require and prototypes', () => {
    const text = [
      "var fs = require('fs');", "var path_module = require('path');", 'var Person = function (name) { this.name = name; };',
      "Person.prototype.greet = function () { throw new Error('not implemented'); };", 'var my_count = 0;',
    ].join('\n');
    assert.deepEqual(audit(text, 'lib/person.js').map((f) => f.message), [
      "Function 'greet' is a stub: it only throws 'not implemented'", "Variable 'my_count' should be camelCase",
    ]);
  });
});
