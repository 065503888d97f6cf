import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createTeam } from '../../src/agents/registry';
import { parseConfig, type ConfigProblem } from '../../src/core/config/load';
import { PathConfigs, TEST_TREATMENT } from '../../src/core/config/overrides';
import { PROFILES } from '../../src/core/config/profiles';
import { configJsonSchema, DEFAULT_TEST_GLOBS, defaultConfig, teamOverrideSchema } from '../../src/core/config/schema';
import { STARTER_CONFIG } from '../../src/core/config/starter';
import { auditText } from '../../src/core/run/execution';
import { FileTeams } from '../../src/core/run/fileTeams';
import { fixText } from '../../src/worker/fixRequests';
import { json, run, tree } from './helpers/cli';
import { tempDir } from './helpers/tempDirs';

const signal = new AbortController().signal;

/** A `describe` whose callback is `lines` lines long, as test frameworks are written. */
function longDescribe(lines: number): string {
  const body = Array.from({ length: lines }, (_, i) => `  it('case ${i}', () => { expect(${i}).toBe(${i}); });`);
  return `describe('suite', () => {\n${body.join('\n')}\n});\n`;
}

/** A function of five parameters (complexity/parameter-count at the default of 5 is quiet, at 4 it fires). */
const FIVE_PARAMETERS = 'export function f(a: number, b: number, c: number, d: number, e: number): number {\n  return a + b + c + d + e;\n}\n';

/** The rules the team of `yaml`'s configuration reports on `text` read from `path` (through FileTeams, as the engine). */
async function rulesAt(yaml: string, path: string, text: string): Promise<string[]> {
  const { config, problems } = parseConfig(yaml);
  assert.deepEqual(problems, []);
  const { agents, config: fileConfig } = new FileTeams(config, createTeam).forPath(path);
  const { findings } = await auditText(path, text, agents, signal, { config: fileConfig });
  return findings.map((f) => `${f.rule} ${f.severity}`);
}

function placed(problems: readonly ConfigProblem[]): string[] {
  return problems.map((p) => `${p.range.start.line}:${p.range.start.column} ${p.severity} ${p.message}`);
}

