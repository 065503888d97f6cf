/**
 * `npm run calibrate` (issue 21, item 5): how many findings each rule reports per 1,000 lines on well-maintained
 * public TypeScript codebases, test files apart, and the distributions of the complexity measures the thresholds
 * are chosen from. Prints Markdown tables on stdout (docs/calibration.md quotes them); progress on stderr.
 *
 *   npm run calibrate                          the defaults (a configuration file of nothing)
 *   npm run calibrate -- --profile strict      a configuration of `profile: strict`
 *   npm run calibrate -- --config FILE         any maintenance-team.yaml (read by the CLI's own loader)
 *   npm run calibrate -- --codebase theia      only the codebases named (repeatable)
 *
 * Each codebase is the `src/` folder (every file in it: sources, tests, styles, icons) and package.json of pinned
 * npm packages, fetched once with `npm pack` into node_modules/.cache/maintenance-team-calibrate and checked against
 * the registry's integrity. The audit is the CLI's (`maintenance-team audit DIR --format json --no-cache`), run in
 * this process; so whatever the configuration can say (overrides, a profile, test globs) applies as a user gets it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { auditCodebase, measureCodebase } from './calibrate/audit';
import { materialize, type Codebase } from './calibrate/corpus';
import { TEST_GLOBS } from './calibrate/stats';
import {
  candidateTable, corpusTable, distributionTable, nonScriptTable, ruleTable, totalsTable, type CodebaseResult,
} from './calibrate/tables';

/** The pinned codebases: exact versions, so that a re-run measures the same code. */
export const CODEBASES: readonly Codebase[] = [
  {
    id: 'theia',
    why: 'the codebase of the issue (an IDE of the Eclipse Foundation, linted with ESLint), its spec tests beside the sources',
    packages: [
      { name: '@theia/core', version: '1.74.1', folder: 'core' },
      { name: '@theia/editor', version: '1.74.1', folder: 'editor' },
      { name: '@theia/filesystem', version: '1.74.1', folder: 'filesystem' },
    ],
  },
  {
    id: 'effect',
    why: 'a large, heavily typed functional library (generics, pipe-style APIs, long JSDoc), another style of code',
    packages: [{ name: 'effect', version: '4.1.5', folder: '' }],
  },
  {
    id: 'zod',
    why: 'a widely used validation library that publishes its Vitest suites in src/: test files measured on a second codebase',
    packages: [{ name: 'zod', version: '4.6.7', folder: '' }],
  },
  {
    id: 'rxjs',
    why: 'a long-lived library of classes and operators; stands in for typescript-eslint, whose packages publish only dist/',
    packages: [{ name: 'rxjs', version: '7.8.2', folder: '' }],
  },
];

const ROOT = join(__dirname, '..');

const USAGE = `usage: npm run calibrate -- [--profile NAME | --config FILE] [--codebase ID]...
codebases: ${CODEBASES.map((c) => c.id).join(', ')}\n`;

interface Options {
  /** The configuration file the audits read (a temporary one for the defaults and for --profile). */
  readonly config?: string;
  readonly profile?: string;
  readonly codebases: readonly Codebase[];
}

function parseOptions(argv: readonly string[]): Options {
  let config: string | undefined;
  let profile: string | undefined;
  const ids: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--help' || argv[i] === '-h') throw new Error(USAGE);
    if (value === undefined) throw new Error(`${argv[i]}: unknown option or missing value\n${USAGE}`);
    if (argv[i] === '--config') config = resolve(value);
    else if (argv[i] === '--profile') profile = value;
    else if (argv[i] === '--codebase') ids.push(value);
    else throw new Error(`${argv[i]}: unknown option\n${USAGE}`);
    i++;
  }
  if (config !== undefined && profile !== undefined) throw new Error(`--config and --profile: one or the other\n${USAGE}`);
  const unknown = ids.filter((id) => !CODEBASES.some((c) => c.id === id));
  if (unknown.length > 0) throw new Error(`unknown codebase: ${unknown.join(', ')}\n${USAGE}`);
  return { config, profile, codebases: ids.length > 0 ? CODEBASES.filter((c) => ids.includes(c.id)) : CODEBASES };
}

