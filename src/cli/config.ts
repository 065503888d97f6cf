import { access, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { findConfigFile, readConfigFile, runSettingsOf, type RunSettings } from '../core/config/configFile';
import type { ConfigProblem } from '../core/config/load';
import { defaultConfig, type TeamConfig } from '../core/config/schema';
import { escapeControls } from '../core/terminalText';
import { TOOL_NAME } from '../core/version';
import { countOf } from '../core/wording';
import type { AuditCommand } from './args';
import type { CliIo } from './main';

/** The configuration of one CLI run. */
export interface CliConfig {
  readonly config: TeamConfig;
  readonly settings: RunSettings;
  /** The file it came from; undefined when none was found (defaults). */
  readonly path?: string;
  /** True when the run must stop with exit code 2 (missing --config file, or a problem under --strict-config). */
  readonly refused: boolean;
}

/**
 * Finds and reads the configuration: `--config FILE`, else maintenance-team.yaml in the audited folder (the
 * file's folder for a file) or its nearest ancestor up to the repository root. Every problem is printed to
 * stderr as `file:line:column: severity: message`; the defaults stand in for what is invalid unless
 * `--strict-config` is given.
 */
export async function loadCliConfig(command: AuditCommand, absPath: string, io: CliIo): Promise<CliConfig> {
  let path: string | undefined;
  if (command.config !== undefined) {
    path = resolve(io.cwd, command.config);
    if (!(await access(path).then(() => true, () => false))) {
      io.stderr.write(`${TOOL_NAME}: configuration file not found: ${command.config}\n`);
      return { ...fallback(), refused: true };
    }
  } else {
    const isDir = await stat(absPath).then((s) => s.isDirectory(), () => false);
    path = await findConfigFile(isDir ? absPath : dirname(absPath));
  }
  if (path === undefined) return { ...fallback(), refused: false };
  const file = await readConfigFile(path);
  const shown = relative(io.cwd, path) || path;
  for (const problem of file.problems) io.stderr.write(formatProblem(shown, problem));
  // A --config the user named but that cannot be read (a FIFO, too large...) is a configuration error, as a missing one.
  if ((command.strictConfig || command.config !== undefined) && file.unreadable !== undefined) {
    return { config: file.config, settings: runSettingsOf(file.config), path, refused: true };
  }
  if (command.strictConfig && file.problems.length > 0) {
    io.stderr.write(`${TOOL_NAME}: ${shown} has ${countOf(file.problems.length, 'problem')} and --strict-config was given\n`);
    return { config: file.config, settings: runSettingsOf(file.config), path, refused: true };
  }
  return { config: file.config, settings: runSettingsOf(file.config), path, refused: false };
}

/**
 * Turns a path relative to the audit's `root` into one relative to the configuration's folder, where its globs
 * (include, exclude, tests, overrides) are written; as it is when the configuration is not above the root.
 */
export function configRelative(config: CliConfig, root: string): (path: string) => string {
  const base = config.path ? dirname(config.path) : root;
  const prefix = relative(base, root).split('\\').join('/');
  const inBase = !(prefix === '..' || prefix.startsWith('../') || isAbsolute(prefix));
  return inBase && prefix !== '' ? (path) => `${prefix}/${path}` : (path) => path;
}

function fallback(): Omit<CliConfig, 'refused'> {
  const config = defaultConfig();
  return { config, settings: runSettingsOf(config) };
}

/** One problem as compilers print them, so terminals and CI logs link to the place. */
export function formatProblem(file: string, problem: ConfigProblem): string {
  const { line, column } = problem.range.start;
  // The message may quote the repository's keys: one line, whatever they hold.
  return `${file}:${line}:${column}: ${problem.severity}: ${escapeControls(problem.message)}\n`;
}