describe('overrides: merging', () => {
  const yaml = [
    'team:',
    '  complexity:',
    '    thresholds: { cyclomatic: 12, functionLength: 50 }',
    '    rules: { nesting-depth: false }',
    '    severity: { cyclomatic: error }',
    'overrides:',
    '  - files: ["src/**"]',
    '    team:',
    '      complexity:',
    '        thresholds: { functionLength: 100 }',
    '        rules: { complexity/nesting-depth: true, parameter-count: false }',
    '      security: { enabled: false }',
    '  - files: ["src/**/*.gen.ts"]',
    '    ignores: ["src/keep/**"]',
    '    team:',
    '      complexity:',
    '        thresholds: { functionLength: 300 }',
    '        severity: { complexity/cyclomatic: hint }',
    '        rules: { parameter-count: true }',
    '',
  ].join('\n');
  const { config, problems } = parseConfig(yaml);
  const paths = new PathConfigs(config);

  it('validates and keeps an override as written: no defaults filled in', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(config.overrides[0].team, {
      complexity: { thresholds: { functionLength: 100 }, rules: { 'complexity/nesting-depth': true, 'parameter-count': false } },
      security: { enabled: false },
    });
  });

  it('a file no override matches gets the base configuration itself', () => {
    assert.equal(paths.configFor('lib/a.ts'), config);
  });

  it('a setting not written in an override never resets the base; later entries win, rule by rule in either name', () => {
    const src = paths.configFor('src/a.ts').team;
    assert.deepEqual(src.complexity.thresholds, { ...config.team.complexity.thresholds, functionLength: 100 });
    assert.equal(src.complexity.thresholds.cyclomatic, 12);
    assert.deepEqual(src.complexity.severity, { cyclomatic: 'error' });
    assert.deepEqual(src.complexity.rules, { 'complexity/nesting-depth': true, 'parameter-count': false });
    assert.equal(src.security.enabled, false);
    assert.equal(src.imports, config.team.imports);
    const generated = paths.configFor('src/x/a.gen.ts').team;
    assert.equal(generated.complexity.thresholds.functionLength, 300);
    assert.deepEqual(generated.complexity.severity, { 'complexity/cyclomatic': 'hint' });
    assert.deepEqual(generated.complexity.rules, { 'complexity/nesting-depth': true, 'parameter-count': true });
    assert.equal(generated.security.enabled, false, 'the first override still applies under the second');
  });

  it('ignores carve files out of an override; one configuration object per set of matching overrides', () => {
    assert.equal(paths.configFor('src/keep/a.gen.ts'), paths.configFor('src/b.ts'));
    assert.equal(paths.configFor('src/a.gen.ts'), paths.configFor('src/deep/b.gen.ts'));
    assert.notEqual(paths.configFor('src/a.gen.ts'), paths.configFor('src/b.ts'));
  });

  it('leaves the base configuration untouched', () => {
    assert.deepEqual(config.team.complexity.rules, { 'nesting-depth': false });
    assert.equal(config.team.complexity.thresholds.functionLength, 50);
  });

  it('switches rules and agents off, changes severities and thresholds, per file', async () => {
    const team = 'team: { complexity: { thresholds: { parameterCount: 4 } } }\n';
    assert.deepEqual(await rulesAt(team, 'src/a.ts', FIVE_PARAMETERS), ['complexity/parameter-count warning']);
    const severity = `${team}overrides: [{ files: ["src/**"], team: { complexity: { severity: { parameter-count: error } } } }]\n`;
    assert.deepEqual(await rulesAt(severity, 'src/a.ts', FIVE_PARAMETERS), ['complexity/parameter-count error']);
    assert.deepEqual(await rulesAt(severity, 'lib/a.ts', FIVE_PARAMETERS), ['complexity/parameter-count warning']);
    const off = `${team}overrides: [{ files: ["src"], team: { complexity: { rules: { parameter-count: false } } } }]\n`;
    assert.deepEqual(await rulesAt(off, 'src/a.ts', FIVE_PARAMETERS), []);
    const agentOff = `${team}overrides: [{ files: ["src/*.ts"], team: { complexity: { enabled: false } } }]\n`;
    assert.deepEqual(await rulesAt(agentOff, 'src/a.ts', FIVE_PARAMETERS), []);
    const threshold = `${team}overrides: [{ files: ["src/**"], team: { complexity: { thresholds: { parameterCount: 5 } } } }]\n`;
    assert.deepEqual(await rulesAt(threshold, 'src/a.ts', FIVE_PARAMETERS), []);
    assert.deepEqual(await rulesAt(threshold, 'a.ts', FIVE_PARAMETERS), ['complexity/parameter-count warning']);
  });

  it('an agent the base turns off can be turned on for some files', async () => {
    const yamlOn = 'team: { complexity: { enabled: false, thresholds: { parameterCount: 4 } } }\n'
      + 'overrides: [{ files: ["core/**"], team: { complexity: { enabled: true } } }]\n';
    assert.deepEqual(await rulesAt(yamlOn, 'core/a.ts', FIVE_PARAMETERS), ['complexity/parameter-count warning']);
    assert.deepEqual(await rulesAt(yamlOn, 'ui/a.ts', FIVE_PARAMETERS), []);
  });

  it("gives each file's team its own agent versions, so cached results never cross configurations", () => {
    const teams = new FileTeams(config, createTeam);
    const version = (path: string) => teams.forPath(path).agents.find((a) => a.id === 'complexity')!.version;
    assert.notEqual(version('src/a.ts'), version('lib/a.ts'));
    assert.equal(version('src/a.ts'), version('src/b/c.ts'));
    assert.equal(teams.forPath('src/a.ts'), teams.forPath('src/b/c.ts'), 'one team per configuration, not per file');
  });
});

