import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Finding } from '../model';
import { TOOL_VERSION } from '../version';
import type { SharedTier } from './shared/sharedTier';
import { toCachedFindings } from './cachedFindings';
import { sizeOf, sizeOfResults, type CacheStore, type ContentEntry } from './store';
import { openEntry } from './storeFormat';

/** Limits of the cache (the config's `global.cache`). */
export interface CacheLimits {
  /** Contents whose results are kept in memory (L1). */
  readonly maxEntries: number;
  /** Bytes kept in memory (L1) and on disk (L2); least recently used go first. */
  readonly maxBytes: number;
  /** A result older than this is never used (0 = no limit). */
  readonly ttlMs: number;
}

/** Hits and misses of one agent. */
export interface AgentCacheStats {
  hits: number;
  misses: number;
}

/** What the cache did since it was opened (or its stats were reset). */
export interface CacheStats {
  /** Served from memory. */
  readonly memoryHits: number;
  /** Served from the persistent store (then promoted to memory). */
  readonly diskHits: number;
  readonly misses: number;
  /** (memory + disk hits) / lookups, 0 when nothing was looked up. */
  readonly hitRate: number;
  readonly byAgent: Readonly<Record<string, AgentCacheStats>>;
  /** Results held (persistent level, which holds every result), and their approximate bytes. */
  readonly entries: number;
  readonly bytes: number;
  /** Stored entries refused: not authenticated (not written with this user's key) or not valid; recomputed. */
  readonly untrusted: number;
}

/** What identifies a result: same content, same agent build and settings, same project facts when it reads them. */
export interface CacheKeyParts {
  /** SHA-256 of the file's text. */
  readonly contentHash: string;
  readonly agentId: string;
  /** The agent's version, which carries the hash of the settings shaping its findings (see configureAgent). */
  readonly agentVersion: string;
  /** The project context's fingerprint (package.json, tsconfig) for agents that read it. */
  readonly projectFingerprint?: string;
}

/** The agent part of keys, per agent build and project: few distinct values, hashed once each. */
const agentParts = new Map<string, string>();

/**
 * Never the path, never a modification time: only what the findings depend on. The key is the content hash
 * followed by a short hash of the rest, which is memoised: a warm audit hashes each file once, not once per agent.
 */
export function cacheKey(parts: CacheKeyParts): string {
  const agent = `${TOOL_VERSION}\0${parts.agentId}\0${parts.agentVersion}\0${parts.projectFingerprint ?? ''}`;
  let suffix = agentParts.get(agent);
  if (suffix === undefined) {
    suffix = createHash('sha256').update(agent).digest('hex').slice(0, 16);
    if (agentParts.size > 10_000) agentParts.clear();
    agentParts.set(agent, suffix);
  }
  // 128 bits of the content hash are plenty to tell contents apart, and keys are most of the store's bytes.
  return `${parts.contentHash.slice(0, 32)}.${suffix}`;
}

/** A cached result and where it came from. */
export interface CacheHit {
  readonly findings: readonly Finding[];
  readonly level: 'memory' | 'disk';
}

/** Last-use times are refreshed at most this often (see `get`). */
const USED_AT_GRANULARITY_MS = 3_600_000;

/** Options of `ResultCache`. */
export interface ResultCacheOptions {
  readonly limits: CacheLimits;
  /** Epoch ms; injected so TTL tests never sleep. */
  readonly now?: () => number;
  /** Told when the store was discarded or could not be written (the extension logs it as a warning). */
  readonly warn?: (message: string) => void;
  /** L3: a Redis shared by the team (issue 10), asked only for what L1 and L2 lack, through `getShared`. */
  readonly shared?: SharedTier;
}

/**
 * The content-hash result cache (the seeds' "intelligent cache"): L1 is an `lru-cache` bounded by entries and
 * bytes; L2 is a persistent store loaded once and written back merged. An L2 hit is promoted to L1. A result is
 * reused only for the same text, agent version and settings (and project facts for the agents that read them);
 * after the TTL it is a miss. A corrupt or foreign store is discarded with a warning and rebuilt.
 */
