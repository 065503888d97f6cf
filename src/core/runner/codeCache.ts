/**
 * The parser's bundle (dist/ts-morph.js, 14 MB of JavaScript) loaded through a V8 code cache, so a new runner
 * thread does not compile it again: the CLI starts one per run, the editor one per CPU. Measured here, a cold
 * parse of 2,500 files takes 2.5 s with the cache against 3.0 s without (load 0.15 s against 0.35 s; the rest is
 * the functions compiled lazily on the first files). Node 22 has `module.enableCompileCache` for this, but it
 * caches what was compiled at load time only, and Node 20 lacks it.
 *
 * The cache is one file per bundle content (SHA-256), Node version and architecture, made by the first thread
 * that has parsed enough files to have compiled what parsing needs (`CodeCache.save`). V8 checks it again (its
 * version and flags): a cache it rejects only costs the compile it would have saved, and is made anew.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { privateDir } from '../trust/privateDir';

/** The variable that moves the code cache (a folder), or turns it off (`off`). */
export const CODE_CACHE_ENV = 'MAINTENANCE_TEAM_CODE_CACHE';

/**
 * Where caches go unless told otherwise: `$MAINTENANCE_TEAM_CODE_CACHE` (`off`: nowhere), else a folder per user
 * under the temporary folder, as `v8-compile-cache` (ESLint, Yarn) keeps its own. That name is predictable, so
 * it is used only once `privateDir` has checked it is this user's own (see `CodeCache.load`).
 */
export function defaultCodeCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const chosen = env[CODE_CACHE_ENV]?.trim();
  if (chosen) return chosen === 'off' ? undefined : chosen;
  let user: string;
  try {
    const { uid, username } = userInfo();
    user = String(uid >= 0 ? uid : username);
  } catch {
    user = 'user';
  }
  return join(tmpdir(), `maintenance-team-v8-cache-${user}`);
}

/** A CommonJS bundle loaded through a code cache. */
export class CodeCache {
  private saved: boolean;

  private constructor(private readonly script: Script, private readonly cacheFile: string, accepted: boolean) {
    this.saved = accepted;
  }

  /**
   * Loads `file` into the module cache (a later `require` of it returns this module), from the code cache in
   * `dir` when there is a valid one. Returns undefined, loading nothing, when the file cannot be read: the
   * caller's own `require` then reports the problem as it would have. Nor when `dir` is not a private folder of
   * this user (`privateDir`): V8 checks a cache against the source's length only, so a cache another user could
   * have written is code they chose; the bundle is then loaded the usual way.
   */
  static load(file: string, dir: string): CodeCache | undefined {
    if (privateDir(dir).kind !== 'ok') return undefined;
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const key = createHash('sha256').update(source).digest('hex').slice(0, 24);
    const cacheFile = join(dir, `${key}-node${process.versions.node}-${process.arch}.bin`);
    const cachedData = readIfPresent(cacheFile);
    const script = new Script(Module.wrap(source), { filename: file, cachedData });
    const module = new Module(file);
    module.filename = file;
    const load = script.runInThisContext() as (...args: unknown[]) => void;
    load.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
    module.loaded = true;
    (Module as unknown as { _cache: Record<string, Module> })._cache[file] = module;
    return new CodeCache(script, cacheFile, cachedData !== undefined && !script.cachedDataRejected);
  }

  /** Whether the next `save` would write (no valid cache was found at load). */
  get pending(): boolean {
    return !this.saved;
  }

  /**
   * Writes the cache once, if none valid was found at load: made now, it holds every function compiled so far
   * (a cache made at load would hold only the top level). Best effort: a failure only means no cache next time.
   */
  save(): void {
    if (this.saved) return;
    this.saved = true;
    const temporary = `${this.cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      if (privateDir(dirname(this.cacheFile)).kind !== 'ok') return;
      writeFileSync(temporary, this.script.createCachedData(), { flag: 'wx', mode: 0o600 });
      renameSync(temporary, this.cacheFile);
      pruneOldCaches(dirname(this.cacheFile));
    } catch {
      rmSync(temporary, { force: true });
    }
  }
}

/** Caches kept per folder: a few builds side by side (an editor and a CLI of another version, say). */
const CACHES_KEPT = 3;

/** A temporary file older than this was left by a thread stopped while writing (a cache is written in < 1 s). */
const STALE_TEMPORARY_MS = 10 * 60_000;

/** Removes all but the `CACHES_KEPT` newest caches (each is ~9 MB), and temporary files left behind. */
function pruneOldCaches(dir: string): void {
  const entries = readdirSync(dir).map((name) => {
    const path = join(dir, name);
    return { name, path, modified: statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0 };
  });
  const caches = entries.filter((entry) => entry.name.endsWith('.bin')).sort((a, b) => b.modified - a.modified);
  const stale = entries.filter((entry) => entry.name.endsWith('.tmp') && Date.now() - entry.modified > STALE_TEMPORARY_MS);
  for (const old of [...caches.slice(CACHES_KEPT), ...stale]) rmSync(old.path, { force: true });
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
