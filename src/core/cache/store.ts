import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeReadError, readBoundedText } from '../boundedRead';
import type { Finding } from '../model';

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
  /** Findings per agent part of the key. */
  readonly results: Map<string, readonly Finding[]>;
  /** Whether its findings were checked to be well formed (done on first use, not for the whole store at load). */
  checked?: boolean;
}

/** What a store's `load` found. */
export type LoadOutcome =
  | { readonly kind: 'loaded'; readonly entries: Map<string, ContentEntry> }
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
const VERSION = 2;
const FILE_NAME = `results-v${VERSION}.json`;
const LOCK_NAME = `results-v${VERSION}.lock`;
/** A lock older than this was left by a process that died: it is broken. */
const STALE_LOCK_MS = 30_000;
/** How long a writer waits for another one before giving up this save (the next one will merge). */
const LOCK_WAIT_MS = 3_000;
const LOCK_POLL_MS = 25;
/** A larger store file is discarded unread (far above any `maxSizeMb`; JSON.parse could not take much more). */
const MAX_STORE_BYTES = 256 * 1024 * 1024;
const STORE_READ_TIMEOUT_MS = 30_000;

/**
 * An entry on disk: `[createdAt, usedAt, size, agent, findings, agent, findings, …]`, where `agent` indexes the
 * file's `agents` table (the agent parts of keys, 16 hex characters each, written once rather than per result).
 * Compact because a warm run parses the whole file.
 */
type DiskEntry = (number | Finding[])[];
interface DiskFile {
  readonly format: string;
  readonly version: number;
  readonly agents: string[];
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

  constructor(private readonly dir: string) {
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
    return parseStore(text);
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
      await writeFile(temp, serialize(merged), 'utf8');
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

  async load(): Promise<LoadOutcome> {
    return this.text === undefined ? { kind: 'empty' } : parseStore(this.text);
  }

  async save(entries: ReadonlyMap<string, ContentEntry>, keep: (merged: Map<string, ContentEntry>) => void): Promise<boolean> {
    const merged = merge(await this.load(), entries);
    keep(merged);
    this.text = serialize(merged);
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
    if (!other) {
      merged.set(key, entry);
      continue;
    }
    for (const [agent, findings] of other.results) if (!entry.results.has(agent)) entry.results.set(agent, findings);
    entry.usedAt = Math.max(entry.usedAt, other.usedAt);
    entry.createdAt = Math.min(entry.createdAt, other.createdAt);
    entry.size = sizeOfResults(entry.results);
    entry.checked &&= other.checked !== false;
    merged.set(key, entry);
  }
  return merged;
}

function serialize(entries: ReadonlyMap<string, ContentEntry>): string {
  const agents: string[] = [];
  const index = new Map<string, number>();
  const out: Record<string, DiskEntry> = {};
  for (const [key, entry] of entries) {
    const row: DiskEntry = [entry.createdAt, entry.usedAt, entry.size];
    for (const [agent, findings] of entry.results) {
      let i = index.get(agent);
      if (i === undefined) index.set(agent, (i = agents.push(agent) - 1));
      row.push(i, findings as Finding[]);
    }
    out[key] = row;
  }
  return JSON.stringify({ format: FORMAT, version: VERSION, agents, entries: out } satisfies DiskFile);
}

/** Reads a store's text; anything that is not exactly our format is discarded with the reason. */
export function parseStore(text: string): LoadOutcome {
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
  if (!Array.isArray(file.agents) || !file.agents.every((a) => typeof a === 'string')) return { kind: 'discarded', reason: 'no agents table' };
  const entries = new Map<string, ContentEntry>();
  for (const key in file.entries) {
    const entry = toEntry(file.entries[key], file.agents);
    if (!entry) return { kind: 'discarded', reason: `malformed entry ${key.slice(0, 12)}…` };
    entries.set(key, entry);
  }
  return { kind: 'loaded', entries };
}

/** A disk entry as a content entry, or undefined when it is not shaped as one (the whole store is then discarded). */
function toEntry(value: unknown, agents: readonly string[]): ContentEntry | undefined {
  if (!Array.isArray(value) || value.length < 3 || value.length % 2 === 0) return undefined;
  const [createdAt, usedAt, size] = value as unknown[];
  if (typeof createdAt !== 'number' || typeof usedAt !== 'number' || typeof size !== 'number') return undefined;
  const results = new Map<string, readonly Finding[]>();
  for (let i = 3; i < value.length; i += 2) {
    const agent = agents[value[i] as number];
    const findings: unknown = value[i + 1];
    if (agent === undefined || !Array.isArray(findings)) return undefined;
    results.set(agent, findings as Finding[]);
  }
  return { createdAt, usedAt, size, results, checked: false };
}

/** Whether a stored finding has the fields the engine relies on (checked when an entry is first used). */
export function isFindingLike(value: unknown): boolean {
  const f = value as Partial<Finding> | null;
  return !!f && typeof f === 'object' && typeof f.rule === 'string' && typeof f.message === 'string'
    && typeof f.severity === 'string' && !!f.range && typeof f.range.start?.line === 'number';
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
