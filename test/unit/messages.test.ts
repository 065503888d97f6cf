import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { createComplexityAgent, DEFAULT_COMPLEXITY_THRESHOLDS } from '../../src/agents/complexity';
import { importsAgent } from '../../src/agents/imports';
import { MAX_PROBLEMS, parseConfig } from '../../src/core/config/load';
import { configJsonSchema } from '../../src/core/config/schema';
import { endpointProblem } from '../../src/core/cache/shared/sharedEndpoint';
import { capFindings } from '../../src/core/run/findingLimits';
import type { Finding } from '../../src/core/model';
import { countOf, itOrThem, listOf } from '../../src/core/wording';
import { makeInput } from './helpers/agentInput';

const signal = new AbortController().signal;

function findings(path: string, text: string, rule: string): Finding[] {
  return (importsAgent.run(makeInput(path, text), signal) as Finding[]).filter((f) => f.rule === rule);
}

/** What a person would not write: zod's own words, a regex, "(s)", bare comparison signs. */
const MACHINE_WORDS = /Invalid|must match|pattern|\/\^|\(s\)|[≥≤<>]/;

describe('#12 messages as a person would write them', () => {
  test('wording: counts, lists and pronouns', () => {
    assert.equal(countOf(1, 'file'), '1 file');
    assert.equal(countOf(0, 'file'), '0 files');
    assert.equal(countOf(1234, 'entry', 'entries'), '1234 entries');
    assert.equal(listOf([]), '');
    assert.equal(listOf(['a']), 'a');
    assert.equal(listOf(['a', 'b']), 'a and b');
    assert.equal(listOf(['a', 'b', 'c'], 'or'), 'a, b or c');
    assert.equal(itOrThem(1), 'it');
    assert.equal(itOrThem(3), 'them');
  });

  test('a namespace used for one member: "import it by name"; for several: "them", listed with "and"', { timeout: 30_000 }, () => {
    const one = findings('a.ts', "import * as path from 'node:path';\nexport const x = path.join('a');\n", 'imports/wildcard');
    assert.equal(one[0]?.message, "Namespace import 'path' is only used for join: import it by name");
    assert.equal(one[0]?.fix?.title, "Import join from 'node:path' by name");
    const three = findings('b.ts',
      "import * as path from 'node:path';\nexport const x = path.join(path.sep, path.delimiter);\n", 'imports/wildcard');
    assert.equal(three[0]?.message, "Namespace import 'path' is only used for join, sep and delimiter: import them by name");
    assert.equal(three[0]?.fix?.title, "Import join, sep and delimiter from 'node:path' by name");
  });

  test('a count of one reads in the singular: parameters, capped findings', { timeout: 30_000 }, () => {
    const agent = createComplexityAgent({ ...DEFAULT_COMPLEXITY_THRESHOLDS, parameterCount: 0 });
    const out = agent.run(makeInput('f.ts', 'export function one(a: number): number {\n  return a;\n}\n'), signal) as Finding[];
    assert.deepEqual(out.filter((f) => f.rule === 'complexity/parameter-count').map((f) => f.message),
      ["Function 'one' has 1 parameter (max 0)"]);
    const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
    const many: Finding[] = [1, 2, 3].map(() => ({ agent: 'hygiene', rule: 'hygiene/trailing-whitespace', severity: 'info', message: 'x', range }));
    const capped = capFindings('hygiene', many, 2).find((f) => f.rule === 'maintenance/findings-capped');
    assert.match(capped?.message ?? '', /^1 more hygiene\/trailing-whitespace finding in this file is not listed \(at most 2 per rule and file\)/);
  });

  test('the shared cache key prefix: a sentence about what is allowed, not a regex', () => {
    const { problems } = parseConfig('global:\n  cache:\n    shared:\n      keyPrefix: "my prefix!"\n');
    assert.deepEqual(problems.map((p) => p.message), [
      'global.cache.shared.keyPrefix: expected 1 to 64 letters, digits, _, . or -, found "my prefix!"; using the default',
    ]);
  });

  test('the password variable\'s name: what a variable name may hold, never the value', () => {
    const problem = endpointProblem({ passwordEnv: '1PASS word' });
    assert.match(problem ?? '', /^the password variable: not a valid environment variable name \(letters, digits and _, not starting with a digit;/);
    assert.doesNotMatch(problem ?? '', /PASS word|\/\^/);
  });

  test('bounds and choices in words', () => {
    const { problems } = parseConfig([
      'global:', '  concurrency: 0', '  include: [""]', '  alerts: { errorRate: 2, memoryMb: 0 }',
      'team:', '  hygiene: { severity: { final-newline: fatal } }', '',
    ].join('\n'));
    assert.deepEqual(problems.map((p) => p.message), [
      'global.concurrency: expected a number of at least 1, found 0; using the default',
      'global.include[0]: expected a text of at least 1 character, found ""; ignored',
      'global.alerts.errorRate: expected a number of at most 1, found 2; using the default',
      'global.alerts.memoryMb: expected a number greater than 0, found 0; using the default',
      'team.hygiene.severity.final-newline: expected one of error, warning, info or hint, found "fatal"; using the default',
    ]);
    const tooMany = parseConfig(`global:\n  exclude: [${Array.from({ length: 1001 }, (_, i) => `g${i}`).join(', ')}]\n`);
    assert.deepEqual(tooMany.problems.map((p) => p.message),
      ['global.exclude: expected a list of at most 1000 items, found a list; using the default']);
  });

  test('"1 more problem", "2 more problems" past the listed ones', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `unknown${i}: 1`).join('\n');
    const one = parseConfig(keys(MAX_PROBLEMS + 1)).problems.at(-1)?.message;
    assert.equal(one, '1 more problem in this file, not listed');
    const two = parseConfig(keys(MAX_PROBLEMS + 2)).problems.at(-1)?.message;
    assert.equal(two, '2 more problems in this file, not listed');
  });

  test('every field of the configuration schema explains a bad value in words', { timeout: 60_000 }, () => {
    const checked: string[] = [];
    for (const [path, bad] of badValues(configJsonSchema(), [])) {
      const text = JSON.stringify(nest(path, bad));
      const { problems } = parseConfig(text);
      assert.ok(problems.length > 0, `${path.join('.')}: ${JSON.stringify(bad)} accepted`);
      for (const { message } of problems) {
        assert.match(message, /^[\w./[\]-]+: expected .+, found .+; (using the default|ignored)$/, message);
        assert.doesNotMatch(message.replace(/found .*;/, ''), MACHINE_WORDS, message);
      }
      checked.push(path.join('.'));
    }
    assert.ok(checked.includes('global.cache.shared.keyPrefix') && checked.length > 100, `${checked.length} fields checked`);
  });
});

