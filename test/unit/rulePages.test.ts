// A page per rule (issue 21, item 4): every rule of the catalogue has docs/rules/<agent>/<name>.md with the same
// sections in the same order, docs/rules.md links them all, and each page's examples are true: the configured
// team reports the rule on the "Code it flags" block and not on the "Code it does not flag" block.
//
// Example blocks: the first fenced block under each of the two headings. A `<!-- example: ... -->` line right
// before the fence says how to run it:
//   file=<path>          the file's path (default src/example.<ts|js|py> from the fence's language)
//   visible-whitespace   `·` is a space, `→` a tab, a line holding only `↵` an empty line, a final `␄` ends the
//                        file without a line break (so the page itself has no trailing blanks, tabs or blank runs)
//   threshold=<key>:<n>  runs with `team.complexity.thresholds.<key>: n` (a page of code would show the default)
//   not-run: <reason>    the example needs a context a single text cannot give (a package.json, the engine
//                        around the agents): `NOT_RUN` below lists each one, so none hides.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { createTeam } from '../../src/agents/registry';
import { RULES_BY_AGENT } from '../../src/core/config/rules';
import { configSchema, defaultConfig } from '../../src/core/config/schema';
import { auditText } from '../../src/core/run/execution';
import { REPOSITORY_URL } from '../../src/core/version';
import { describeRule, RULE_IDS } from '../../src/reports/ruleCatalogue';
import { RULE_PAGE_SECTIONS, rulePagePath } from '../../src/reports/rulePages';

const ROOT = join(__dirname, '..', '..');
const RULES_DIR = join(ROOT, 'docs', 'rules');

/** Every rule of the catalogue, the engine's suppression rules included (ENGINE_RULES). */
const RULES: readonly string[] = RULE_IDS;

type Kind = 'flags' | 'does not flag';
const HEADING: Record<Kind, string> = { flags: 'Code it flags', 'does not flag': 'Code it does not flag' };

/** Every example not run, and why: the engine's own rules, and the one that needs a package.json beside the text. */
const NOT_RUN: ReadonlyMap<string, readonly Kind[]> = new Map([
  ['imports/undeclared-dependency', ['flags']],
  ...['agent-failed', 'parse-failed', 'findings-capped', 'invalid-suppression', 'unused-suppression']
    .map((name): [string, Kind[]] => [`maintenance/${name}`, ['flags', 'does not flag']]),
]);

/** `complexity/<name>` page → its threshold key, whose default the page must state. */
const THRESHOLDS: Readonly<Record<string, keyof ReturnType<typeof defaultConfig>['team']['complexity']['thresholds']>> = {
  'complexity/cyclomatic': 'cyclomatic', 'complexity/nesting-depth': 'nestingDepth',
  'complexity/function-length': 'functionLength', 'complexity/file-length': 'fileLength',
  'complexity/parameter-count': 'parameterCount',
};

interface Example {
  readonly lang: string;
  readonly code: string;
  readonly options: string;
}

function page(rule: string): string {
  const file = join(ROOT, rulePagePath(rule)!);
  assert.ok(existsSync(file), `${rule} has no page: ${relative(ROOT, file)}`);
  return readFileSync(file, 'utf8');
}

/** The page's `## ` headings in order, and each one's text. */
function sections(text: string): Map<string, string> {
  const result = new Map<string, string>();
  const parts = text.split(/^## /m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    result.set(part.slice(0, newline).trim(), part.slice(newline + 1));
  }
  return result;
}

function example(rule: string, kind: Kind): Example {
  const body = sections(page(rule)).get(HEADING[kind]) ?? '';
  const match = /(?:<!-- example: ([^>]*?) -->\n)?```(\w+)\n([\s\S]*?)^```$/m.exec(body);
  assert.ok(match, `${rule}: no code block under "${HEADING[kind]}"`);
  return { options: match[1] ?? '', lang: match[2], code: match[3] };
}

/** The text an example stands for, and the path it is audited under. */
function exampleFile(example: Example): { path: string; text: string } {
  const file = /(?:^|\s)file=(\S+)/.exec(example.options)?.[1];
  const path = file ?? `src/example.${example.lang === 'python' ? 'py' : example.lang}`;
  if (!/(?:^|\s)visible-whitespace(?:\s|$)/.test(example.options)) return { path, text: example.code };
  let text = example.code.replace(/^↵$/gm, '').replaceAll('·', ' ').replaceAll('→', '\t');
  if (text.endsWith('␄\n')) text = text.slice(0, -'␄\n'.length);
  return { path, text };
}

/**
 * The configured team with the page's rule turned on (a rule may be off by default: the opt-in
 * `conventions/missing-jsdoc`, or one a profile leaves off) and the example's threshold, if any.
 */
