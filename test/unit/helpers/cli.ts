import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JsonReport } from '../../../src/reports/reporter';
import { main, type MainOptions } from '../../../src/cli/main';
import { tempDir } from './tempDirs';

/**
 * A temp folder holding `files` (text or bytes), removed when the test file ends. It is outside any repository
 * (the system temp folder has no `.git` above it): add a `.git/HEAD` to make it a repository root.
 */
export function tree(files: Record<string, string | Uint8Array> = {}): string {
  const root = tempDir('mt-cli-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The platform cache folder of these runs (XDG_CACHE_HOME), so tests never share the user's cache. */
export const cacheHome = tree();

/** What one in-process CLI run printed and returned. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in-process with captured output, as a terminal in `cwd` would. Agents run on this thread unless
 * `options.inThread` is false (a worker thread's start-up under tsx costs a second or two).
 */
export async function run(argv: string[], cwd: string, options: MainOptions = {}, signal?: AbortSignal): Promise<Run> {
  return runIn({ XDG_CACHE_HOME: cacheHome }, argv, cwd, options, signal);
}

/** {@link run} with exactly the environment `env` (nothing of this process's own). */
export async function runIn(
  env: Readonly<Record<string, string>>, argv: string[], cwd: string, options: MainOptions = {}, signal?: AbortSignal,
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    signal,
    env,
  }, { inThread: true, ...options });
  return { code, stdout, stderr };
}

/** Runs the CLI with `--format json` and parses its report. */
export async function json(
  argv: string[], cwd: string, options: MainOptions = {},
): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const { code, stdout, stderr } = await run([...argv, '--format', 'json'], cwd, options);
  return { code, report: JSON.parse(stdout) as JsonReport, stderr };
}

/** The built CLI (`npm run build` writes it), which some tests run as a separate process, as a user would. */
export const BUILT_CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/**
 * Runs {@link BUILT_CLI} in `cwd` with the environment `env` plus this process's PATH (nothing else of it), at
 * most `timeoutMs`. Unlike {@link runIn}, the agents' registry reads `env` too (MAINTENANCE_TEAM_TEST_AGENTS).
 */
export function runBuilt(env: Readonly<Record<string, string>>, argv: string[], cwd: string, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const options = { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: timeoutMs, encoding: 'utf8' as const };
    execFile(process.execPath, [BUILT_CLI, ...argv], options, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr: `${stderr}${error !== null && code === -1 ? String(error) : ''}` });
    });
  });
}
