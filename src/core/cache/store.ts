import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeReadError, readBoundedText } from '../files/boundedRead';
import type { Finding } from '../model';
import { openEntry, parseStore, serializeStore, VERSION } from './storeFormat';
import { cachedStoreSecret } from './storeSecret';

/**
 * The cached results of one content: each agent build's findings (keyed by the agent part of the cache key, see
 * `cacheKey`), with when the oldest was written and when the content was last looked up. Grouping by content makes
 * a warm audit one lookup per file rather than one per agent, and the store a third of the size.
 */
export interface ContentEntry {
  /** Epoch ms of the oldest result's write; the TTL counts from here (a conservative expiry: never a stale hit). */
  createdAt: number;
  /** Epoch ms of the last use; eviction takes the least recently used first. */
  usedAt: number;
  /** Approximate size in bytes (its JSON length), for the size caps. */
  size: number;
  /** Findings per agent part of the key (empty while `sealed`). */
  readonly results: Map<string, readonly Finding[]>;
  /**
   * The results as read from disk (authenticated, not yet parsed): parsed and validated on first use only
   * (`openEntry`), so a warm audit never parses what it does not look up.
   */
  sealed?: SealedResults;
}

/** Results read from disk and not parsed yet: their JSON text, and how many agent results it holds (for stats). */
export interface SealedResults {
  readonly text: string;
  readonly count: number;
}

/** What a store's `load` found. */
export type LoadOutcome =
  /** `rejected`: entries whose MAC did not verify (written by someone without this user's key) or malformed. */
  | { readonly kind: 'loaded'; readonly entries: Map<string, ContentEntry>; readonly rejected: number }
  | { readonly kind: 'empty' }
  /** The store was unreadable as ours (corrupt, truncated, another format version): start afresh. */
  | { readonly kind: 'discarded'; readonly reason: string };

/** The persistent level (L2) of the result cache. */
export interface CacheStore {
  /** Where it lives, for messages. */
  readonly location: string;
  load(): Promise<LoadOutcome>;
  /**
   * Persists `entries`, merged with what other processes wrote meanwhile (a second VS Code window, a CLI run):
   * for a key in both, the later use wins. `keep` decides what survives (TTL, size cap) after the merge.
   * Returns false when the store could not be written (locked too long, disk error); nothing is corrupted then.
   */
  save(entries: ReadonlyMap<string, ContentEntry>, keep: (merged: Map<string, ContentEntry>) => void): Promise<boolean>;
  /** Deletes everything stored. */
  clear(): Promise<void>;
}

const FILE_NAME = `results-v${VERSION}.cache`;
const LOCK_NAME = `results-v${VERSION}.lock`;
/** A lock older than this was left by a process that died: it is broken. */
const STALE_LOCK_MS = 30_000;
/** How long a writer waits for another one before giving up this save (the next one will merge). */
const LOCK_WAIT_MS = 3_000;
const LOCK_POLL_MS = 25;
const GITIGNORE = '# The result cache of maintenance-team: machine-specific, never to be committed.\n*\n';
/** A larger store file is discarded unread (far above any `maxSizeMb`; JSON.parse could not take much more). */
const MAX_STORE_BYTES = 256 * 1024 * 1024;
const STORE_READ_TIMEOUT_MS = 30_000;

/**
 * L2 as one file in a directory (format in storeFormat.ts): loaded whole (a warm audit then costs one read), written
 * whole through a temporary file and a rename (a reader sees the old or the new file, never half of one), and
 * merged under a lock file so two processes sharing the directory lose nothing and corrupt nothing.
 */
export class FileCacheStore implements CacheStore {
  readonly location: string;
  private readonly file: string;
  private readonly lock: string;
  /** The store file as last read or written by this process: if it is still so, a save need not re-read it. */
  private known: { mtimeMs: number; size: number } | undefined;

  /** `secret`: the key authenticating entries (`storeSecret`); the user's own by default. */
  constructor(private readonly dir: string, private readonly secret: Buffer = cachedStoreSecret()) {
    this.location = dir;
    this.file = join(dir, FILE_NAME);
    this.lock = join(dir, LOCK_NAME);
  }

  async load(): Promise<LoadOutcome> {
    let text: string;
    try {
      const before = await stat(this.file);
      // Bounded: the default store lies inside the audited repository, which may plant a FIFO or a /dev/zero link there.
      text = await readBoundedText(this.file, { maxBytes: MAX_STORE_BYTES, timeoutMs: STORE_READ_TIMEOUT_MS });
      this.known = { mtimeMs: before.mtimeMs, size: before.size };
    } catch (error) {
      this.known = undefined;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.discardOlderVersions();
      return { kind: 'discarded', reason: `unreadable: ${describeReadError(error)}` };
    }
    return parseStore(text, this.secret);
  }

