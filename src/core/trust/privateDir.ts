/**
 * Directories for state only this user may write: the parser's code cache, the result cache's key. A folder at
 * a predictable path in a shared place (the temporary folder) may have been made by another local user first,
 * who then controls what is in it (a V8 code cache runs as code). So a private folder is created with mode 0700
 * and then checked, without following a symbolic link: a real directory, owned by this user, that nobody else
 * can read or write. Anything else is refused with the reason, and the state it would have held is done without.
 */
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';

/** What `privateDir` found. */
export type PrivateDirOutcome =
  | { readonly kind: 'ok'; readonly path: string }
  | { readonly kind: 'refused'; readonly path: string; readonly reason: string };

/** This process's user id, or undefined where there is none (Windows: folders there are per user already). */
function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/**
 * Creates `path` (and missing parents) with mode 0700 if absent, then checks what is there now. Never throws.
 * A folder this user owns that others could only read (0755, made by an older version) is tightened to 0700;
 * one others could write, or another user's, or a link, is refused: what it holds may have been planted.
 */
export function privateDir(path: string): PrivateDirOutcome {
  const refused = (reason: string): PrivateDirOutcome => ({ kind: 'refused', path, reason: `${path}: ${reason}` });
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (error) {
    return refused(`cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let info;
  try {
    info = lstatSync(path);
  } catch (error) {
    return refused(`cannot be checked (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (info.isSymbolicLink()) return refused('is a symbolic link, not a private directory');
  if (!info.isDirectory()) return refused('is not a directory');
  const uid = currentUid();
  if (uid === undefined) return { kind: 'ok', path };
  if (info.uid !== uid) return refused(`is owned by user ${info.uid}, not by this user (${uid}); remove it or choose another folder`);
  if ((info.mode & 0o022) !== 0) {
    return refused(`can be written by other users (mode ${(info.mode & 0o777).toString(8)}); remove it or run chmod 700 on it`);
  }
  if ((info.mode & 0o077) !== 0 && !tighten(path)) {
    return refused(`can be read by other users (mode ${(info.mode & 0o777).toString(8)}); run chmod 700 on it`);
  }
  return { kind: 'ok', path };
}

/** Takes read access away from others on a folder this user owns and only this user can write. */
function tighten(path: string): boolean {
  try {
    chmodSync(path, 0o700);
    return (lstatSync(path).mode & 0o077) === 0;
  } catch {
    return false;
  }
}