export class ResultCache {
  /** L1: contents' results by content part of the key. */
  private readonly memory: LRUCache<string, ContentEntry>;
  /** Every content known to the persistent level, including results of this process not yet saved. */
  private disk = new Map<string, ContentEntry>();
  private loaded: Promise<void> | undefined;
  private dirty = false;
  private memoryHits = 0;
  private diskHits = 0;
  private misses = 0;
  private untrusted = 0;
  private byAgent: Record<string, AgentCacheStats> = {};
  private readonly now: () => number;

  constructor(private readonly store: CacheStore | undefined, private readonly options: ResultCacheOptions) {
    this.now = options.now ?? Date.now;
    this.memory = new LRUCache<string, ContentEntry>({
      max: Math.max(1, options.limits.maxEntries),
      maxSize: Math.max(1, options.limits.maxBytes),
      sizeCalculation: (entry) => Math.max(1, entry.size),
    });
  }

  /** Loads the persistent level once; later calls wait for the same load. Never throws. */
  open(): Promise<void> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<void> {
    if (!this.store) return;
    const outcome = await this.store.load().catch((error: unknown) => ({ kind: 'discarded' as const, reason: String(error) }));
    if (outcome.kind === 'loaded') {
      const now = this.now();
      for (const [key, entry] of outcome.entries) if (!this.expired(entry, now)) this.disk.set(key, entry);
      if (outcome.rejected > 0) {
        // A store committed in the repository, or written by another user: its entries could hide findings.
        this.untrusted += outcome.rejected;
        this.options.warn?.(`result cache at ${this.store.location}: ${outcome.rejected} entr${outcome.rejected === 1 ? 'y' : 'ies'} `
          + 'not written with this user\'s key (copied from elsewhere, or tampered with) ignored; recomputed');
        this.dirty = true;
      }
    } else if (outcome.kind === 'discarded') {
      this.options.warn?.(`result cache at ${this.store.location} discarded (${outcome.reason}); it is rebuilt`);
      this.dirty = true;
    }
  }

  /** The findings cached under `key` and the level that held them, or undefined (a miss). Call `open()` first. */
  get(key: string, agentId: string): CacheHit | undefined {
    const stats = (this.byAgent[agentId] ??= { hits: 0, misses: 0 });
    const { content, agent } = splitKey(key);
    const now = this.now();
    const found = this.lookup(content, now);
    const findings = found?.entry.results.get(agent);
    if (!found || !findings) {
      this.misses++;
      stats.misses++;
      return undefined;
    }
    if (found.level === 'memory') this.memoryHits++;
    else this.diskHits++;
    stats.hits++;
    // Recency is kept to the hour: a warm audit that only reads then leaves the store file alone.
    if (now - found.entry.usedAt > USED_AT_GRANULARITY_MS) {
      found.entry.usedAt = now;
      this.dirty = true;
    }
    return { findings, level: found.level };
  }

  /** A content's entry from L1, else from L2 (checked on first use, then promoted to L1); expired is absent. */
  private lookup(content: string, now: number): { entry: ContentEntry; level: CacheHit['level'] } | undefined {
    const inMemory = this.memory.get(content);
    if (inMemory && !this.expired(inMemory, now)) return { entry: inMemory, level: 'memory' };
    const entry = this.disk.get(content);
    if (!entry || this.expired(entry, now)) return undefined;
    if (!openEntry(entry)) {
      // Authenticated but not valid (a buggy build with the same key): the content is a miss, and it goes.
      this.disk.delete(content);
      this.untrusted++;
      return undefined;
    }
    this.memory.set(content, entry);
    return { entry, level: 'disk' };
  }

  /** The shared tier (L3), if the team has one. */
  get shared(): SharedTier | undefined {
    return this.options.shared;
  }

  /**
   * Asks L3 for results L1 and L2 lacked (`get` missed them), all of one file in one round trip: agent id → key
   * in, agent id → findings out. Hits are promoted to L1 and L2. Redis failing or absent is an empty map.
   */
  async getShared(keys: ReadonlyMap<string, string>): Promise<Map<string, readonly Finding[]>> {
    const found = new Map<string, readonly Finding[]>();
    if (!this.options.shared || keys.size === 0) return found;
    const values = await this.options.shared.getMany([...keys.values()]);
    for (const [agentId, key] of keys) {
      const findings = values.get(key);
      if (!findings) continue;
      this.remember(key, findings);
      found.set(agentId, findings);
    }
    return found;
  }