describe('overrides: problems placed on the key', () => {
  it('a bad value deep in overrides[1].team, an unknown key, a run setting, a bad glob, a missing files list', () => {
    const { config, problems } = parseConfig([
      'overrides:',
      '  - files: ["a/**"]',
      '    team: { hygiene: { enabled: false } }',
      '  - files: ["b/**"]',
      '    team:',
      '      complexity:',
      '        thresholds:',
      '          cyclomatic: 0',
      '          depth: 3',
      '        timeoutSeconds: 5',
      '  - files: ["+(x|y)/**"]',
      '  - team: {}',
      '',
    ].join('\n'));
    assert.deepEqual(placed(problems), [
      '8:23 error overrides[1].team.complexity.thresholds.cyclomatic: expected a number of at least 1, found 0; using the default',
      "9:11 warning overrides[1].team.complexity.thresholds: unknown key 'depth'; ignored",
      "10:9 warning overrides[1].team.complexity: unknown key 'timeoutSeconds' (how an agent runs is set under team: for every file); ignored",
      '11:12 error overrides[2].files: expected a list of at least 1 item, found an empty list; overrides[2] ignored',
      '11:13 error overrides[2].files[0]: expected a supported glob (extglobs such as +(a|b) or !(x) are not supported; use {a,b} or exclude), found "+(x|y)/**"; ignored',
      '12:5 error overrides[3].files: expected a list, found nothing; overrides[3] ignored',
    ]);
    // What was valid still applies; an override left without a valid files list is dropped.
    assert.equal(config.overrides.length, 2);
    assert.equal(config.overrides[0].team.hygiene?.enabled, false);
    assert.deepEqual(config.overrides[1].team, { complexity: { thresholds: {} } });
  });
});

