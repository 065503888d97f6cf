import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../model';
import { parseCachedFindings } from './cachedFindings';
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

/** The on-disk format; any other `format` or `version` is discarded, never misread. */
const FORMAT = 'maintenance-team-result-cache';
const VERSION = 3;
const FILE_NAME = `results-v${VERSION}.json`;
const LOCK_NAME = `results-v${VERSION}.lock`;
/** A lock older than this was left by a process that died: it is broken. */
const STALE_LOCK_MS = 30_000;
/** How long a writer waits for another one before giving up this save (the next one will merge). */
const LOCK_WAIT_MS = 3_000;
const LOCK_POLL_MS = 25;

/**
 * An entry on disk: `[createdAt, usedAt, size, count, mac, results]`, where `results` is the JSON text of
 * `[agentPart, findings, agentPart, findings, …]` (agent parts are the 16 hex characters after the key's dot),
 * `count` the number of agent results in it, and `mac` authenticates all but `usedAt` under the user's secret. A store is
 * untrusted input (the default one is in the audited repository): an entry whose MAC does not verify was not
 * written by this user and is never used.
 */
type DiskEntry = [number, number, number, number, string, string];
interface DiskFile {
  readonly format: string;
  readonly version: number;
  readonly entries: Record<string, DiskEntry>;
}

/**
 * L2 as one JSON file in a directory: loaded whole (a warm audit then costs one read and one parse), written
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
      text = await readFile(this.file, 'utf8');
      this.known = { mtimeMs: before.mtimeMs, size: before.size };
    } catch (error) {
      this.known = undefined;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.discardOlderVersions();
      return { kind: 'discarded', reason: `unreadable: ${(error as Error).message}` };
    }
    return parseStore(text, this.secret);
  }

  async save(entries: ReadonlyMap<string, ContentEntry>, keep: (merged: Map<string, ContentEntry>) => void): Promise<boolean> {
    await mkdir(this.dir, { recursive: true });
    if (!(await this.acquireLock())) return false;
    try {
      // Nobody wrote since this process last read or wrote the file: what it holds is already merged in.
      const current = await stat(this.file).then((s) => ({ mtimeMs: s.mtimeMs, size: s.size }), () => undefined);
      const unchanged = current && this.known && current.mtimeMs === this.known.mtimeMs && current.size === this.known.size;
      const merged = merge(unchanged ? { kind: 'empty' } : await this.load(), entries);
      keep(merged);
      const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temp, serialize(merged, this.secret), { encoding: 'utf8', mode: 0o600 });
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
    this.text = serialize(merged, this.secret);
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

function serialize(entries: ReadonlyMap<string, ContentEntry>, secret: Buffer): string {
  const out: Record<string, DiskEntry> = {};
  for (const [key, entry] of entries) {
    const results = entry.sealed?.text ?? sealResults(entry.results);
    const count = entry.sealed?.count ?? entry.results.size;
    const mac = entryMac(secret, key, [entry.createdAt, entry.size, count], results);
    out[key] = [entry.createdAt, entry.usedAt, entry.size, count, mac, results];
  }
  return JSON.stringify({ format: FORMAT, version: VERSION, entries: out } satisfies DiskFile);
}

function sealResults(results: ReadonlyMap<string, readonly Finding[]>): string {
  const flat: (string | readonly Finding[])[] = [];
  for (const [agent, findings] of results) flat.push(agent, findings);
  return JSON.stringify(flat);
}

/** HMAC-SHA256 (base64url) of what an entry says, bound to its key so no entry can stand for another content. */
function entryMac(secret: Buffer, key: string, numbers: readonly number[], results: string): string {
  return createHmac('sha256', secret).update(`${key}\0${numbers.join('\0')}\0`).update(results).digest('base64url');
}

/** Reads a store's text; anything that is not exactly our format is discarded with the reason. */
export function parseStore(text: string, secret: Buffer): LoadOutcome {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'discarded', reason: 'corrupt or truncated (not valid JSON)' };
  }
  const file = data as Partial<DiskFile> | null;
  if (!file || typeof file !== 'object' || file.format !== FORMAT) return { kind: 'discarded', reason: 'not a result cache' };
  if (file.version !== VERSION) return { kind: 'discarded', reason: `format version ${String(file.version)}, expected ${VERSION}` };
  if (!file.entries || typeof file.entries !== 'object') return { kind: 'discarded', reason: 'no entries' };
  const entries = new Map<string, ContentEntry>();
  let rejected = 0;
  for (const key in file.entries) {
    const entry = toEntry(key, file.entries[key], secret);
    if (entry) entries.set(key, entry);
    else rejected++;
  }
  return { kind: 'loaded', entries, rejected };
}

/** A disk entry as a sealed content entry, or undefined when it is not shaped as one or its MAC does not verify. */
function toEntry(key: string, value: unknown, secret: Buffer): ContentEntry | undefined {
  if (!Array.isArray(value) || value.length !== 6) return undefined;
  const [createdAt, usedAt, size, count, mac, results] = value as unknown[];
  const numbers = [createdAt, usedAt, size, count];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  if (typeof mac !== 'string' || typeof results !== 'string') return undefined;
  if (!sameMac(mac, entryMac(secret, key, [createdAt as number, size as number, count as number], results))) return undefined;
  return {
    createdAt: createdAt as number, usedAt: usedAt as number, size: size as number, results: new Map(),
    sealed: { text: results, count: count as number },
  };
}

/** Compares MACs in constant time (they are short strings of equal length when genuine). */
function sameMac(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Parses and validates a sealed entry's results (the cached-findings schema, once per entry); true when the
 * entry is usable. A malformed one (a bug of another build writing with the same key) is left empty: a miss.
 */
export function openEntry(entry: ContentEntry): boolean {
  if (entry.sealed === undefined) return true;
  let flat: unknown;
  try {
    flat = JSON.parse(entry.sealed.text);
  } catch {
    return false;
  }
  if (!Array.isArray(flat) || flat.length % 2 !== 0) return false;
  const results = new Map<string, readonly Finding[]>();
  for (let i = 0; i < flat.length; i += 2) {
    const agent: unknown = flat[i];
    const findings = parseCachedFindings(flat[i + 1]);
    if (typeof agent !== 'string' || !findings) return false;
    results.set(agent, findings);
  }
  for (const [agent, findings] of results) entry.results.set(agent, findings);
  entry.sealed = undefined;
  return true;
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