/** The configuration file of the run: the one given, else a temporary one (empty, or naming the profile). */
function configFile(options: Options, dir: string): { path: string; describe: string } {
  if (options.config !== undefined) return { path: options.config, describe: `--config ${options.config}` };
  const path = join(dir, 'maintenance-team.yaml');
  writeFileSync(path, options.profile === undefined ? '# the defaults\n' : `profile: ${options.profile}\n`);
  return { path, describe: options.profile === undefined ? 'the defaults (an empty configuration)' : `\`profile: ${options.profile}\`` };
}

async function measure(codebase: Codebase, dir: string, config: string, log: (line: string) => void): Promise<CodebaseResult> {
  const root = join(dir, codebase.id);
  await materialize(ROOT, codebase, root, log);
  log(`${codebase.id}: audit`);
  // --strict-config: a configuration the CLI cannot fully apply (an unknown `profile` key before profiles exist)
  // stops the run instead of measuring the defaults under another name.
  const audit = await auditCodebase(root, ['--config', config, '--strict-config']);
  if (audit.stderr.trim()) log(`${codebase.id}: the CLI said:\n${audit.stderr.trim()}`);
  log(`${codebase.id}: complexity measures`);
  return { codebase, audit, measures: measureCodebase(root, audit.files) };
}

/**
 * The closing figure of issue 21: every finding on Theia's three packages, and the same without the test files'
 * `imports/undeclared-dependency` findings, whose packages (chai, sinon) Theia declares in its workspace root's
 * package.json: the rule reads a workspaces root, but npm publishes none, so here they are artefacts of the corpus.
 */
function theiaLine(results: readonly CodebaseResult[]): string[] {
  const theia = results.find((r) => r.codebase.id === 'theia');
  if (!theia) return [];
  const files = theia.audit.files;
  const total = files.reduce((n, f) => n + f.rules.length, 0);
  const artefacts = files.filter((f) => f.test)
    .reduce((n, f) => n + f.rules.filter((rule) => rule === 'imports/undeclared-dependency').length, 0);
  return [
    `**Theia core + editor + filesystem: ${total} findings** in ${files.length} files; ${total - artefacts} without the `
      + `${artefacts} \`imports/undeclared-dependency\` findings of test files (chai, sinon: declared in Theia's workspace `
      + 'root package.json, which is not published).',
    '',
  ];
}

function markdown(results: readonly CodebaseResult[], configuration: string): string {
  return [
    `# Calibration: findings per 1,000 lines (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Configuration: ${configuration}. Test files: ${TEST_GLOBS.map((g) => `\`${g}\``).join(', ')}.`,
    '',
    corpusTable(results),
    '',
    ...theiaLine(results),
    '## Totals', '', totalsTable(results), '',
    '## Findings per rule: files other than tests', '', ruleTable(results, 'others'), '',
    '## Findings per rule: test files', '', ruleTable(results, 'tests'), '',
    '## Files that are not scripts: findings by extension', '', nonScriptTable(results), '',
    '## Complexity measures (every function; the complexity agent\'s own values)', '', distributionTable(results), '',
    '## Candidate limits: findings · per 1,000 lines (reported when the measure is strictly above the limit)', '',
    candidateTable(results), '',
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const log = (line: string) => console.error(`[calibrate ${((performance.now() - started) / 1000).toFixed(0)} s] ${line}`);
  const options = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'mt-calibrate-'));
  try {
    const config = configFile(options, dir);
    const results: CodebaseResult[] = [];
    for (const codebase of options.codebases) results.push(await measure(codebase, dir, config.path, log));
    console.log(markdown(results, config.describe));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