  async save(entries: ReadonlyMap<string, ContentEntry>, keep: (merged: Map<string, ContentEntry>) => void): Promise<boolean> {
    await mkdir(this.dir, { recursive: true });
    // As pytest and ruff do: the store is never audited (the walker honours it) nor committed by accident.
    await writeFile(join(this.dir, '.gitignore'), GITIGNORE, { flag: 'wx' }).catch(() => undefined);
    if (!(await this.acquireLock())) return false;
    try {
      // Nobody wrote since this process last read or wrote the file: what it holds is already merged in.
      const current = await stat(this.file).then((s) => ({ mtimeMs: s.mtimeMs, size: s.size }), () => undefined);
      const unchanged = current && this.known && current.mtimeMs === this.known.mtimeMs && current.size === this.known.size;
      const merged = merge(unchanged ? { kind: 'empty' } : await this.load(), entries);
      keep(merged);
      const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temp, serializeStore(merged, this.secret), { encoding: 'utf8', mode: 0o600 });
      await rename(temp, this.file);
      const written = await stat(this.file);
      this.known = { mtimeMs: written.mtimeMs, size: written.size };
      return true;
    } catch {
      return false;
    } finally {
      await rm(this.lock, { force: true });
    }
  }

  async clear(): Promise<void> {
    await this.discardOlderVersions();
    await rm(this.file, { force: true });
  }

  /**
   * No store of this version: one written by an older build is deleted (it would only take disk space; its
   * results are keyed differently) and reported as discarded, so the cache says it starts afresh.
   */
  private async discardOlderVersions(): Promise<LoadOutcome> {
    let found: number | undefined;
    for (let version = 1; version < VERSION; version++) {
      const old = join(this.dir, `results-v${version}.json`);
      if (await stat(old).then(() => true, () => false)) {
        found = version;
        await rm(old, { force: true });
      }
    }
    return found === undefined ? { kind: 'empty' } : { kind: 'discarded', reason: `format version ${found}, expected ${VERSION}` };
  }

  private async acquireLock(): Promise<boolean> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await open(this.lock, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      }
      const age = await stat(this.lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) await rm(this.lock, { force: true });
      else if (Date.now() > deadline) return false;
      else await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
}

/** L2 in memory, for tests and for `--no-cache`-less runs without a directory. Shares the file format. */
export class MemoryCacheStore implements CacheStore {
  readonly location = 'memory';
  /** The serialized store, as the file would hold it; tests corrupt it on purpose. */
  text: string | undefined;

  /** `secret`: the key authenticating entries; one of its own by default (nothing outlives the process). */
  constructor(readonly secret: Buffer = randomBytes(32)) {}

  async load(): Promise<LoadOutcome> {
    return this.text === undefined ? { kind: 'empty' } : parseStore(this.text, this.secret);
  }

  async save(entries: ReadonlyMap<string, ContentEntry>, keep: (merged: Map<string, ContentEntry>) => void): Promise<boolean> {
    const merged = merge(await this.load(), entries);
    keep(merged);
    this.text = serializeStore(merged, this.secret);
    return true;
  }

  async clear(): Promise<void> {
    this.text = undefined;
  }
}

/**
 * What another process stored, with this process's entries over it: for a content in both, the results of both
 * (this process's where both have one agent's), the later use and the older write.
 */
function merge(onDisk: LoadOutcome, entries: ReadonlyMap<string, ContentEntry>): Map<string, ContentEntry> {
  const merged = onDisk.kind === 'loaded' ? onDisk.entries : new Map<string, ContentEntry>();
  for (const [key, entry] of entries) {
    const other = merged.get(key);
    // Another process's results join ours only once parsed and validated, as a lookup would have them.
    if (!other || !openEntry(other)) {
      merged.set(key, entry);
      continue;
    }
    if (!openEntry(entry)) {
      merged.set(key, other);
      continue;
    }
    for (const [agent, findings] of other.results) if (!entry.results.has(agent)) entry.results.set(agent, findings);
    entry.usedAt = Math.max(entry.usedAt, other.usedAt);
    entry.createdAt = Math.min(entry.createdAt, other.createdAt);
    entry.size = sizeOfResults(entry.results);
    merged.set(key, entry);
  }
  return merged;
}

/** Size of one agent's result for the caps: its JSON length plus a fixed overhead for its key. */
export function sizeOf(findings: readonly Finding[]): number {
  return 24 + (findings.length === 0 ? 2 : JSON.stringify(findings).length);
}

/** Size of a content entry for the caps: its results plus a fixed overhead for the key and bookkeeping. */
export function sizeOfResults(results: ReadonlyMap<string, readonly Finding[]>): number {
  let size = 64;
  for (const findings of results.values()) size += sizeOf(findings);
  return size;
}
