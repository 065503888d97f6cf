import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Agent } from '../../src/core/agent';
import { configureAgent } from '../../src/agents/configure';
import { createTeam } from '../../src/agents/registry';
import { runSettingsOf } from '../../src/core/config/configFile';
import { parseConfig, type ConfigProblem } from '../../src/core/config/load';
import { createPathFilter } from '../../src/core/config/pathFilter';
import { RULES_BY_AGENT } from '../../src/core/config/rules';
import { configJsonSchema, defaultConfig } from '../../src/core/config/schema';
import { STARTER_CONFIG } from '../../src/core/config/starter';
import type { Finding } from '../../src/core/model';
import { makeInput } from './helpers/agentInput';

/** The problem's place as `line:column` (1-based) and its message. */
function placed(problems: readonly ConfigProblem[]): string[] {
  return problems.map((p) => `${p.range.start.line}:${p.range.start.column} ${p.severity} ${p.message}`);
}

describe('parseConfig: valid files', () => {
  it('gives the defaults for an empty file, a comment-only file and an empty mapping', () => {
    for (const text of ['', '# nothing yet\n', '{}\n']) {
      const { config, problems } = parseConfig(text);
      assert.deepEqual(problems, [], text);
      assert.deepEqual(config, defaultConfig());
    }
  });

  it('applies what the file says and keeps the defaults elsewhere', () => {
    const { config, problems } = parseConfig([
      'team:',
      '  complexity:',
      '    thresholds: { cyclomatic: 15 }',
      '  security: { enabled: false }',
      'global:',
      '  concurrency: 3',
      '  exclude: [dist, "**/*.gen.ts"]',
      '',
    ].join('\n'));
    assert.deepEqual(problems, []);
    assert.equal(config.team.complexity.thresholds.cyclomatic, 15);
    assert.equal(config.team.complexity.thresholds.nestingDepth, 4);
    assert.equal(config.team.security.enabled, false);
    assert.equal(config.team.imports.enabled, true);
    assert.equal(config.global.concurrency, 3);
    assert.deepEqual(config.global.exclude, ['dist', '**/*.gen.ts']);
    assert.equal(config.global.maxFileSizeKb, 1024);
  });

  it('holds the starter file to the schema: no problem, and every value is the default', () => {
    const { config, problems } = parseConfig(STARTER_CONFIG);
    assert.deepEqual(problems, []);
    const defaults = defaultConfig();
    // The starter spells out two rule settings to show the syntax; they restate the defaults.
    assert.deepEqual({ ...config.team.complexity, rules: {}, severity: {} }, defaults.team.complexity);
    assert.deepEqual(config.global, defaults.global);
  });
});