  /**
   * Caches an agent's findings for `key` in the cached form (no fixes, see cachedFindings.ts), and queues them
   * for L3. A result that does not fit that form is not cached.
   */
  set(key: string, findings: readonly Finding[]): void {
    const cached = toCachedFindings(findings);
    if (!cached) return;
    this.remember(key, cached);
    this.options.shared?.setMany([[key, cached]]);
  }

  /** Caches findings in L1 and L2. */
  private remember(key: string, findings: readonly Finding[]): void {
    const { content, agent } = splitKey(key);
    const now = this.now();
    let entry = this.disk.get(content);
    if (!entry || this.expired(entry, now) || !openEntry(entry)) {
      entry = { createdAt: now, usedAt: now, size: 0, results: new Map() };
      this.disk.set(content, entry);
    }
    const before = entry.results.get(agent);
    entry.results.set(agent, findings);
    entry.size = before ? sizeOfResults(entry.results) : (entry.size || 64) + sizeOf(findings);
    entry.usedAt = now;
    // Set again even when held: the size changed, and lru-cache measures an entry when it is set.
    this.memory.set(content, entry);
    this.dirty = true;
  }

  /**
   * Writes the persistent level back if anything changed, and sends L3 its queued writes (a slow Redis is waited
   * for a short while only). Never throws; false if L2 could not be written.
   */
  async flush(): Promise<boolean> {
    const [written] = await Promise.all([this.flushStore(), this.options.shared?.flush()]);
    return written;
  }

  private async flushStore(): Promise<boolean> {
    if (!this.store || !this.dirty) return true;
    this.dirty = false;
    const written = await this.store.save(this.disk, (merged) => this.keep(merged)).catch(() => false);
    if (!written) {
      this.dirty = true;
      this.options.warn?.(`result cache at ${this.store.location} could not be written; it is retried on the next save`);
    }
    return written;
  }

  /** Forgets every result, in memory and on disk. */
  async clear(): Promise<void> {
    this.memory.clear();
    this.disk.clear();
    this.dirty = false;
    await this.store?.clear();
  }

  stats(): CacheStats {
    const lookups = this.memoryHits + this.diskHits + this.misses;
    let bytes = 0;
    let entries = 0;
    for (const entry of this.disk.values()) {
      bytes += entry.size;
      entries += entry.sealed?.count ?? entry.results.size;
    }
    return {
      memoryHits: this.memoryHits,
      diskHits: this.diskHits,
      misses: this.misses,
      hitRate: lookups === 0 ? 0 : (this.memoryHits + this.diskHits) / lookups,
      byAgent: structuredClone(this.byAgent),
      entries,
      bytes,
      untrusted: this.untrusted,
    };
  }

  resetStats(): void {
    this.memoryHits = 0;
    this.diskHits = 0;
    this.misses = 0;
    this.byAgent = {};
  }

  /**
   * After a merge: drops expired contents, then the least recently used until under the size cap, and
   * takes in what other processes wrote. Results added while the save was running are kept.
   */
  private keep(merged: Map<string, ContentEntry>): void {
    const now = this.now();
    const removed: string[] = [];
    let bytes = 0;
    for (const [key, entry] of merged) {
      if (this.expired(entry, now)) removed.push(key);
      else bytes += entry.size;
    }
    for (const key of removed) merged.delete(key);
    if (bytes > this.options.limits.maxBytes) {
      const byAge = [...merged].sort(([, a], [, b]) => a.usedAt - b.usedAt);
      for (const [key, entry] of byAge) {
        if (bytes <= this.options.limits.maxBytes) break;
        merged.delete(key);
        removed.push(key);
        bytes -= entry.size;
      }
    }
    for (const key of removed) {
      this.disk.delete(key);
      this.memory.delete(key);
    }
    for (const [key, entry] of merged) if (!this.disk.has(key)) this.disk.set(key, entry);
  }

  private expired(entry: ContentEntry, now = this.now()): boolean {
    return this.options.limits.ttlMs > 0 && now - entry.createdAt > this.options.limits.ttlMs;
  }
}

/** A key's content part (what the store groups by) and agent part. */
function splitKey(key: string): { content: string; agent: string } {
  const dot = key.indexOf('.');
  return dot < 0 ? { content: key, agent: '' } : { content: key.slice(0, dot), agent: key.slice(dot + 1) };
}