function teamFor(rule: string, options: string) {
  const threshold = /(?:^|\s)threshold=(\w+):(\d+)/.exec(options);
  const thresholds = threshold ? { [threshold[1]]: Number(threshold[2]) } : {};
  const agent = Object.entries(RULES_BY_AGENT).find(([, rules]) => (rules as readonly string[]).includes(rule))?.[0];
  assert.ok(agent, `${rule}: no agent reports it`);
  const team: Record<string, unknown> = { conventions: { requireJsDoc: true }, complexity: { thresholds } };
  team[agent] = { ...(team[agent] as object | undefined), rules: { [rule]: true } };
  return createTeam(configSchema.parse({ team }));
}

async function rulesReported(rule: string, path: string, text: string, options: string): Promise<string[]> {
  const audit = await auditText(path, text, teamFor(rule, options), new AbortController().signal);
  assert.deepEqual(audit.failures, [], `an agent failed on the example ${path}`);
  return audit.findings.map((f) => f.rule);
}

function pagesOnDisk(dir = RULES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory()
    ? pagesOnDisk(join(dir, entry.name))
    : entry.name.endsWith('.md') ? [relative(RULES_DIR, join(dir, entry.name)).split('\\').join('/')] : []));
}

describe('rule pages: one per rule, same sections', () => {
  for (const rule of RULES) {
    it(`${rule}: docs/rules/${rule}.md has the title and every section, in order`, () => {
      // A page may open with HTML comments (a suppression of its own example's finding, for the project's self-audit).
      const text = page(rule).replace(/^(?:<!--.*-->\n)+/, '');
      assert.ok(text.startsWith(`# ${rule}\n`), `${rule}: the page starts with "# ${rule}"`);
      assert.deepEqual([...sections(text).keys()], [...RULE_PAGE_SECTIONS], `${rule}: sections`);
      for (const [heading, body] of sections(text)) assert.ok(body.trim().length > 0, `${rule}: "${heading}" is empty`);
      const severity = describeRule(rule)?.severity;
      if (severity) assert.match(text, new RegExp(`\\*\\*Default severity:\\*\\* ${severity}\\b`), `${rule}: default severity`);
      if (rule in THRESHOLDS) {
        const value = defaultConfig().team.complexity.thresholds[THRESHOLDS[rule]];
        assert.match(sections(text).get('Options')!, new RegExp(`default ${value.toLocaleString('en-US')}\\b`), `${rule}: threshold`);
      }
    });
  }

  it('no page without a rule, and docs/rules.md links every page', () => {
    const expected = RULES.map((rule) => `${rule}.md`).sort();
    assert.deepEqual(pagesOnDisk().sort(), expected);
    const index = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
    for (const rule of RULES) assert.ok(index.includes(`](rules/${rule}.md)`), `docs/rules.md links ${rule}`);
  });

  it('relative links of the pages lead to shipped files that exist (the preview follows them offline)', () => {
    for (const name of pagesOnDisk()) {
      const file = join(RULES_DIR, name);
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const to = resolve(dirname(file), target);
        assert.ok(existsSync(to), `${name} links ${target}, which does not exist`);
        // The extension ships docs/rules.md and docs/rules/ (.vscodeignore), nothing else of docs/.
        const shipped = to === join(ROOT, 'docs', 'rules.md') || !relative(RULES_DIR, to).startsWith('..');
        assert.ok(shipped, `${name} links ${target}, which the extension does not ship`);
      }
    }
  });

  it('the repository URL of the links is package.json\'s', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
    assert.equal(REPOSITORY_URL, pkg.repository.url);
  });
});

describe('rule pages: the examples are true', () => {
  for (const rule of RULES) {
    for (const kind of ['flags', 'does not flag'] as const) {
      it(`${rule}: the "${HEADING[kind]}" example ${NOT_RUN.get(rule)?.includes(kind) ? 'is marked not-run' : `${kind === 'flags' ? 'is' : 'is not'} reported`}`, async () => {
        const ex = example(rule, kind);
        const notRun = /(?:^|\s)not-run:/.test(ex.options);
        assert.equal(notRun, NOT_RUN.get(rule)?.includes(kind) ?? false, `${rule}: not-run marker vs NOT_RUN`);
        if (notRun) return;
        const { path, text } = exampleFile(ex);
        const reported = await rulesReported(rule, path, text, ex.options);
        if (kind === 'flags') assert.ok(reported.includes(rule), `${rule} not reported on its example; got ${reported.join(', ') || 'nothing'}`);
        else assert.ok(!reported.includes(rule), `${rule} reported on its counter-example`);
      });
    }
  }
});
