import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createTeam } from '../../src/agents/registry';
import { parseConfig } from '../../src/core/config/load';
import { configSchema, defaultConfig, type TeamConfig } from '../../src/core/config/schema';
import { auditText } from '../../src/core/run/execution';
import type { Finding } from '../../src/core/model';
import { fixesAllowedOnSave, type HoldReason, type SaveContext } from '../../src/fixes/savePolicy';
import { fixText } from '../../src/worker/fixRequests';

const signal = new AbortController().signal;

async function fixable(path: string, text: string, config: TeamConfig = defaultConfig()): Promise<Finding[]> {
  const { findings } = await auditText(path, text, createTeam(config), signal);
  return findings.filter((f) => f.fix);
}

/** `rule@line → reason` for every held fix, `rule@line` for every allowed one, sorted. */
async function decide(
  path: string, text: string, context: Partial<SaveContext> = {}, config: TeamConfig = defaultConfig(),
): Promise<{ allowed: string[]; held: string[] }> {
  const decision = fixesAllowedOnSave(await fixable(path, text, config), { text, cursorLines: [], burst: [], ...context }, config);
  const at = (f: Finding) => `${f.rule}@${f.range.start.line}`;
  return {
    allowed: decision.allowed.map(at).sort(),
    held: decision.held.map(({ finding, reason }) => `${at(finding)} → ${reason}`).sort(),
  };
}

const config = (input: unknown): TeamConfig => configSchema.parse(input);
/** The span of `part` in `text` (its first occurrence). */
const spanOf = (text: string, part: string) => ({ start: text.indexOf(part), end: text.indexOf(part) + part.length });

const withUnused = "import { used, unused } from './lib';\nexport const x = used;  \n";

test('by default only safe fixes run on save: whitespace yes, removing an unused import no', async () => {
  assert.deepEqual(await decide('a.ts', withUnused), {
    allowed: ['hygiene/trailing-whitespace@2'],
    held: ['imports/unused@1 → unsafe'],
  });
});

test('each rule\'s fix is classified: layout and merging duplicates are safe, removing or rewriting code is not', async () => {
  const text = [
    "import { a } from './a';",
    "import { b } from './a';",
    "import * as ns from './ns';",
    "import { gone } from './gone';",
    'export const v = a + b + ns.one;   ',
    '', '', '', '',
    'export const w = 1;',
  ].join('\n');
  const safety = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.rule, f.fix?.safe === true]));
  // imports/wildcard is off by default in scripts: on here, to classify its fix too.
  assert.deepEqual(safety(await fixable('a.ts', text, config({ team: { imports: { rules: { wildcard: true } } } }))), {
    'imports/duplicate': true,
    'imports/wildcard': false,
    'imports/unused': false,
    'hygiene/trailing-whitespace': true,
    'hygiene/consecutive-blank-lines': true,
    'hygiene/final-newline': true,
  });
});

test('re-indenting is safe in scripts only: indentation is syntax in Python and meaning in Markdown', async () => {
  const mixed = (body: string) => `${body}\n    a\n    b\n\tc\n`;
  const indentSafety = async (path: string) => (await fixable(path, mixed('x')))
    .filter((f) => f.rule === 'hygiene/mixed-indentation').map((f) => f.fix?.safe);
  assert.deepEqual(await indentSafety('a.ts'), [true]);
  assert.deepEqual(await indentSafety('a.py'), [false]);
  assert.deepEqual(await indentSafety('notes.md'), [false]);
});

test('team.<agent>.fixOnSave opts an unsafe rule in (short or full id) and keeps a safe one out', async () => {
  assert.deepEqual((await decide('a.ts', withUnused, {}, config({ team: { imports: { fixOnSave: { unused: true } } } }))).allowed,
    ['hygiene/trailing-whitespace@2', 'imports/unused@1']);
  assert.deepEqual((await decide('a.ts', withUnused, {}, config({ team: { imports: { fixOnSave: { 'imports/unused': true } } } }))).allowed,
    ['hygiene/trailing-whitespace@2', 'imports/unused@1']);
  const off = config({ team: { hygiene: { fixOnSave: { 'trailing-whitespace': false } } } });
  assert.deepEqual((await decide('a.ts', withUnused, {}, off)).held,
    ['hygiene/trailing-whitespace@2 → disabled', 'imports/unused@1 → unsafe']);
});

test('fixOnSave is validated like rules: a misspelt rule is a config problem, the default is empty', () => {
  assert.deepEqual(defaultConfig().team.imports.fixOnSave, {});
  const loaded = parseConfig('team:\n  imports:\n    fixOnSave:\n      unusd: true\n');
  assert.equal(loaded.problems.length, 1);
  assert.equal(loaded.problems[0].range.start.line, 4);
});

