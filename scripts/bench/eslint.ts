/**
 * The reference point of issue 8: ESLint 9 with typescript-eslint (no type information) and the rules closest to
 * the default agents', linting the corpus cold in its own process. Optional: skipped when either package does
 * not resolve, and stopped at a time limit.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Our rules' nearest ESLint equivalents, with our default thresholds (src/core/config/schema.ts). */
const RULES: Record<string, unknown> = {
  '@typescript-eslint/no-unused-vars': 'warn',
  complexity: ['warn', 10],
  'max-depth': ['warn', 4],
  'max-lines-per-function': ['warn', 80],
  'max-lines': ['warn', 1000],
  'max-params': ['warn', 5],
  'no-await-in-loop': 'warn',
  'no-eval': 'warn',
  'no-implied-eval': 'warn',
  'no-new-func': 'warn',
  'no-trailing-spaces': 'warn',
  'no-mixed-spaces-and-tabs': 'warn',
  'no-multiple-empty-lines': 'warn',
  'eol-last': 'warn',
  camelcase: 'warn',
  '@typescript-eslint/no-empty-function': 'warn',
};

/** The ESLint rules the bench turns on, for the report. */
export const ESLINT_RULES: readonly string[] = Object.keys(RULES);

/** What resolving ESLint found: the CLI to run and the typescript-eslint entry, or why it cannot run. */
type EslintSetup = { readonly cli: string; readonly tsEslint: string } | { readonly missing: string };

/** ESLint's bin and typescript-eslint's entry, as this project resolves them. */
export function resolveEslint(projectRoot: string): EslintSetup {
  const require = createRequire(join(projectRoot, 'package.json'));
  try {
    // eslint/bin is not in its package's exports: go from its main entry (lib/api.js) to the package folder.
    const api = require.resolve('eslint');
    return { cli: join(dirname(dirname(api)), 'bin', 'eslint.js'), tsEslint: require.resolve('typescript-eslint') };
  } catch (error) {
    return { missing: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

/**
 * A flat config beside the corpus (ESLint ignores files outside its config's folder), importing
 * typescript-eslint by absolute URL since nothing resolves from the temporary folder.
 */
function writeConfig(dir: string, tsEslint: string): string {
  const file = join(dir, 'eslint.config.mjs');
  writeFileSync(file, [
    `import tseslint from ${JSON.stringify(pathToFileURL(tsEslint).href)};`,
    'export default [{',
    "  files: ['corpus/**/*.ts', 'corpus/**/*.tsx'],",
    '  languageOptions: { parser: tseslint.parser },',
    '  plugins: { "@typescript-eslint": tseslint.plugin },',
    '  linterOptions: { reportUnusedDisableDirectives: "off" },',
    `  rules: ${JSON.stringify(RULES)},`,
    '}];',
    '',
  ].join('\n'));
  return file;
}

/** How the ESLint run went. */
export type EslintRun =
  | { readonly ok: true; readonly ms: number; readonly rules: number }
  | { readonly ok: false; readonly reason: string };

/** Lints `dir/corpus` cold (no `--cache`) with the equivalent rules; gives up after `timeoutMs`. */
export async function runEslint(projectRoot: string, dir: string, timeoutMs: number): Promise<EslintRun> {
  const setup = resolveEslint(projectRoot);
  if ('missing' in setup) return { ok: false, reason: `not installed (${setup.missing})` };
  const config = writeConfig(dir, setup.tsEslint);
  const args = [setup.cli, '--config', config, '--format', 'json', '--output-file', join(dir, 'eslint.json'), 'corpus'];
  const started = performance.now();
  const outcome = await new Promise<{ code: number | null; stderr: string; timedOut: boolean }>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stderr, timedOut }); });
  });
  const ms = performance.now() - started;
  if (outcome.timedOut) return { ok: false, reason: `stopped after ${Math.round(timeoutMs / 1000)} s (BENCH_ESLINT_TIMEOUT_S)` };
  // 0: no problems; 1: problems found (expected); 2: ESLint itself failed.
  if (outcome.code !== 0 && outcome.code !== 1) {
    return { ok: false, reason: `exited with ${outcome.code}: ${outcome.stderr.trim().split('\n').slice(0, 2).join(' | ')}` };
  }
  return { ok: true, ms, rules: Object.keys(RULES).length };
}