describe('the JSON Schema and the starter file', () => {
  it('know profile, overrides and global.tests; an override carries no default', () => {
    const schema = configJsonSchema() as {
      properties: Record<string, { default?: unknown; enum?: unknown; items?: { properties: Record<string, { properties?: Record<string, unknown> }> } ; properties?: Record<string, { default?: unknown }> }>;
    };
    assert.deepEqual(schema.properties.profile.enum, ['default', 'strict']);
    assert.equal(schema.properties.profile.default, 'default');
    const override = schema.properties.overrides.items!;
    assert.deepEqual(Object.keys(override.properties).sort(), ['files', 'ignores', 'team']);
    assert.ok(!JSON.stringify(override.properties.team.properties).includes('"default"'), 'no default inside an override');
    assert.deepEqual(schema.properties.global.properties!.tests.default, DEFAULT_TEST_GLOBS);
  });

  it('the starter file shows the new keys at their defaults', () => {
    const { config, problems } = parseConfig(STARTER_CONFIG);
    assert.deepEqual(problems, []);
    assert.equal(config.profile, 'default');
    assert.deepEqual(config.global.tests, DEFAULT_TEST_GLOBS);
    assert.match(STARTER_CONFIG, /^profile: default/m);
    assert.match(STARTER_CONFIG, /^# ?overrides:/m);
  });
});

describe('test files (global.tests)', () => {
  const describe200 = longDescribe(200);

  it("a 200-line describe callback in foo.spec.ts is not reported; the same in foo.ts is", async () => {
    assert.deepEqual(await rulesAt('', 'src/foo.spec.ts', describe200), []);
    assert.deepEqual(await rulesAt('', 'src/foo.ts', describe200), ['complexity/function-length warning']);
  });

  it('the default globs cover the usual places of tests, and nothing else', () => {
    const paths = new PathConfigs(defaultConfig());
    for (const path of ['a.test.ts', 'src/a.spec.tsx', 'src/__tests__/a.ts', 'src/__mocks__/fs.js', 'test/a.ts',
      'pkg/tests/x/y.py', 'pkg/fixtures/x.json', 'src/__fixtures__/a.ts', 'tests_py/test_api.py', 'api_test.py', 'conftest.py']) {
      assert.ok(paths.isTest(path), path);
    }
    for (const path of ['src/contest.ts', 'src/testing.ts', 'src/attest/a.ts', 'a.stories.tsx', 'latest/a.ts']) {
      assert.ok(!paths.isTest(path), path);
    }
  });

  it('global.tests: [] turns the test treatment off', async () => {
    assert.deepEqual(await rulesAt('global: { tests: [] }\n', 'src/foo.spec.ts', describe200), ['complexity/function-length warning']);
  });

  it('the treatment is what TEST_TREATMENT says: stubs and await-in-loop are quiet in tests', async () => {
    assert.ok(TEST_TREATMENT.conventions?.rules?.['conventions/stub-function'] === false);
    // A mock as an editor's "implement interface" writes it, and an empty callback.
    const stub = "export function fake(): void { throw new Error('Method not implemented.'); }\nexport const onDone = () => {};\n";
    assert.deepEqual(await rulesAt('', 'src/a.ts', stub), ['conventions/stub-function warning', 'conventions/stub-function info']);
    assert.deepEqual(await rulesAt('', 'src/a.test.ts', stub), []);
    assert.deepEqual(await rulesAt('', 'src/__mocks__/a.ts', stub), []);
    const loops = 'export async function f(xs: string[]) {\n  for (const x of xs) await g(x);\n}\ndeclare function g(x: string): Promise<void>;\n';
    // Off by default (OFF_BY_DEFAULT); on with the strict profile, except in tests, whose treatment comes later.
    assert.deepEqual(await rulesAt('', 'src/a.ts', loops), []);
    assert.deepEqual((await rulesAt('profile: strict\n', 'src/a.ts', loops)).filter((r) => r.startsWith('complexity/')), ['complexity/await-in-loop warning']);
    assert.deepEqual((await rulesAt('profile: strict\n', 'test/a.ts', loops)).filter((r) => r.startsWith('complexity/')), []);
  });

  it('a rule off by default is on where the configuration says so, in full or short, and only in its languages', async () => {
    const loops = 'export async function f(xs: string[]) {\n  for (const x of xs) await g(x);\n}\ndeclare function g(x: string): Promise<void>;\n';
    assert.deepEqual(await rulesAt('team: { complexity: { rules: { await-in-loop: true } } }\n', 'src/a.ts', loops), ['complexity/await-in-loop warning']);
    const override = 'overrides: [{ files: ["src/**"], team: { complexity: { rules: { complexity/await-in-loop: true } } } }]\n';
    assert.deepEqual(await rulesAt(override, 'src/a.ts', loops), ['complexity/await-in-loop warning']);
    assert.deepEqual(await rulesAt(override, 'lib/a.ts', loops), []);
    // imports/wildcard is off in scripts only: Python's `from x import *` is reported out of the box.
    assert.deepEqual(await rulesAt('', 'src/a.py', 'from os import *\nprint(path)\n'), ['imports/wildcard warning']);
    assert.deepEqual(await rulesAt('', 'src/a.ts', "import * as fs from 'node:fs';\nfs.readFileSync('x');\n"), []);
  });

  it("a user override for tests wins over the built-in treatment", async () => {
    const yaml = 'overrides: [{ files: ["**/*.spec.ts"], team: { complexity: { rules: { function-length: true } } } }]\n';
    assert.deepEqual(await rulesAt(yaml, 'src/foo.spec.ts', describe200), ['complexity/function-length warning']);
  });

  it('the secret scan skips test files unless security.includeTests, in the base or in an override', async () => {
    const text = "const password = 'hunter2-is-not-a-real-password-4f9a';\n";
    assert.deepEqual(await rulesAt('', 'src/a.ts', text), ['security/hardcoded-secret error']);
    assert.deepEqual(await rulesAt('', 'test/a.ts', text), []);
    assert.deepEqual(await rulesAt('', 'pkg/fixtures/a.ts', text), []);
    assert.deepEqual(await rulesAt('team: { security: { includeTests: true } }\n', 'test/a.ts', text), ['security/hardcoded-secret error']);
    const override = 'overrides: [{ files: ["test/**"], team: { security: { includeTests: true } } }]\n';
    assert.deepEqual(await rulesAt(override, 'test/a.ts', text), ['security/hardcoded-secret error']);
    assert.deepEqual(await rulesAt('global: { tests: [] }\n', 'test/a.ts', text), ['security/hardcoded-secret error']);
  });
});

describe('profile', () => {
  it('every profile is a valid partial team; default sets nothing', () => {
    for (const [name, preset] of Object.entries(PROFILES)) assert.ok(teamOverrideSchema.safeParse(preset).success, name);
    assert.deepEqual(PROFILES.default, {});
    assert.deepEqual(parseConfig('profile: default\n').config, defaultConfig());
  });

  it('strict changes a threshold; what the file says wins over the profile, key by key', () => {
    const strict = parseConfig('profile: strict\n');
    assert.deepEqual(strict.problems, []);
    const threshold = PROFILES.strict.complexity!.thresholds!.cyclomatic!;
    assert.ok(threshold < defaultConfig().team.complexity.thresholds.cyclomatic);
    assert.equal(strict.config.team.complexity.thresholds.cyclomatic, threshold);
    const mine = parseConfig('profile: strict\nteam:\n  complexity:\n    thresholds: { cyclomatic: 25 }\n').config;
    assert.equal(mine.team.complexity.thresholds.cyclomatic, 25);
    assert.equal(mine.team.complexity.thresholds.functionLength, PROFILES.strict.complexity!.thresholds!.functionLength);
    assert.equal(parseConfig('profile: strict\nteam: { conventions: { requireJsDoc: false } }\n').config.team.conventions.requireJsDoc, false);
  });

  it("an invalid value of the file's falls back to the profile's, not to the schema's default", () => {
    const { config, problems } = parseConfig('profile: strict\nteam:\n  complexity:\n    thresholds: { cyclomatic: 0 }\n');
    assert.deepEqual(placed(problems).map((p) => p.split(' ').slice(0, 3).join(' ')), ['4:31 error team.complexity.thresholds.cyclomatic:']);
    assert.equal(config.team.complexity.thresholds.cyclomatic, PROFILES.strict.complexity!.thresholds!.cyclomatic);
  });

  it('an unknown profile is a problem on its value; the defaults stand in', () => {
    const { config, problems } = parseConfig('profile: strcit\n');
    assert.deepEqual(placed(problems), ['1:10 error profile: expected one of default or strict, found "strcit"; using the default']);
    assert.deepEqual(config, defaultConfig());
  });

  it('overrides apply on top of the profile', async () => {
    const yaml = 'profile: strict\noverrides: [{ files: ["legacy/**"], team: { complexity: { thresholds: { parameterCount: 5 } } } }]\n';
    assert.deepEqual(await rulesAt(yaml, 'src/a.ts', FIVE_PARAMETERS).then((r) => r.filter((x) => x.startsWith('complexity'))),
      ['complexity/parameter-count warning']);
    assert.deepEqual(await rulesAt(yaml, 'legacy/a.ts', FIVE_PARAMETERS).then((r) => r.filter((x) => x.startsWith('complexity'))), []);
  });
});

describe('CLI: findings per path, cold and warm, in the runner threads', () => {
  it('a rule an override turns off for tests is not reported there, on a cold run nor on a warm one', { timeout: 120_000 }, async () => {
    const root = tree({ 'src/a.ts': FIVE_PARAMETERS, 'src/a.spec.ts': FIVE_PARAMETERS, 'src/long.spec.ts': longDescribe(120) });
    const cacheDir = tempDir('mt-overrides-cache-');
    const audit = async () => {
      const { report } = await json(['audit', '.', '--cache-dir', cacheDir, '--fail-on', 'never'], root, { inThread: false });
      return Object.fromEntries(report.files.map((f) => [f.path, f.findings.map((x) => x.rule).filter((r) => r.startsWith('complexity/'))]));
    };
    // Warm the cache under the strict thresholds without an override: the spec file is reported.
    writeFileSync(join(root, 'maintenance-team.yaml'), 'team: { complexity: { thresholds: { parameterCount: 4 } } }\n');
    assert.deepEqual(await audit(), {
      'maintenance-team.yaml': [], 'src/a.spec.ts': ['complexity/parameter-count'], 'src/a.ts': ['complexity/parameter-count'],
      'src/long.spec.ts': [],
    });
    writeFileSync(join(root, 'maintenance-team.yaml'), 'team: { complexity: { thresholds: { parameterCount: 4 } } }\n'
      + 'overrides:\n  - files: ["**/*.spec.ts"]\n    team: { complexity: { rules: { parameter-count: false } } }\n');
    const expected = {
      'maintenance-team.yaml': [], 'src/a.spec.ts': [], 'src/a.ts': ['complexity/parameter-count'], 'src/long.spec.ts': [],
    };
    assert.deepEqual(await audit(), expected, 'after the override, with the earlier results cached');
    assert.deepEqual(await audit(), expected, 'warm');
  });

  it('a file named on the command line gets the overrides of the configuration above it', async () => {
    const root = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'maintenance-team.yaml': 'overrides: [{ files: ["src/gen/**"], team: { conventions: { enabled: false } } }]\n',
      'src/gen/a.ts': 'export function fake(): void {}\n',
      'src/b.ts': 'export function fake(): void {}\n',
    });
    const rules = async (path: string) => (await json(['audit', path, '--no-cache', '--fail-on', 'never'], root))
      .report.files.flatMap((f) => f.findings.map((x) => x.rule));
    assert.deepEqual(await rules('src/gen/a.ts'), []);
    assert.deepEqual(await rules('src/gen'), []);
    assert.deepEqual(await rules('src/b.ts'), ['conventions/stub-function']);
  });
});

