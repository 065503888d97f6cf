/**
 * The temp files `--fix` writes beside each file it replaces: their name, which the walker never audits, and the
 * clean-up of those a killed run left behind. Kept in one place so the writer and the walker cannot disagree.
 */
import { randomBytes } from 'node:crypto';
import { lstat, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The mark in every fix temp file's name: `.<name>.maintenance-team-<pid>-<8 hex>.tmp`. */
const TEMP_MARK = 'maintenance-team-';
/** The whole name; `s` so a name holding a line break still matches (names are untrusted). */
const TEMP_NAME = /^\..*\.maintenance-team-\d+-[0-9a-f]{8}\.tmp$/s;
/** Code points of the original name kept in the temp's: enough to recognise it, far below NAME_MAX's 255 bytes. */
const NAME_KEPT = 40;

/**
 * A temp file older than this belongs to a run that died: a live run keeps its temp file for the few
 * milliseconds of one write, and a file whose write takes this long is not one `--fix` rewrites.
 */
export const STALE_TEMP_AGE_MS = 10 * 60_000;

/** Whether `name` (a base name) is a fix temp file's: the walker skips these, whatever the .gitignore says. */
export function isFixTempName(name: string): boolean {
  // Most names fail the first two tests, so the walk pays no regular expression for them.
  return name.charCodeAt(0) === 46 && name.endsWith('.tmp') && name.includes(TEMP_MARK) && TEMP_NAME.test(name);
}

/** A fresh temp path beside `target` (same directory, so same file system: the rename stays atomic). */
export function fixTempPath(target: string): string {
  const name = Array.from(basename(target)).slice(0, NAME_KEPT).join('');
  return join(dirname(target), `.${name}.${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Removes the fix temp files a killed run left (absolute paths, as the walker found them). Only a regular file
 * whose name has the exact pattern, owned by this user and older than {@link STALE_TEMP_AGE_MS}, goes: a
 * concurrent run's temp file is young, and another user's file is not ours to delete. Returns the paths removed;
 * never throws (a temp file that cannot be removed stays, and is still never audited).
 */
export async function removeStaleFixTemps(paths: readonly string[], now = Date.now()): Promise<string[]> {
  const uid = process.getuid?.();
  const removed: string[] = [];
  for (const path of paths) {
    if (!isFixTempName(basename(path))) continue;
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isFile() || (uid !== undefined && info.uid !== uid) || now - info.mtimeMs < STALE_TEMP_AGE_MS) continue;
    if (await rm(path).then(() => true, () => false)) removed.push(path);
  }
  return removed;
}