describe('parseConfig: every kind of problem, at its line and column', () => {
  it('a wrong type: names the key, what was expected and what was found; the default stands in', () => {
    const { config, problems } = parseConfig('global:\n  concurrency: four\n');
    assert.deepEqual(placed(problems), [
      '2:16 error global.concurrency: expected a number, found "four"; using the default',
    ]);
    assert.equal(config.global.concurrency, undefined);
  });

  it('a number out of range, a fraction where a whole number is needed, an empty value', () => {
    const { config, problems } = parseConfig([
      'global:',
      '  alerts:',
      '    errorRate: 15',
      '  maxFileSizeKb:',
      'team:',
      '  complexity:',
      '    thresholds:',
      '      nestingDepth: 2.5',
      '      cyclomatic: 0',
    ].join('\n'));
    assert.deepEqual(placed(problems), [
      '3:16 error global.alerts.errorRate: expected a number of at most 1, found 15; using the default',
      '4:3 error global.maxFileSizeKb: expected a number, found an empty value; using the default',
      '8:21 error team.complexity.thresholds.nestingDepth: expected a whole number, found 2.5; using the default',
      '9:19 error team.complexity.thresholds.cyclomatic: expected a number of at least 1, found 0; using the default',
    ]);
    assert.equal(config.global.alerts.errorRate, 0.15);
    assert.equal(config.team.complexity.thresholds.nestingDepth, 4);
  });

  it('an unknown value of a choice lists the choices', () => {
    const { config, problems } = parseConfig('team:\n  complexity:\n    severity:\n      cyclomatic: fatal\n');
    assert.deepEqual(placed(problems), [
      '4:19 error team.complexity.severity.cyclomatic: expected one of error, warning, info or hint, found "fatal"; using the default',
    ]);
    assert.deepEqual(config.team.complexity.severity, {});
  });

  it('unknown keys are warnings on the key, with a suggestion for a typo; the rest still applies', () => {
    const { config, problems } = parseConfig([
      'global:',
      '  concurency: 2',
      '  exclude: [dist]',
      'team:',
      '  complexty: {}',
      '  imports:',
      '    rules: { unsued: false, wildcard: false }',
      'colour: blue',
    ].join('\n'));
    assert.deepEqual(placed(problems), [
      "2:3 warning global: unknown key 'concurency' (did you mean 'concurrency'?); ignored",
      "5:3 warning team: unknown key 'complexty' (did you mean 'complexity'?); ignored",
      "7:14 warning team.imports.rules: unknown key 'unsued' (did you mean 'unused'?); ignored",
      "8:1 warning top level: unknown key 'colour'; ignored",
    ]);
    assert.deepEqual(config.global.exclude, ['dist']);
    assert.equal(config.team.imports.rules.wildcard, false);
  });

  it('a bad item of a list is dropped, the other items kept', () => {
    const { config, problems } = parseConfig('global:\n  include: [src, 42, "", lib]\n');
    assert.deepEqual(placed(problems), [
      '2:18 error global.include[1]: expected a text, found 42; ignored',
      '2:22 error global.include[2]: expected a text of at least 1 character, found ""; ignored',
    ]);
    assert.deepEqual(config.global.include, ['src', 'lib']);
  });

  it('a mapping where a value was expected, and a value where a mapping was expected', () => {
    const { config, problems } = parseConfig('global:\n  optimizations: { on: true }\n  cache: big\n');
    assert.deepEqual(placed(problems), [
      '2:18 error global.optimizations: expected true or false, found a mapping; using the default',
      '3:10 error global.cache: expected a mapping (key: value lines), found "big"; using the default',
    ]);
    assert.equal(config.global.optimizations, true);
    assert.deepEqual(config.global.cache, defaultConfig().global.cache);
  });

  it('YAML syntax errors are problems too, and what could be read still applies', () => {
    const { config, problems } = parseConfig('global:\n  concurrency: 2\n  exclude: [dist\n');
    assert.ok(problems.length > 0);
    assert.ok(problems.every((p) => p.severity === 'error' || p.severity === 'warning'));
    assert.match(problems.find((p) => p.severity === 'error')!.message, /^YAML syntax: /);
    assert.equal(config.global.concurrency, 2);
  });

  it('a duplicate key is a YAML error at the second key', () => {
    const { problems } = parseConfig('global:\n  concurrency: 2\n  concurrency: 3\n');
    assert.deepEqual(placed(problems).map((p) => p.split(' ').slice(0, 2).join(' ')), ['3:3 error']);
  });

  it('a document that is not a mapping gives the defaults and says what it found', () => {
    for (const [text, found] of [['- a\n- b\n', 'a list'], ['hello\n', '"hello"'], ['42\n', '42']] as const) {
      const { config, problems } = parseConfig(text);
      assert.deepEqual(placed(problems), [
        `1:1 error the configuration must be a mapping with the keys profile, team, global and overrides, found ${found}`,
      ]);
      assert.deepEqual(config, defaultConfig());
    }
  });

  it('never throws, whatever the bytes', () => {
    for (const text of ['\u0000\u0001', ': : :', '&a [*a]', '{{{{', '!!binary zzz', 'a: !!int x', '\t\tteam: 1']) {
      const { config } = parseConfig(text);
      assert.equal(typeof config.global.optimizations, 'boolean', JSON.stringify(text));
    }
  });
});

describe('#6 a key that is a mapping or a list', () => {
  it('is a problem at the key, the rest applies, and nothing is printed on the console', { timeout: 5_000 }, () => {
    const printed: string[] = [];
    const emitWarning = process.emitWarning;
    process.emitWarning = ((warning: string | Error) => { printed.push(String(warning)); }) as typeof process.emitWarning;
    try {
      const { config, problems } = parseConfig('global:\n  concurrency: 2\n[a, b]: 1\n? {x: 1}\n: 2\nk: &l [1]\n? *l\n: 3\n');
      assert.deepEqual(placed(problems), [
        '3:1 error YAML: a key must be a name, found a list; ignored',
        '4:3 error YAML: a key must be a name, found a mapping; ignored',
        "6:1 warning top level: unknown key 'k'; ignored",
        '7:3 error YAML: a key must be a name, found a list; ignored',
      ]);
      assert.equal(config.global.concurrency, 2);
      assert.equal(parseConfig('{{{{').config.global.optimizations, true);
    } finally {
      process.emitWarning = emitWarning;
    }
    assert.deepEqual(printed, []);
  });
});

