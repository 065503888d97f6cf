import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { readBoundedText } from './boundedRead';
import type { AuditTarget } from '../run/coordinator';
import { GitignoreRules } from '../glob/gitignore';
import type { SkippedFile } from '../model';
import { isFixTempName } from './fixTemp';

/** Options of `listFiles`. */
export interface ListFilesOptions {
  /** Stops the walk; `listFiles` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Directories (POSIX paths relative to the root) not to walk into: the config's exclude globs. */
  readonly skipDir?: (rel: string) => boolean;
  /** Fill `FileList.listings` (for ProjectIndex: what is known absent needs no disk access). */
  readonly keepListings?: boolean;
  /** Called with the POSIX path of each `--fix` temp file met (never listed): `--fix` removes stale ones. */
  readonly onFixTemp?: (rel: string) => void;
}

/** Files found under a root. */
export interface FileList {
  /** POSIX paths relative to the root, sorted by code unit. */
  readonly files: string[];
  /** With `keepListings`: every name in every directory read, ignored ones included, by absolute path. */
  readonly listings?: Map<string, ReadonlySet<string>>;
  /** Directories that could not be read (`dir/`, `./` for the root), reason `unreadable`, sorted by path. */
  readonly skipped: SkippedFile[];
}

/**
 * Names never listed or walked, whatever the .gitignore files say: version-control internals (a `.git`
 * file too, as in submodules and worktrees) and installed code that is not the workspace's own.
 */
export const ALWAYS_SKIPPED: readonly string[] = ['node_modules', '.git'];

/** Directories read at once: enough to hide disk latency, few enough to stay far from the fd limit. */
const READDIR_CONCURRENCY = 16;

/** The rules of one .gitignore file, which apply to the subtree of the directory holding it. */
interface IgnoreScope {
  /** POSIX path of that directory relative to the root, '' for the root itself. */
  readonly base: string;
  readonly rules: GitignoreRules;
}

/** A directory waiting to be read, with the .gitignore scopes that apply to its entries (outermost first). */
interface PendingDir {
  readonly rel: string;
  readonly scopes: readonly IgnoreScope[];
}

/**
 * Lists every file under `root` that git would not ignore: `.gitignore` files are honoured at every level
 * (a nested one applies to its subtree and wins over its parents, negations included), `node_modules`,
 * `.git` and `--fix` temp files (src/core/files/fixTemp.ts) are always skipped. Symbolic links are never followed,
 * to directories or to files: that keeps link cycles harmless, and a linked file is either audited under its
 * real path inside the tree or lives outside it, where `--fix` has no business writing. Every kind of file is listed; the loader later
 * skips binary and other non-auditable files with a reason.
 */
export async function listFiles(root: string, options: ListFilesOptions = {}): Promise<FileList> {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const listings = options.keepListings ? new Map<string, ReadonlySet<string>>() : undefined;
  const limit = pLimit(READDIR_CONCURRENCY);
  // Breadth-first, one level at a time: bounded parallel reads, no unbounded recursion of promises.
  let level: PendingDir[] = [{ rel: '', scopes: [] }];
  while (level.length > 0) {
    options.signal?.throwIfAborted();
    const children = await Promise.all(level.map((dir) => limit(() => readDir(root, dir, { files, skipped }, options, listings))));
    level = children.flat();
  }
  options.signal?.throwIfAborted();
  const sortedSkips = skipped.sort((a, b) => compareCodeUnits(a.path, b.path));
  return { files: files.sort(compareCodeUnits), skipped: sortedSkips, ...(listings ? { listings } : {}) };
}

/** Reads one directory: pushes its files onto `found.files` and returns its subdirectories to walk. */
async function readDir(
  root: string, dir: PendingDir, found: { files: string[]; skipped: SkippedFile[] }, options: ListFilesOptions,
  listings?: Map<string, ReadonlySet<string>>,
): Promise<PendingDir[]> {
  if (options.signal?.aborted) return [];
  const { files } = found;
  let entries;
  try {
    entries = await readdir(join(root, dir.rel), { withFileTypes: true });
  } catch (error) {
    // A directory that vanished meanwhile is simply gone; one that cannot be read (permissions, I/O) is listed
    // as skipped: its files were not audited, and a silent gap would read as a clean result.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') found.skipped.push({ path: dir.rel === '' ? './' : `${dir.rel}/`, reason: 'unreadable' });
    return [];
  }
  listings?.set(join(root, dir.rel), new Set(entries.map((e) => e.name)));
  const scopes = entries.some((e) => e.name === '.gitignore' && e.isFile())
    ? [...dir.scopes, await readScope(root, dir.rel)]
    : dir.scopes;
  const subdirs: PendingDir[] = [];
  for (const entry of entries) {
    if (ALWAYS_SKIPPED.includes(entry.name)) continue;
    const rel = dir.rel === '' ? entry.name : `${dir.rel}/${entry.name}`;
    // Another run's half-made file (or a killed run's) is not the workspace's: never audited, whatever its name says.
    if (isFixTempName(entry.name)) {
      if (entry.isFile()) options.onFixTemp?.(rel);
      continue;
    }
    if (entry.isDirectory()) {
      if (!isIgnored(scopes, rel, true) && !options.skipDir?.(rel)) subdirs.push({ rel, scopes });
    } else if (entry.isFile() && !isIgnored(scopes, rel, false)) {
      files.push(rel);
    }
  }
  return subdirs;
}

async function readScope(root: string, base: string): Promise<IgnoreScope> {
  let patterns = '';
  try {
    patterns = await readBoundedText(join(root, base, '.gitignore'));
  } catch {
    // An unreadable .gitignore ignores nothing, as in git; so does one that is not a regular file or is over 1 MB.
  }
  return { base, rules: new GitignoreRules(patterns) };
}

/**
 * Git's precedence: the deepest .gitignore with a matching rule decides (its last matching rule wins,
 * which GitignoreRules applies); a path no rule matches is kept. Directory-only patterns such as `build/`
 * match only when `isDir`.
 */
function isIgnored(scopes: readonly IgnoreScope[], rel: string, isDir: boolean): boolean {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const { base, rules } = scopes[i];
    const local = base === '' ? rel : rel.slice(base.length + 1);
    const verdict = rules.test(local, isDir);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/** Turns `listFiles` output into the coordinator's targets, read from disk under `root`. */
export function toAuditTargets(root: string, files: readonly string[]): AuditTarget[] {
  // `join` splits on '/' on every platform: no spread of a path's segments into the call.
  return files.map((path) => ({ path, absPath: join(root, path) }));
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