type JsonSchema = {
  type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; enum?: unknown[]; pattern?: string;
  minimum?: number; maximum?: number; exclusiveMinimum?: number; minLength?: number; maxLength?: number; maxItems?: number;
};

/** For each leaf of the schema, values it refuses: the wrong type, and each bound or pattern broken. */
function* badValues(schema: JsonSchema, path: string[]): Generator<[string[], unknown]> {
  if (schema.properties) {
    for (const [key, child] of Object.entries(schema.properties)) yield* badValues(child, [...path, key]);
    return;
  }
  if (schema.enum) yield [path, 'not-a-choice'];
  switch (schema.type) {
    case 'boolean': yield [path, 'maybe']; break;
    case 'number': case 'integer':
      yield [path, 'many'];
      if (schema.minimum !== undefined) yield [path, schema.minimum - 1];
      if (schema.exclusiveMinimum !== undefined) yield [path, schema.exclusiveMinimum];
      if (schema.maximum !== undefined) yield [path, schema.maximum + 1];
      if (schema.type === 'integer') yield [path, 1.5];
      break;
    case 'string':
      yield [path, 42];
      if (schema.pattern !== undefined) yield [path, 'not valid! ✗'];
      if (schema.minLength !== undefined) yield [path, ''];
      if (schema.maxLength !== undefined) yield [path, 'x'.repeat(schema.maxLength + 1)];
      break;
    case 'array':
      yield [path, 'not a list'];
      if (schema.maxItems !== undefined) yield [path, Array.from({ length: schema.maxItems + 1 }, () => 'x')];
      for (const [, bad] of schema.items ? badValues(schema.items, []) : []) yield [path, [bad]];
      break;
  }
}

function nest(path: readonly string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}
