import { fixFile } from '../fixes/validator';
import type { FixAuditOptions } from '../core/run/execution';
import { addCacheSummaries } from '../core/run/cacheSummary';
import { teamOfPath, type TeamSource } from '../core/run/fileTeams';
import { runAudit, type AuditOptions, type AuditTarget } from '../core/run/coordinator';
import { hashText } from '../core/hash';
import { decodeFile, MAX_FILE_SIZE_KB, readBytesSync } from '../core/files/fileLoader';
import { hasFix, type AgentSummary, type AuditResult, type FileResult } from '../core/model';
import { checkWritable, DELETED_REASON, replaceIfUnchanged } from '../fixes/safeWrite';

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
  /** Files left alone on purpose (read-only, hard-linked, deleted, a link to outside the root...), with the reason. */
  readonly skipped: { readonly path: string; readonly reason: string }[];
  /** Files that could not be fixed or written, with the reason; the others are still fixed. */
  readonly failures: { readonly path: string; readonly message: string }[];
  /** Fixes dropped by the validator because they would have broken the parse. */
  readonly dropped: number;
  /** Set when the signal stopped the fixes: how many files with fixes were not written (`files` were). */
  readonly interrupted?: { readonly notWritten: number };
}

/** What happened to one file. */
type FileFix =
  | { readonly kind: 'fixed'; readonly applied: number; readonly dropped: number; readonly before: string; readonly after: string }
  | { readonly kind: 'unchanged'; readonly dropped: number }
  | { readonly kind: 'changed-on-disk' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Applies the fixes of every audited file that has fixable findings and writes each fixed file with
 * {@link replaceIfUnchanged}: only while its bytes on disk are still those that were audited (a user or a
 * formatter editing it meanwhile wins over us), keeping its owner and mode, never through a link to outside the
 * root, never a read-only or hard-linked file. Under `dryRun` nothing is written. An aborted signal stops between
 * two files (a file is never half-written) and the outcome says how many were not written.
 */
export async function fixAudited(
  result: AuditResult, targets: readonly AuditTarget[], team: TeamSource, signal: AbortSignal,
  options: FixAuditedOptions = {},
): Promise<FixOutcome> {
  const outcome: Mutable<FixOutcome> = { problems: 0, files: [], applied: [], changedOnDisk: [], skipped: [], failures: [], dropped: 0 };
  const absPaths = new Map(targets.map((t) => [t.path, t.absPath]));
  const fixable = result.files.filter((file) => absPaths.has(file.path) && file.findings.some(hasFix));
  const context: FixContext = { root: result.root, team, signal, dryRun: options.dryRun === true, limits: options.limits };
  for (const file of fixable) {
    const absPath = absPaths.get(file.path) as string;
    const done = signal.aborted ? undefined : await fixOne(file, absPath, context).catch((error: unknown): FileFix | undefined => {
      if (signal.aborted) return undefined;
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    });
    if (done === undefined) return { ...outcome, interrupted: { notWritten: fixable.length - outcome.files.length } };
    record(outcome, file.path, done);
    if (done.kind === 'fixed') {
      options.onFixed?.({ path: file.path, absPath, applied: done.applied, before: done.before, after: done.after });
    }
  }
  return outcome;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Adds one file's fate to the outcome. */
function record(outcome: Mutable<FixOutcome>, path: string, done: FileFix): void {
  if (done.kind === 'fixed' || done.kind === 'unchanged') outcome.dropped += done.dropped;
  if (done.kind === 'fixed') {
    outcome.problems += done.applied;
    outcome.files.push(path);
    outcome.applied.push(done.applied);
  } else if (done.kind === 'changed-on-disk') {
    outcome.changedOnDisk.push(path);
  } else if (done.kind === 'skipped') {
    outcome.skipped.push({ path, reason: done.reason });
  } else if (done.kind === 'failed') {
    outcome.failures.push({ path, message: done.message });
  }
}

/** What every file's fix shares. */
interface FixContext {
  readonly root: string;
  /** Each file's team: a fix is proved by the agents, and under the configuration, that found its findings. */
  readonly team: TeamSource;
  readonly signal: AbortSignal;
  readonly dryRun: boolean;
  readonly limits?: FixAuditOptions;
}

async function fixOne(file: FileResult, absPath: string, context: FixContext): Promise<FileFix> {
  // Through the loader: a file swapped for a FIFO or a device since the audit is refused, never waited on.
  const raw = readBytesSync(absPath, { maxFileSizeKb: MAX_FILE_SIZE_KB });
  if (raw.kind === 'skip') {
    return { kind: 'skipped', reason: raw.detail.startsWith('ENOENT') ? DELETED_REASON : `not read: ${raw.detail}` };
  }
  const { bytes } = raw;
  // A file that will not be written is not worth fixing, and a dry run must not show it as fixed.
  const refused = await checkWritable(absPath, context.root);
  if ('reason' in refused) return { kind: 'skipped', reason: refused.reason };
  const loaded = decodeFile(bytes);
  // The audit kept only a hash of the text; a different hash means the file moved on since.
  if (loaded.kind === 'skip' || hashText(loaded.text) !== file.contentHash) return { kind: 'changed-on-disk' };
  const { agents, config } = teamOfPath(context.team, file.path);
  const fixed = await fixFile(file.path, loaded.text, agents, context.signal, { ...context.limits, ...(config ? { config } : {}) });
  if (!fixed.changed) return { kind: 'unchanged', dropped: fixed.dropped };
  const bom = loaded.bom ? '\ufeff' : '';
  const done = { kind: 'fixed', applied: fixed.applied, dropped: fixed.dropped, before: bom + loaded.text, after: bom + fixed.text } as const;
  if (context.dryRun) return done;
  // Compared with the bytes read above, not the audit's hash: the fix was computed from exactly these.
  const written = await replaceIfUnchanged(absPath, bytes, Buffer.from(done.after, 'utf8'), { root: context.root, signal: context.signal });
  if (written.kind === 'written') return done;
  return written.kind === 'changed' ? { kind: 'changed-on-disk' } : written;
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
