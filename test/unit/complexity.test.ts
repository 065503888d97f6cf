import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import {
  complexityAgent, createComplexityAgent, DEFAULT_COMPLEXITY_THRESHOLDS, type ComplexityThresholds,
} from '../../src/agents/complexity';
import type { Finding, Range } from '../../src/core/model';
import { makeInput } from './helpers/agentInput';

const signal = new AbortController().signal;

/** The limits these cases were written for (McCabe's 10, 80 lines), not the calibrated defaults (20, 100). */
const CLASSIC: Partial<ComplexityThresholds> = { cyclomatic: 10, functionLength: 80 };

function audit(text: string, thresholds?: Partial<ComplexityThresholds>, path = 'f.ts'): Finding[] {
  const agent = createComplexityAgent({ ...DEFAULT_COMPLEXITY_THRESHOLDS, ...CLASSIC, ...thresholds });
  return agent.run(makeInput(path, text), signal) as Finding[];
}

/** Messages of one rule's findings, sorted so tests do not depend on the walk's order. */
function messages(text: string, rule: string, thresholds?: Partial<ComplexityThresholds>): string[] {
  return audit(text, thresholds).filter((f) => f.rule === rule).map((f) => f.message).sort();
}

/** The range as `line:column-line:column`, short enough to read in an assertion. */
function where(range: Range): string {
  return `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;
}

/** `count` statements `if (c<i>) x++;`, one per line. */
function ifs(count: number): string {
  return Array.from({ length: count }, (_, i) => `  if (c${i}) x++;\n`).join('');
}

describe('complexity/cyclomatic', () => {
  test('counts every kind of decision point and reports the exact value on the name', () => {
    const text = [
      'function parse(a, b) {',
      '  if (a) {} else if (b) {}', // 2
      '  const t = a ? 1 : 2;', // 1
      '  switch (a) { case 1: break; case 2: break; default: break; }', // 2 (default not counted)
      '  for (;;) {} for (const k in a) {} for (const v of b) {} while (a) {} do {} while (b);', // 5
      '  try {} catch {}', // 1
      '  const u = a && b || t ?? 0;', // 3
      '  a &&= b; a ||= b; a ??= b;', // 3
      '}',
    ].join('\n');
    const [finding, ...rest] = audit(text).filter((f) => f.rule === 'complexity/cyclomatic');
    assert.equal(rest.length, 0);
    assert.equal(finding.message, "Function 'parse' has a cyclomatic complexity of 18 (max 10)");
    assert.equal(finding.severity, 'warning');
    assert.equal(finding.fix, undefined);
    assert.equal(where(finding.range), '1:10-1:15');
  });

  test('exactly at the threshold is not reported, one more is', () => {
    assert.deepEqual(messages(`function ok(x) {\n${ifs(9)}}\n`, 'complexity/cyclomatic'), []);
    assert.deepEqual(messages(`function big(x) {\n${ifs(10)}}\n`, 'complexity/cyclomatic'),
      ["Function 'big' has a cyclomatic complexity of 11 (max 10)"]);
  });

  test('default: is not a decision point', () => {
    const text = 'function s(a) { switch (a) { case 1: return 1; default: return 0; } }';
    assert.deepEqual(messages(text, 'complexity/cyclomatic', { cyclomatic: 0 }),
      ["Function 's' has a cyclomatic complexity of 2 (max 0)"]);
  });

  test("a nested function's decisions count for it alone, not for the outer function", () => {
    const text = `function outer(x) {\n  if (x) {}\n  const inner = () => {\n${ifs(12)}  };\n}\n`;
    assert.deepEqual(messages(text, 'complexity/cyclomatic'),
      ["Function 'inner' has a cyclomatic complexity of 13 (max 10)"]);
    assert.deepEqual(messages(text, 'complexity/cyclomatic', { cyclomatic: 1 }), [
      "Function 'inner' has a cyclomatic complexity of 13 (max 1)",
      "Function 'outer' has a cyclomatic complexity of 2 (max 1)",
    ]);
  });

  test('top-level code is not a function and is not measured', () => {
    assert.deepEqual(messages(ifs(20), 'complexity/cyclomatic'), []);
  });
});

describe('complexity/nesting-depth', () => {
  /** Loops nested `levels` deep inside `function deep`. */
  const nested = (levels: number) =>
    `function deep(a) {\n${'  while (a) {\n'.repeat(levels)}  a--;\n${'  }\n'.repeat(levels)}}\n`;

  test('reports one level past the threshold, on the name', () => {
    const findings = audit(nested(5)).filter((f) => f.rule === 'complexity/nesting-depth');
    assert.deepEqual(findings.map((f) => f.message), ["Function 'deep' has a nesting depth of 5 (max 4)"]);
    assert.equal(where(findings[0].range), '1:10-1:14');
    assert.deepEqual(messages(nested(4), 'complexity/nesting-depth'), []);
  });

  test('an else-if chain is one level, a nested if inside an else block is two', () => {
    const chain = 'function c(a) { if (a === 1) {} else if (a === 2) {} else if (a === 3) {} else {} }';
    assert.deepEqual(messages(chain, 'complexity/nesting-depth', { nestingDepth: 0 }),
      ["Function 'c' has a nesting depth of 1 (max 0)"]);
    const block = 'function b(a) { if (a) {} else { if (a) {} } }';
    assert.deepEqual(messages(block, 'complexity/nesting-depth', { nestingDepth: 0 }),
      ["Function 'b' has a nesting depth of 2 (max 0)"]);
  });

  test('try/catch/finally is one level, switch is one level, plain blocks are none', () => {
    const text = 'function t(a) { try { { switch (a) { case 1: for (;;) {} } } } catch { if (a) {} } finally {} }';
    assert.deepEqual(messages(text, 'complexity/nesting-depth', { nestingDepth: 0 }),
      ["Function 't' has a nesting depth of 3 (max 0)"]);
  });

  test('a nested function starts again at depth 0', () => {
    const text = 'function o(a) { if (a) { if (a) { if (a) { const f = () => { if (a) { if (a) {} } }; } } } }';
    assert.deepEqual(messages(text, 'complexity/nesting-depth', { nestingDepth: 2 }),
      ["Function 'o' has a nesting depth of 3 (max 2)"]);
  });
});

describe('complexity/function-length', () => {
  /** A function spanning exactly `lines` lines. */
  const long = (lines: number) => `const x = 1;\nfunction long() {\n${'  x;\n'.repeat(lines - 2)}}\n`;

  test('counts from the first to the last line and reports past the threshold', () => {
    const findings = audit(long(81)).filter((f) => f.rule === 'complexity/function-length');
    assert.deepEqual(findings.map((f) => f.message), ["Function 'long' is 81 lines long (max 80)"]);
    assert.equal(where(findings[0].range), '2:10-2:14');
    assert.deepEqual(messages(long(80), 'complexity/function-length'), []);
  });

  test('a leading JSDoc comment is not part of the function', () => {
    assert.deepEqual(messages(`/**\n * Doc.\n */\n${long(80)}`, 'complexity/function-length'), []);
  });
});

describe('complexity/file-length', () => {
  test('reports a file longer than the threshold as info on line 1', () => {
    const findings = audit('const a = 1;\n'.repeat(1001)).filter((f) => f.rule === 'complexity/file-length');
    assert.deepEqual(findings.map((f) => f.message), ['File is 1001 lines long (max 1000)']);
    assert.equal(findings[0].severity, 'info');
    assert.equal(where(findings[0].range), '1:1-1:13');
  });

  test('a final line break does not count as an extra line', () => {
    assert.deepEqual(messages('x;\n'.repeat(1000), 'complexity/file-length'), []);
    assert.deepEqual(messages('x;\r\n'.repeat(3), 'complexity/file-length', { fileLength: 2 }),
      ['File is 3 lines long (max 2)']);
  });
});

describe('complexity/parameter-count', () => {
  test('reports six parameters, not five', () => {
    const findings = audit('function many(a, b, c, d, e, f) {}').filter((f) => f.rule === 'complexity/parameter-count');
    assert.deepEqual(findings.map((f) => f.message), ["Function 'many' has 6 parameters (max 5)"]);
    assert.equal(where(findings[0].range), '1:10-1:14');
    assert.deepEqual(messages('function five(a, b, c, d, e) {}', 'complexity/parameter-count'), []);
  });

  test('a destructured parameter counts as one and `this` is not counted', () => {
    const text = 'function d(this: Window, { a, b, c }: O, [x, y]: P, e = 1, ...rest: number[]) {}';
    assert.deepEqual(messages(text, 'complexity/parameter-count', { parameterCount: 0 }),
      ["Function 'd' has 4 parameters (max 0)"]);
  });

  test('overload signatures are not measured, only the implementation', () => {
    const text = 'function o(a: 1, b, c, d, e, f): void;\nfunction o(...args: unknown[]) {}\n';
    assert.deepEqual(messages(text, 'complexity/parameter-count'), []);
  });
});

describe('complexity/await-in-loop', () => {
  /** Ranges of every await-in-loop finding, sorted. */
  const awaits = (text: string) => audit(text)
    .filter((f) => f.rule === 'complexity/await-in-loop')
    .map((f) => where(f.range)).sort();

  test('reports each await in a for, for-of, for-in, while and do body, on the keyword', () => {
    const text = [
      'async function f(xs) {',
      '  for (let i = 0; i < 2; i++) await g(i);',
      '  for (const x of xs) { await g(x); }',
      '  for (const k in xs) { if (k) { await g(k); } }',
      '  while (xs.length) await xs.pop();',
      '  do { await g(); } while (xs.length);',
      '}',
    ].join('\n');
    assert.deepEqual(awaits(text), ['2:31-2:36', '3:25-3:30', '4:34-4:39', '5:21-5:26', '6:8-6:13']);
    assert.equal(audit(text).find((f) => f.rule === 'complexity/await-in-loop')?.severity, 'warning');
  });

  test('for await, awaits in its body and awaits outside loop bodies are not reported', () => {
    const text = [
      'async function f(stream, xs) {',
      '  for await (const chunk of stream) { await write(chunk); }',
      '  for (const x of await load()) {}',
      '  while (await more()) {}',
      '  await done();',
      '}',
    ].join('\n');
    assert.deepEqual(awaits(text), []);
  });

  test('an await in a nested async function inside a loop is not reported', () => {
    const text = 'async function f(xs) { for (const x of xs) { tasks.push(async () => { await g(x); }); } }';
    assert.deepEqual(awaits(text), []);
  });

  test('a plain loop inside a for await body is reported again', () => {
    const text = 'async function f(s) {\n  for await (const c of s) {\n    for (const x of c) await g(x);\n  }\n}';
    assert.deepEqual(awaits(text), ['3:24-3:29']);
  });

  test('a top-level await in a module loop is reported', () => {
    assert.deepEqual(awaits('for (const x of xs) await g(x);\nexport {};\n'), ['1:21-1:26']);
  });
});

describe('ranges name the function, never its body', () => {
  const allZero = { cyclomatic: 0 };
  const ranges = (text: string) => audit(text, allZero)
    .filter((f) => f.rule === 'complexity/cyclomatic')
    .map((f) => `${f.message.replace(/ has a .*$/, '')} @ ${where(f.range)}`).sort();

  test('methods, accessors, constructors, class fields and object properties', () => {
    const text = [
      'class K {',
      '  constructor() {}',
      '  run() {}',
      '  get size() { return 1; }',
      '  set size(v) {}',
      '  handler = () => {};',
      '  #secret() {}',
      '  [Symbol.iterator]() {}',
      '}',
      'const o = { ok: function () {}, go: () => {}, "quoted"() {} };',
      'exports.main = function () {};',
    ].join('\n');
    assert.deepEqual(ranges(text), [
      'Constructor @ 2:3-2:14',
      "Function 'go' @ 10:33-10:35",
      "Function 'handler' @ 6:3-6:10",
      "Function 'main' @ 11:9-11:13",
      "Function 'ok' @ 10:13-10:15",
      "Getter 'size' @ 4:7-4:11",
      "Method '#secret' @ 7:3-7:10",
      "Method '[Symbol.iterator]' @ 8:3-8:20",
      "Method 'quoted' @ 10:47-10:55",
      'Method \'run\' @ 3:3-3:6',
      "Setter 'size' @ 5:7-5:11",
    ]);
  });

  test('anonymous functions point at `function`, `(` or their only parameter', () => {
    const text = 'export default function () {}\nitems.map(async (x) => x);\nitems.map(x => x);\n';
    assert.deepEqual(ranges(text), [
      'Anonymous function @ 1:16-1:24',
      'Anonymous function @ 2:17-2:18',
      'Anonymous function @ 3:11-3:12',
    ]);
  });
});

describe('the complexity agent', () => {
  test('applies to scripts only, with a stable id and version', () => {
    assert.equal(complexityAgent.id, 'complexity');
    assert.equal(complexityAgent.version, '2');
    assert.equal(complexityAgent.appliesTo('script'), true);
    assert.equal(complexityAgent.appliesTo('python'), false);
    assert.equal(complexityAgent.appliesTo('text'), false);
  });

  test('on a file with syntax errors only file-length is reported', () => {
    const text = `function broken(a, b, c, d, e, f) {\n${ifs(12)}\n`.repeat(3);
    assert.ok(makeInput('f.ts', text).syntaxErrors().length > 0);
    assert.deepEqual(audit(text, { fileLength: 2 }).map((f) => f.rule), ['complexity/file-length']);
  });

  test('a clean file has no findings, in JS flavours too', () => {
    const text = 'export function add(a, b) {\n  return a + b;\n}\n';
    assert.deepEqual(audit(text), []);
    assert.deepEqual(audit(text, undefined, 'f.mjs'), []);
  });

  test('a very long expression chain does not overflow the stack', () => {
    const text = `export const s = ${Array.from({ length: 50_000 }, (_, i) => `a${i % 10}`).join(' + ')};\n`;
    assert.deepEqual(audit(text), []);
  });

  test('an aborted signal stops the run', () => {
    const controller = new AbortController();
    controller.abort();
    assert.throws(() => complexityAgent.run(makeInput('f.ts', 'x;\n'), controller.signal));
  });
});
