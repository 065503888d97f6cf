/**
 * Writing a fixed file without ever losing a byte someone else wrote: the one way `--fix` replaces a file.
 * The editor applies its fixes as WorkspaceEdits through VS Code instead, which owns the document.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, renameSync, type Stats } from 'node:fs';
import { access, lstat, open, realpath, rm, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { fixTempPath } from '../core/files/fixTemp';

/** What {@link replaceIfUnchanged} did. */
export type SafeWriteResult =
  | { readonly kind: 'written' }
  /** The file's bytes are no longer those audited: someone edited it, and their version stays. */
  | { readonly kind: 'changed' }
  /** Left alone on purpose, with the reason for the user. */
  | { readonly kind: 'skipped'; readonly reason: string };

/** Options of {@link replaceIfUnchanged}. */
export interface SafeWriteOptions {
  /** The audit root: a file whose real path is outside it (a link, or a directory swapped for one) is never written. */
  readonly root: string;
  /** Checked right before the replacement: an aborted write leaves the file as it was, and no temp file. */
  readonly signal?: AbortSignal;
}

/** The reason a deleted file is not fixed (and never recreated). */
export const DELETED_REASON = 'deleted since it was audited; not recreated';

/**
 * Replaces `absPath` by `next` only if it still holds exactly `expected` (the bytes the fix was computed from).
 * The new bytes go to a temp file beside it first (O_EXCL, 0600, given the file's owner, group and mode, synced);
 * only then is the file read again and compared, and the temp file renamed over it straight away, with no other
 * step in between: the window where a concurrent write can still be lost is that one read and one rename,
 * synchronous, a few tens of microseconds (a rename cannot be atomic with a compare without locks every writer
 * would have to honour). A file that changed, disappeared, is read-only, has other hard links, or resolves to
 * outside the root is left as it is, with the reason. Throws only on I/O errors (the temp file is then removed)
 * and when the signal is aborted.
 */
export async function replaceIfUnchanged(
  absPath: string, expected: Uint8Array, next: Uint8Array, options: SafeWriteOptions,
): Promise<SafeWriteResult> {
  const checked = await checkWritable(absPath, options.root);
  if ('reason' in checked) return skipped(checked.reason);
  const { target, info } = checked;
  const temp = fixTempPath(target);
  let renamed = false;
  try {
    const kept = await writeTemp(temp, next, info);
    if (kept !== undefined) return skipped(kept);
    options.signal?.throwIfAborted();
    const swapped = swapIfUnchanged(target, temp, expected, info);
    renamed = swapped.kind === 'written';
    return swapped;
  } finally {
    if (!renamed) await rm(temp, { force: true });
  }
}

/** A file {@link replaceIfUnchanged} may rewrite: its real path and its lstat. */
export interface WritableFile {
  readonly target: string;
  readonly info: Stats;
}

/**
 * Whether `absPath` may be rewritten by a fix under `root`, and if not why: gone, resolving to outside the root,
 * not a regular file, with other hard links, or read-only. `--fix` asks before computing a file's fixes (so a
 * dry run shows only what a run would write), and {@link replaceIfUnchanged} asks again before writing.
 */
export async function checkWritable(absPath: string, root: string): Promise<WritableFile | { readonly reason: string }> {
  const target = await realpath(absPath).catch(() => undefined);
  if (target === undefined) return { reason: DELETED_REASON };
  if (!inside(await realpath(root), target)) return { reason: 'a symbolic link to outside the audited folder' };
  const info = await lstat(target).catch(() => undefined);
  if (info === undefined) return { reason: DELETED_REASON };
  if (!info.isFile()) return { reason: 'not a regular file' };
  // A rename gives the path a new inode: the file's other names would keep the old text.
  if (info.nlink > 1) return { reason: `it has ${info.nlink} hard links; rewriting it would split it from its other names` };
  // The owner's write bit counts even for root, who may write anything: 0444 says "do not touch".
  const writable = (info.mode & 0o200) !== 0 && (await access(target, constants.W_OK).then(() => true, () => false));
  return writable ? { target, info } : { reason: 'read-only (no write permission)' };
}

/**
 * Creates the temp file (exclusively, 0600, not through a link) and gives it the bytes, then the original's owner,
 * group and mode, in that order (chown clears set-id bits), then syncs it, so a crash after the rename never
 * leaves an empty file. Returns a reason when the owner cannot be kept (not root, file of another group or user).
 */
async function writeTemp(temp: string, bytes: Uint8Array, info: Stats): Promise<string | undefined> {
  const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;
  const handle = await open(temp, flags, 0o600);
  try {
    await handle.writeFile(bytes);
    const refused = await keepOwner(handle, info);
    if (refused !== undefined) return refused;
    await handle.chmod(info.mode & 0o7777);
    await handle.datasync();
    return undefined;
  } finally {
    await handle.close();
  }
}

async function keepOwner(handle: FileHandle, info: Stats): Promise<string | undefined> {
  const made = await handle.stat();
  if (made.uid === info.uid && made.gid === info.gid) return undefined;
  try {
    await handle.chown(info.uid, info.gid);
    return undefined;
  } catch (error) {
    // Not root, and the file's group is not one of ours (or its owner is someone else): rewriting it would hand
    // it to us, which is worse than leaving one fix undone.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    return `owned by ${info.uid}:${info.gid}, which this user cannot keep on a rewritten file`;
  }
}

/**
 * The critical section, synchronous so nothing else of this process runs inside it: the file is read through one
 * descriptor (same inode as checked, still one link, not a link now) and compared byte for byte; then one lstat,
 * the last look (same inode, size and times as when it was read: not deleted, replaced or written since), and the
 * temp file is renamed over it at once.
 */
function swapIfUnchanged(target: string, temp: string, expected: Uint8Array, info: Stats): SafeWriteResult {
  let fd: number;
  try {
    fd = openSync(target, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return skipped(DELETED_REASON);
    if (code === 'ELOOP') return { kind: 'changed' };
    throw error;
  }
  let read: Stats;
  try {
    read = fstatSync(fd);
    const same = read.ino === info.ino && read.dev === info.dev && read.nlink === 1 && read.size === expected.length
      && holds(fd, expected);
    if (!same) return { kind: 'changed' };
  } finally {
    closeSync(fd);
  }
  const last = lstatSync(target, { bigint: false, throwIfNoEntry: false });
  if (last === undefined) return skipped(DELETED_REASON);
  if (last.ino !== read.ino || last.size !== read.size || last.mtimeMs !== read.mtimeMs || last.ctimeMs !== read.ctimeMs) {
    return { kind: 'changed' };
  }
  renameSync(temp, target);
  return { kind: 'written' };
}

/** Whether the file behind `fd` holds exactly `expected`: its bytes, and nothing after them. */
function holds(fd: number, expected: Uint8Array): boolean {
  // One byte more than expected: a file that grew must not compare equal.
  const buffer = Buffer.allocUnsafe(expected.length + 1);
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, read);
    if (n === 0) break;
    read += n;
  }
  return read === expected.length && buffer.subarray(0, read).equals(expected);
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && rel.split(sep)[0] !== '..' && !isAbsolute(rel);
}

function skipped(reason: string): SafeWriteResult {
  return { kind: 'skipped', reason };
}
