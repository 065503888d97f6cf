/**
 * The baseline in a CLI run: read before the audit (a broken explicit file stops the run before any work), applied
 * to the files as they finish and to the final result, recorded or pruned where the user asked.
 */
import { join, relative, resolve } from 'node:path';
import {
  fileMatcher, recordBaseline, type BaselinePlace, type FileMatcher,
} from '../core/baseline/auditBaseline';
import { BaselineFileError, readBaselineFile, writeBaselineFile } from '../core/baseline/baselineFile';
import { BASELINE_FILE_NAME, baselineTotals, type Baseline } from '../core/baseline/format';
import type { AuditResult, FileResult } from '../core/model';
import { TOOL_NAME } from '../core/version';
import { countOf } from '../core/wording';
import type { AuditCommand } from './args';
import type { CliIo } from './main';
import { CliError } from './report';

/** The baseline of one run, as read before the audit. */
export interface CliBaseline {
  readonly action: 'apply' | 'write' | 'prune' | 'off';
  readonly place: BaselinePlace;
  /** The file's baseline (to apply or prune), or the one a write replaces; none when there is no usable file. */
  readonly baseline?: Baseline;
}

/**
 * Reads the run's baseline: `--baseline FILE` or `--baseline-prune` must find a valid file (else a CliError: exit
 * 2); the default file at the audit root is used when present, and when broken it is set aside with a warning, so
 * every finding is reported (failing closed shows more, never less).
 */
export async function loadCliBaseline(command: AuditCommand, root: string, io: CliIo): Promise<CliBaseline> {
  const request = command.baseline;
  const action = request?.action ?? 'apply';
  const named = request && 'file' in request && request.file !== undefined ? resolve(io.cwd, request.file) : undefined;
  const place: BaselinePlace = { file: named ?? join(root, BASELINE_FILE_NAME), root };
  if (action === 'off') return { action, place };
  const strict = action === 'prune' || (action === 'apply' && named !== undefined);
  try {
    const baseline = await readBaselineFile(place.file);
    if (baseline === undefined && strict) throw new CliError(`no baseline at ${shown(place.file, io)}`);
    return { action, place, baseline };
  } catch (error) {
    if (!(error instanceof BaselineFileError)) throw error;
    if (strict) throw new CliError(error.message);
    const fallback = action === 'write' ? 'it is replaced' : 'every finding is reported';
    io.stderr.write(`${TOOL_NAME}: warning: ${error.message}; ${fallback}\n`);
    return { action, place };
  }
}

/** The per-file matcher of a run that applies a baseline (the live report prints with it), else undefined. */
export function liveMatcher(cli: CliBaseline): FileMatcher | undefined {
  return (cli.action === 'apply' || cli.action === 'prune') && cli.baseline ? fileMatcher(cli.baseline, cli.place) : undefined;
}

/**
 * After the audit (and `--fix`): the result with the baseline applied, after writing the pruned baseline under
 * `--baseline-prune`. Under `--baseline-write`, records today's findings, prints how many, and returns undefined
 * (no report: the run exits 0).
 */
export async function finishBaseline(
  result: AuditResult, cli: CliBaseline, command: AuditCommand, io: CliIo,
): Promise<AuditResult | undefined> {
  if (cli.action === 'write') {
    let recorded: Baseline;
    try {
      recorded = recordBaseline(result, cli.baseline, cli.place);
    } catch (error) {
      throw new CliError(`baseline not written: ${error instanceof Error ? error.message : String(error)}`);
    }
    await write(cli.place.file, recorded);
    const { findings, files } = baselineTotals(recorded);
    io.stdout.write(`${countOf(findings, 'finding')} in ${countOf(files, 'file')} recorded in ${shown(cli.place.file, io)}\n`);
    return undefined;
  }
  if (cli.action === 'off' || !cli.baseline) return result;
  const matcher = fileMatcher(cli.baseline, cli.place);
  const files: FileResult[] = result.files.map(matcher.apply);
  if (cli.action === 'prune') {
    const pruned = matcher.pruned();
    await write(cli.place.file, pruned);
    const dropped = baselineTotals(cli.baseline).findings - baselineTotals(pruned).findings;
    io.stderr.write(`${TOOL_NAME}: baseline ${shown(cli.place.file, io)} pruned: ${countOf(dropped, 'finding')} dropped, `
      + `${baselineTotals(pruned).findings} kept\n`);
  }
  const summary = matcher.summary();
  // The text report counts what is shown; say what the baseline holds back, and how to see it.
  if (command.format === 'text' && summary.matched > 0) {
    io.stderr.write(`${TOOL_NAME}: ${countOf(summary.matched, 'finding')} in the baseline ${summary.file} not shown (--no-baseline shows them)\n`);
  }
  return { ...result, files, baseline: summary };
}

async function write(file: string, baseline: Baseline): Promise<void> {
  try {
    await writeBaselineFile(file, baseline);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

/** A path as the user would type it from the working directory. */
function shown(file: string, io: CliIo): string {
  const rel = relative(io.cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}