describe('fixes under the file\'s configuration', () => {
  // The base turns hygiene off; an override turns it back on for src/: only there are trailing blanks found and fixed.
  const yaml = 'team: { hygiene: { enabled: false } }\noverrides: [{ files: ["src/**"], team: { hygiene: { enabled: true } } }]\n';

  it("the editor's fix of a file is found and proved by the file's team, and judged on save by its configuration", async () => {
    const { config } = parseConfig(yaml);
    const teams = new FileTeams(config, createTeam);
    const request = (path: string, onSave?: { cursorLines: number[]; burst: [] }) =>
      ({ type: 'fixText' as const, id: 1, path, text: 'export const a = 1;  \n', config, ...(onSave ? { onSave } : {}) });
    const fixed = await fixText(request('src/a.ts'), (path) => teams.forPath(path), signal);
    assert.equal(fixed.text, 'export const a = 1;\n');
    assert.equal((await fixText(request('lib/a.ts'), (path) => teams.forPath(path), signal)).text, 'export const a = 1;  \n');
    assert.equal((await fixText(request('src/a.ts', { cursorLines: [], burst: [] }), (path) => teams.forPath(path), signal)).text,
      'export const a = 1;\n');
  });

  it('--fix, with the runner threads: each file is fixed and re-audited under its own configuration', { timeout: 120_000 }, async () => {
    const root = tree({ 'maintenance-team.yaml': yaml, 'src/a.ts': 'export const a = 1;  \n', 'lib/b.ts': 'export const b = 1;  \n' });
    const { code, stderr } = await run(['audit', '.', '--fix', '--no-cache', '--fail-on', 'info'], root, { inThread: false });
    assert.equal(code, 0, stderr);
    assert.equal(readFileSync(join(root, 'src/a.ts'), 'utf8'), 'export const a = 1;\n');
    assert.equal(readFileSync(join(root, 'lib/b.ts'), 'utf8'), 'export const b = 1;  \n');
  });
});