test('a fix touching a line with a cursor is held; the other lines are fixed', async () => {
  const text = 'const a = 1;  \nconst b = 2;  \nconst c = 3;  \n';
  assert.deepEqual(await decide('a.ts', text, { cursorLines: [2] }), {
    allowed: ['hygiene/trailing-whitespace@1', 'hygiene/trailing-whitespace@3'],
    held: ['hygiene/trailing-whitespace@2 → cursor-line'],
  });
  // Every cursor counts (multi-cursor editing).
  assert.deepEqual((await decide('a.ts', text, { cursorLines: [1, 3] })).allowed, ['hygiene/trailing-whitespace@2']);
});

test('removing blank lines is held when the cursor is on one of them, not when it is on the line after', async () => {
  const text = 'const a = 1;\n\n\n\n\nconst b = 2;\n';
  assert.deepEqual((await decide('a.ts', text, { cursorLines: [5] })).held, ['hygiene/consecutive-blank-lines@4 → cursor-line']);
  assert.deepEqual((await decide('a.ts', text, { cursorLines: [6] })).allowed, ['hygiene/consecutive-blank-lines@4']);
});

test('adding the final newline is held while the cursor is on the last line', async () => {
  const text = 'const a = 1;\nconst b = 2;';
  assert.deepEqual((await decide('a.ts', text, { cursorLines: [2] })).held, ['hygiene/final-newline@2 → cursor-line']);
  assert.deepEqual((await decide('a.ts', text, { cursorLines: [1] })).allowed, ['hygiene/final-newline@2']);
});

test('an import typed in the current burst is never removed, even with the rule opted in', async () => {
  const optedIn = config({ team: { imports: { fixOnSave: { unused: true } } } });
  const typed = "import { unused } from './lib';\n";
  const text = `${typed}import { old } from './old';\nexport const x = 1;\n`;
  assert.deepEqual(await decide('a.ts', text, { burst: [spanOf(text, typed)] }, optedIn), {
    allowed: ['imports/unused@2'],
    held: ['imports/unused@1 → burst'],
  });
  // A name typed into an existing import is protected as well.
  const grown = "import { old, fresh } from './old';\nexport const x = old;\n";
  assert.deepEqual((await decide('a.ts', grown, { burst: [spanOf(grown, ', fresh')] }, optedIn)).held, ['imports/unused@1 → burst']);
});

test('whitespace fixes may touch text of the burst; an insertion at the edge of a typed span does not count', async () => {
  const text = 'export const typed = 1;   \nexport const b = 2;';
  const burst = [spanOf(text, 'export const typed = 1;   \n')];
  assert.deepEqual((await decide('a.ts', text, { burst })).allowed,
    ['hygiene/final-newline@2', 'hygiene/trailing-whitespace@1']);
  // The final newline is inserted right at the end of a span typed last: not inside it.
  assert.deepEqual((await decide('a.ts', text, { burst: [spanOf(text, 'export const b = 2;')] })).allowed,
    ['hygiene/final-newline@2', 'hygiene/trailing-whitespace@1']);
});

test('merging a duplicate import just typed into the older one is held (it would delete the typed line)', async () => {
  const typed = "import { b } from './a';\n";
  const text = `import { a } from './a';\n${typed}export const v = a + b;\n`;
  assert.deepEqual(await decide('a.ts', text, { burst: [spanOf(text, typed)] }), {
    allowed: [],
    held: ['imports/duplicate@2 → burst'],
  });
  assert.deepEqual((await decide('a.ts', text)).allowed, ['imports/duplicate@2']);
});

test('a finding without a fix is never applied', () => {
  const finding: Finding = {
    agent: 'complexity', rule: 'complexity/cyclomatic', severity: 'warning', message: 'too complex',
    range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
  };
  const decision = fixesAllowedOnSave([finding], { text: 'x', cursorLines: [], burst: [] }, defaultConfig());
  assert.deepEqual(decision.held.map((h) => h.reason), ['no-fix' satisfies HoldReason]);
});

test('the engine fixes a saved text under the policy: the cursor line and the typed import stay, the rest is fixed', async () => {
  const typed = "import { typed } from './typed';\n";
  const text = `${typed}import { stale } from './stale';\nexport const a = 1;  \nexport const b = 2;  \n`;
  const cfg = config({ team: { imports: { fixOnSave: { unused: true } } } });
  const answer = await fixText({
    type: 'fixText', id: 1, path: 'a.ts', text, config: cfg,
    onSave: { cursorLines: [4], burst: [spanOf(text, typed)] },
  }, createTeam(cfg), signal);
  assert.equal(answer.text, `${typed}export const a = 1;\nexport const b = 2;  \n`);
  // Without the guard the same request fixes everything (the policy, not the request, held them back).
  const all = await fixText({ type: 'fixText', id: 2, path: 'a.ts', text, config: cfg }, createTeam(cfg), signal);
  assert.equal(all.text, 'export const a = 1;\nexport const b = 2;\n');
});
