import { randomBytes } from 'node:crypto';
import { chmod, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Agent } from '../agents/agent';
import { fixFile } from '../agents/validator';
import type { FixAuditOptions } from '../core/execution';
import { addCacheSummaries, runAudit, type AuditOptions, type AuditTarget } from '../core/coordinator';
import { hashText } from '../core/hash';
import { decodeFile } from '../core/fileLoader';
import { hasFix, type AgentSummary, type AuditResult, type FileResult } from '../core/model';

/** One file `--fix` rewrote (or, under `--dry-run`, would rewrite). */
export interface FixedFile {
  /** POSIX path relative to the audit root. */
  readonly path: string;
  readonly absPath: string;
  /** Fixes applied to it. */
  readonly applied: number;
  /** The file's text as audited and as fixed, as on disk (a BOM included), so a diff of them applies to the file. */
  readonly before: string;
  readonly after: string;
}

/** Options of {@link fixAudited}. */
export interface FixAuditedOptions {
  /** Compute the fixes but write nothing (`--dry-run`). */
  readonly dryRun?: boolean;
  /** Called for each file fixed, in report order, as soon as it is done (the dry run prints its diff there). */
  readonly onFixed?: (file: FixedFile) => void;
  /** Where the fixes' audits run: the runner, under each agent's time limit, as the audit ran. */
  readonly limits?: FixAuditOptions;
}

/** What `--fix` did. */
export interface FixOutcome {
  /** Fixes applied over all files. */
  readonly problems: number;
  /** Paths of the files rewritten (under `--dry-run`, that would be). */
  readonly files: string[];
  /** Fixes applied per rewritten file, in the order of `files`. */
  readonly applied: number[];
  /** Files left alone because they changed on disk after the audit read them. */
  readonly changedOnDisk: string[];
  /** Files that could not be fixed or written, with the reason; the others are still fixed. */
  readonly failures: { readonly path: string; readonly message: string }[];
  /** Fixes dropped by the validator because they would have broken the parse. */
  readonly dropped: number;
}

/** What happened to one file. */
type FileFix =
  | { readonly kind: 'fixed'; readonly applied: number; readonly dropped: number; readonly before: string; readonly after: string }
  | { readonly kind: 'unchanged'; readonly dropped: number }
  | { readonly kind: 'changed-on-disk' }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Applies the fixes of every audited file that has fixable findings and writes each fixed file
 * atomically. A file is only written when its bytes on disk are still those that were audited: a
 * user (or a formatter) editing it meanwhile wins over us. Under `dryRun` nothing is written.
 */
export async function fixAudited(
  result: AuditResult, targets: readonly AuditTarget[], agents: readonly Agent[], signal: AbortSignal,
  options: FixAuditedOptions = {},
): Promise<FixOutcome> {
  let problems = 0;
  let dropped = 0;
  const files: string[] = [];
  const applied: number[] = [];
  const changedOnDisk: string[] = [];
  const failures: FixOutcome['failures'] = [];
  const absPaths = new Map(targets.map((t) => [t.path, t.absPath]));
  for (const file of result.files) {
    const absPath = absPaths.get(file.path);
    if (absPath === undefined || !file.findings.some(hasFix)) continue;
    signal.throwIfAborted();
    const done = await fixOne(file, absPath, agents, signal, options.dryRun === true, options.limits).catch((error: unknown): FileFix => {
      if (signal.aborted) throw error;
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    });
    if (done.kind === 'fixed' || done.kind === 'unchanged') dropped += done.dropped;
    if (done.kind === 'fixed') {
      problems += done.applied;
      files.push(file.path);
      applied.push(done.applied);
      options.onFixed?.({ path: file.path, absPath, applied: done.applied, before: done.before, after: done.after });
    } else if (done.kind === 'changed-on-disk') {
      changedOnDisk.push(file.path);
    } else if (done.kind === 'failed') {
      failures.push({ path: file.path, message: done.message });
    }
  }
  return { problems, files, applied, changedOnDisk, failures, dropped };
}

async function fixOne(
  file: FileResult, absPath: string, agents: readonly Agent[], signal: AbortSignal, dryRun: boolean,
  limits: FixAuditOptions = {},
): Promise<FileFix> {
  const bytes = await readFile(absPath);
  const loaded = decodeFile(bytes);
  // The audit kept only a hash of the text; a different hash means the file moved on since.
  if (loaded.kind === 'skip' || hashText(loaded.text) !== file.contentHash) return { kind: 'changed-on-disk' };
  const fixed = await fixFile(file.path, loaded.text, agents, signal, limits);
  if (!fixed.changed) return { kind: 'unchanged', dropped: fixed.dropped };
  const bom = loaded.bom ? '\ufeff' : '';
  const done = { kind: 'fixed', applied: fixed.applied, dropped: fixed.dropped, before: bom + loaded.text, after: bom + fixed.text } as const;
  if (dryRun) return done;
  const written = await writeIfUnchanged(absPath, bytes, done.after);
  return written ? done : { kind: 'changed-on-disk' };
}

/** Writes `text` over `absPath` only if the file still holds `expected`; false when it does not. */
async function writeIfUnchanged(absPath: string, expected: Uint8Array, text: string): Promise<boolean> {
  const current = await readFile(absPath);
  if (!current.equals(expected)) return false;
  await writeFileAtomic(absPath, text);
  return true;
}

/**
 * Replaces a file's content in one step: a temporary file in the same directory (so the rename stays
 * on one file system) takes the new text and the old file's mode, then is renamed over it. A reader
 * never sees half a file, and a crash leaves either the old or the new one. A symbolic link is resolved
 * first, so the link survives and its target is what gets rewritten.
 */
export async function writeFileAtomic(absPath: string, text: string): Promise<void> {
  const target = await realpath(absPath);
  const mode = (await stat(target)).mode & 0o7777;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', mode, flag: 'wx' });
    // The mode given at creation is masked by the umask; set it again so it matches exactly.
    await chmod(temp, mode);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Re-audits the files `--fix` rewrote, so the report shows the state on disk, and merges that into the
 * first result: counters add up (the agents did run twice), file entries are replaced in place.
 */
export async function reauditFixed(
  first: AuditResult, fixedPaths: readonly string[], targets: readonly AuditTarget[], options: AuditOptions,
): Promise<AuditResult> {
  if (fixedPaths.length === 0) return first;
  const wanted = new Set(fixedPaths);
  const second = await runAudit(targets.filter((t) => wanted.has(t.path)), options);
  const fresh = new Map(second.files.map((f) => [f.path, f]));
  const agents: Record<string, AgentSummary> = {};
  for (const [id, a] of Object.entries(first.agents)) {
    const b = second.agents[id];
    agents[id] = b ? { runs: a.runs + b.runs, failures: a.failures + b.failures, state: b.state } : { ...a };
  }
  return {
    ...first,
    files: first.files.filter((f) => !wanted.has(f.path) || fresh.has(f.path)).map((f) => fresh.get(f.path) ?? f),
    skipped: [...first.skipped, ...second.skipped].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    durationMs: first.durationMs + second.durationMs,
    cache: addCacheSummaries(first.cache, second.cache),
    agents,
    cancelled: first.cancelled || second.cancelled,
  };
}