describe('the JSON Schema given to editors', () => {
  it('describes every agent, rejects unknown keys and carries the defaults', () => {
    const schema = configJsonSchema() as {
      additionalProperties: boolean;
      properties: { team: { properties: Record<string, { properties: Record<string, { default?: unknown }> }> } };
    };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(Object.keys(schema.properties.team.properties).sort(), Object.keys(RULES_BY_AGENT).sort());
    assert.equal(schema.properties.team.properties.complexity.properties.enabled.default, true);
  });
});

describe('createPathFilter', () => {
  it('an exclude glob matching a folder covers everything under it, as in .gitignore', () => {
    const filter = createPathFilter([], ['test/fixtures', '**/*.min.js', 'gen/**']);
    assert.deepEqual(
      ['src/a.ts', 'test/fixtures/x/y.ts', 'test/fixturesX.ts', 'lib/app.min.js', 'gen/a.ts', '.github/ci.yml']
        .map((p) => filter.includes(p)),
      [true, false, true, false, false, true],
    );
    assert.equal(filter.excludesDir('test/fixtures'), true);
    assert.equal(filter.excludesDir('test'), false);
  });

  it('an include list keeps only what it matches; exclude wins over include', () => {
    const filter = createPathFilter(['src', '**/*.py'], ['src/vendor']);
    assert.deepEqual(
      ['src/a.ts', 'tools/b.py', 'tools/b.ts', 'src/vendor/c.ts'].map((p) => filter.includes(p)),
      [true, true, false, false],
    );
  });
});

describe('runSettingsOf', () => {
  it('optimizations: false runs one file at a time without cache, whatever the concurrency says', () => {
    const { config } = parseConfig('global:\n  concurrency: 8\n  optimizations: false\n  maxFileSizeKb: 10\n');
    const settings = runSettingsOf(config);
    assert.equal(settings.concurrency, 1);
    assert.equal(settings.useCache, false);
    assert.deepEqual(settings.limits, { maxFileSizeKb: 10 });
    assert.equal(runSettingsOf(parseConfig('global: { concurrency: 8 }').config).concurrency, 8);
  });
});

const twoRules: Agent = {
  id: 'imports', version: '7', appliesTo: () => true,
  run: () => [
    { agent: 'imports', rule: 'imports/unused', severity: 'warning', message: 'u', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } } },
    { agent: 'imports', rule: 'imports/duplicate', severity: 'warning', message: 'd', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } } },
  ] satisfies Finding[],
};

describe('configureAgent and createTeam', () => {
  const signal = new AbortController().signal;

  it('turns rules off and overrides severities, in full or short rule names', async () => {
    const { config } = parseConfig('team:\n  imports:\n    rules: { imports/duplicate: false }\n    severity: { unused: error }\n');
    const findings = await configureAgent(twoRules, config.team.imports).run(makeInput('a.ts', ''), signal);
    assert.deepEqual(findings.map((f) => `${f.rule} ${f.severity}`), ['imports/unused error']);
  });

  it("changes the agent's version with every setting that shapes findings, and only those", () => {
    const version = (yaml: string) => configureAgent(twoRules, parseConfig(yaml).config.team.imports).version;
    const base = version('');
    assert.match(base, /^7\+[0-9a-f]{12}$/);
    assert.notEqual(version('team: { imports: { rules: { unused: false } } }'), base);
    assert.notEqual(version('team: { imports: { severity: { unused: hint } } }'), base);
    assert.equal(version('team: { imports: { maxRetries: 5, timeoutSeconds: 2 } }'), base);
    const complexity = (yaml: string) => createTeam(parseConfig(yaml).config).find((a) => a.id === 'complexity')!.version;
    assert.notEqual(complexity('team: { complexity: { thresholds: { cyclomatic: 3 } } }'), complexity(''));
  });

  it('leaves disabled agents out of the team and applies thresholds', async () => {
    const { config } = parseConfig('team:\n  security: { enabled: false }\n  complexity: { thresholds: { parameterCount: 1 } }\n');
    const team = createTeam(config);
    assert.equal(team.some((a) => a.id === 'security'), false);
    assert.deepEqual(createTeam().map((a) => a.id), ['structure', 'hygiene', 'imports', 'complexity', 'conventions', 'security']);
    const complexity = team.find((a) => a.id === 'complexity')!;
    const findings = await complexity.run(makeInput('a.ts', 'export function f(a: number, b: number) { return a + b; }\n'), signal);
    assert.deepEqual(findings.map((f) => f.rule), ['complexity/parameter-count']);
  });
});
