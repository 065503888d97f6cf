import { writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { formatReport } from '../reports/reportFormat';
import { loadFile, MAX_FILE_SIZE_KB } from '../core/files/fileLoader';
import type { AuditResult } from '../core/model';
import { unifiedDiff } from '../fixes/unifiedDiff';
import { escapeControls } from '../core/terminalText';
import { TOOL_NAME } from '../core/version';
import type { AuditCommand } from './args';
import type { FixedFile, FixOutcome } from './fixFiles';
import { restOfTextReport } from './liveReport';
import type { CliIo } from './main';
import { countOf } from '../core/wording';

/** An expected failure with a one-line message for the user (bad path, unwritable output). */
export class CliError extends Error {}

/**
 * Writes the report in the command's format to `--output` or stdout. Under `--dry-run` stdout carries the diff,
 * so the report is written only to a file. SARIF fixes get line/column regions from the files' texts.
 */
export async function emitReport(
  result: AuditResult, command: AuditCommand, io: CliIo, printed: ReadonlySet<string> = new Set(),
): Promise<void> {
  const toFile = command.output !== undefined;
  if (command.dryRun && !toFile) return;
  const sources = command.format === 'sarif' ? await fixableSources(result) : new Map<string, string>();
  const color = reportColor(command, io);
  // The files' lines printed while the audit ran (src/cli/liveReport.ts) are not printed again.
  const report = printed.size > 0 && command.format === 'text'
    ? restOfTextReport(result, printed, { color })
    : formatReport(result, command.format, { color, sourceText: (path) => sources.get(path) });
  if (command.output === undefined) io.stdout.write(report);
  else await writeUserFile(command.output, report, io);
}

/** Writes `text` to `file` (relative to the working directory), a file the user named: a failure is a CliError. */
export async function writeUserFile(file: string, text: string, io: CliIo): Promise<void> {
  try {
    await writeFile(resolve(io.cwd, file), text, 'utf8');
  } catch (error) {
    throw new CliError(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Colours in the text report: only on a terminal, and never under `NO_COLOR`. */
export function reportColor(command: AuditCommand, io: CliIo): boolean {
  return command.output === undefined && io.stdout.isTTY === true && !io.env?.NO_COLOR;
}

/**
 * The texts of the files that have fixes, read again now: the SARIF reporter checks each against the audited
 * hash and falls back to offsets for a file that changed. A file that cannot be read is simply left out.
 */
async function fixableSources(result: AuditResult): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const file of result.files) {
    if (!file.findings.some((f) => f.fix)) continue;
    // Through the loader: a file swapped for a FIFO or a device since the audit is left out, not waited on.
    const loaded = await loadFile(join(result.root, file.path), { maxFileSizeKb: MAX_FILE_SIZE_KB });
    if (loaded.kind !== 'skip') sources.set(file.path, loaded.text);
  }
  return sources;
}

/**
 * What `--fix` did, on stderr: one line per file changed with its count, then the total. Printed for the text
 * report and whenever stdout carries no report (`--output`, `--dry-run`); a JSON, SARIF or Markdown report on
 * stdout is left alone, for the script reading it. Problems (files changed meanwhile, write errors) always print.
 */
export function reportFixes(outcome: FixOutcome, command: AuditCommand, io: CliIo): void {
  // Paths are escaped one by one (a line break in a name is escaped too); stderr escapes the rest (main.ts).
  for (const path of outcome.changedOnDisk) {
    io.stderr.write(`${TOOL_NAME}: ${escapeControls(path)} changed on disk since it was audited; not fixed\n`);
  }
  for (const { path, reason } of outcome.skipped) {
    io.stderr.write(`${TOOL_NAME}: ${escapeControls(path)}: not fixed: ${reason}\n`);
  }
  for (const failure of outcome.failures) {
    io.stderr.write(`${TOOL_NAME}: could not fix ${escapeControls(failure.path)}: ${escapeControls(failure.message)}\n`);
  }
  if (command.format !== 'text' && command.output === undefined && !command.dryRun) return;
  const verb = command.dryRun ? 'would fix' : 'fixed';
  outcome.files.forEach((path, i) => io.stderr.write(`${escapeControls(path)}: ${verb} ${countOf(outcome.applied[i], 'problem')}\n`));
  io.stderr.write(`${verb} ${countOf(outcome.problems, 'problem')} in ${countOf(outcome.files.length, 'file')}\n`);
  if (outcome.dropped > 0) {
    io.stderr.write(`${countOf(outcome.dropped, 'fix', 'fixes')} not applied: the result would not parse, or the finding stayed\n`);
  }
}

/**
 * The line `--fix` prints when Ctrl-C stopped it: how many files were written (each whole: a file is replaced in
 * one rename or not at all) and how many with fixes were not.
 */
export function reportInterruptedFix(outcome: FixOutcome, command: AuditCommand, io: CliIo): void {
  const left = outcome.interrupted?.notWritten ?? 0;
  const message = command.dryRun
    ? `interrupted: ${countOf(outcome.files.length, 'file')} shown, ${left} not`
    : `interrupted: ${countOf(outcome.files.length, 'file')} already fixed ${outcome.files.length === 1 ? 'was' : 'were'} written, ${left} ${left === 1 ? 'was' : 'were'} not`;
  io.stderr.write(`${TOOL_NAME}: ${message}\n`);
}

/**
 * Prints one fixed file as a unified diff on stdout, named relative to the working directory (so `git apply` or
 * `patch -p1` run there applies it), or relative to the audit root for a file outside it.
 */
export function printFixDiff(file: FixedFile, root: string, io: CliIo): void {
  // Only Windows separates with '\\': elsewhere it is a character of the name.
  const posix = (path: string) => (sep === '/' ? path : path.split(sep).join('/'));
  const fromCwd = posix(relative(io.cwd, file.absPath));
  const name = fromCwd.startsWith('../') || isAbsolute(fromCwd) ? posix(relative(root, file.absPath)) : fromCwd;
  io.stdout.write(unifiedDiff(file.before, file.after, { oldLabel: `a/${name}`, newLabel: `b/${name}` }));
}
