/**
 * The secret that authenticates the result store's entries (HMAC-SHA256, see store.ts). The default store lives
 * in the audited repository's `node_modules/.cache`, which a repository can commit: a store with its findings
 * emptied would then make a fresh clone report nothing. Entries are accepted only when their MAC verifies under
 * a key the repository cannot know: `$MAINTENANCE_TEAM_CACHE_KEY` (CI sets it from a secret, so the cache it
 * persists between jobs stays valid), else a random key made once per user and kept outside any workspace, in a
 * private folder of the user's cache directory (`privateDir`: 0700, owner checked), in a file made 0600.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { privateDir } from '../trust/privateDir';

/** The variable that gives the store's key (any string; CI sets it from a secret to share a persisted cache). */
export const CACHE_KEY_ENV = 'MAINTENANCE_TEAM_CACHE_KEY';

const KEY_FILE = 'result-cache.key';
const KEY_BYTES = 32;

type Env = Readonly<Record<string, string | undefined>>;

/** The user's cache folder for this tool (never inside a workspace): where the key file is kept. */
export function userStateDir(env: Env = process.env): string {
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'maintenance-team');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'maintenance-team');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'maintenance-team');
}

/**
 * The store's key: from `$MAINTENANCE_TEAM_CACHE_KEY`, else the user's key file (made on first use). When
 * neither can be had (no writable home), a key for this process only: the store then serves this run's own
 * results and nothing older, and `warn` says why. Never throws.
 */
export function storeSecret(env: Env = process.env, warn?: (message: string) => void): Buffer {
  const given = env[CACHE_KEY_ENV];
  if (given) return createHash('sha256').update(`maintenance-team result cache\0${given}`).digest();
  const dir = privateDir(join(userStateDir(env), 'private'));
  const problem = dir.kind === 'ok' ? readOrMakeKey(join(dir.path, KEY_FILE)) : dir.reason;
  if (Buffer.isBuffer(problem)) return problem;
  warn?.(`results cached by earlier runs cannot be authenticated (${problem}), so none is used; set ${CACHE_KEY_ENV} to keep them`);
  return randomBytes(KEY_BYTES);
}

/** Keys per environment variable value and folder, read once per process. */
const known = new Map<string, Buffer>();

/** `storeSecret` memoised for this process (the key file is read once, whatever the number of stores). */
export function cachedStoreSecret(env: Env = process.env, warn?: (message: string) => void): Buffer {
  const id = `${env[CACHE_KEY_ENV] ?? ''}\0${userStateDir(env)}`;
  let secret = known.get(id);
  if (!secret) {
    secret = storeSecret(env, warn);
    known.set(id, secret);
  }
  return secret;
}

/** The key in `file`, made if absent; a string says why it cannot be used (not ours, readable by others). */
function readOrMakeKey(file: string): Buffer | string {
  try {
    writeFileSync(file, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return `${file}: cannot be created (${(error as NodeJS.ErrnoException).code})`;
  }
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: the folder is private, but a link in it is still not ours to follow.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const info = fstatSync(fd);
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (!info.isFile() || info.size !== KEY_BYTES) return `${file}: not a key file`;
    if (uid !== undefined && (info.uid !== uid || (info.mode & 0o077) !== 0)) return `${file}: not this user's private file`;
    return readFileSync(fd);
  } catch (error) {
    return `${file}: unreadable (${(error as NodeJS.ErrnoException).code})`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
