import type { Clock } from '../../clock';
import { percentile } from '../../metrics/percentile';
import type { BreakerState, Finding } from '../../model';
import { CircuitBreaker, type BreakerOptions, type BreakerTransition } from '../../resilience/breaker';
import { decodeFindings, encodeFindings, sharedKey } from './sharedKeys';
import { PLAIN_VALUES, type ValueSeal } from './sharedSeal';

/** One write of the shared tier: a full Redis key and its value. */
export interface SharedWrite {
  readonly key: string;
  readonly value: string;
}

/**
 * The few Redis commands the shared tier needs, so tests run it against an in-memory fake and the tier never
 * sees the client library. Every method may reject; the tier turns that into a miss, never into an error.
 */
export interface SharedCacheClient {
  /** Where it connects, without credentials (for log lines). */
  readonly location: string;
  /** Opens the connection (and authenticates); resolves once commands can be sent. */
  connect(): Promise<void>;
  /** MGET: one value per key, null where there is none. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** `SET key value PX ttlMs` for every entry, pipelined in one round trip (per node on a cluster). */
  setMany(entries: readonly SharedWrite[], ttlMs: number): Promise<void>;
  ping(): Promise<void>;
  /** Closes the connection (QUIT when connected, else drops it) and stops reconnecting. */
  quit(): Promise<void>;
}

/** How the shared tier talks to Redis. Only `client`, `keyPrefix` and `ttlMs` are required. */
export interface SharedTierOptions {
  readonly client: SharedCacheClient;
  /** See `namespacePrefix`: `${prefix}:${projectId}:${toolVersion}:`; a promise when the project id is still being read. */
  readonly keyPrefix: string | Promise<string>;
  /** TTL of every value written. */
  readonly ttlMs: number;
  /** Longest wait for one MGET before it counts as a failure and the files are computed locally. */
  readonly timeoutMs?: number;
  /** Longest wait for the connection; lookups wait for it (once) rather than miss everything at start-up. */
  readonly connectTimeoutMs?: number;
  /** Drives Redis's own breaker; injected so tests move time by hand. */
  readonly clock?: Clock;
  /** Monotonic milliseconds for the latency figures. */
  readonly elapsed?: () => number;
  readonly breaker?: Partial<BreakerOptions>;
  /** Queued writes sent in one pipeline. */
  readonly writeBatchSize?: number;
  /** A partial batch is sent after this quiet time. */
  readonly writeDelayMs?: number;
  /** Writes beyond this many waiting are dropped (Redis slower than the audit): memory stays bounded. */
  readonly maxQueuedWrites?: number;
  /** Told when Redis fails, when its breaker opens and when it is back (a log line, a status-bar hint). */
  readonly warn?: (message: string) => void;
  /** How values are authenticated (sharedSeal.ts); stored as they are by default. */
  readonly seal?: ValueSeal;
}

/** What the shared tier did since it was created. */
export interface SharedTierStats {
  readonly location: string;
  /** Keys found with a valid value; keys asked for and absent or invalid. */
  readonly hits: number;
  readonly misses: number;
  /** Failed or timed-out calls (connect, MGET, write pipelines). */
  readonly errors: number;
  /** Values that failed validation, or authentication under the team key (ignored, recomputed, overwritten). */
  readonly invalid: number;
  /** Keys not asked for because Redis's breaker was open. */
  readonly skipped: number;
  /** Values written; values dropped (breaker open, failed pipeline, queue full). */
  readonly writes: number;
  readonly droppedWrites: number;
  /** Of the last MGETs that answered. 0 before any. */
  readonly latencyMs: { readonly p50: number; readonly p95: number };
  readonly breaker: BreakerState;
  readonly lastError?: string;
}

/** Redis is asked again 30 s after three failures in a row, then less often while it stays down. */
const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 3, openTimeoutMs: 30_000, maxOpenTimeoutMs: 300_000 };
const LATENCIES_KEPT = 1000;

/**
 * L3 of the result cache: a Redis shared by a team. Lookups are batched (one MGET per file), bounded by a short
 * timeout and guarded by a circuit breaker, so a slow or dead Redis costs an audit at most a few timeouts and
 * never a wrong result; writes are queued and sent in pipelines off the hot path.
 */
export class SharedTier {
  readonly location: string;
  private readonly client: SharedCacheClient;
  private readonly breaker: CircuitBreaker;
  private readonly elapsed: () => number;
  private readonly timeoutMs: number;
  private readonly writeTimeoutMs: number;
  private readonly seal: ValueSeal;
  private readonly queue = new Map<string, string>();
  private readonly latencies: number[] = [];
  private latencyIndex = 0;
  private connecting: Promise<void> | undefined;
  /** Set by `open()`; every key is mapped after it. */
  private prefix = '';
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private counts = { hits: 0, misses: 0, errors: 0, invalid: 0, skipped: 0, writes: 0, droppedWrites: 0 };
  private lastError: string | undefined;

  constructor(private readonly options: SharedTierOptions) {
    this.client = options.client;
    this.location = options.client.location;
    this.seal = options.seal ?? PLAIN_VALUES;
    this.elapsed = options.elapsed ?? (() => performance.now());
    this.timeoutMs = options.timeoutMs ?? 150;
    // A pipeline carries hundreds of values: more time than a lookup, still short.
    this.writeTimeoutMs = Math.max(1000, this.timeoutMs * 4);
    this.breaker = new CircuitBreaker('shared-cache', { ...DEFAULT_BREAKER, ...options.breaker }, {
      clock: options.clock,
      onStateChange: (change) => this.onBreakerChange(change),
    });
  }

  /** Starts connecting (a CLI run does it while the folder is walked). Never rejects. */
  open(): Promise<void> {
    this.connecting ??= (async () => {
      this.prefix = await this.options.keyPrefix;
      await this.bounded(this.client.connect().then(() => this.client.ping()), this.options.connectTimeoutMs ?? 1000, 'connect')
        .catch((error: unknown) => this.fail(error));
    })();
    return this.connecting;
  }

  /**
   * The valid findings stored under `keys` (local cache keys), in one MGET. Any failure is an empty map: the
   * caller computes what is missing. Values failing validation count as misses (and `invalid`).
   */
  async getMany(keys: readonly string[]): Promise<Map<string, Finding[]>> {
    const found = new Map<string, Finding[]>();
    if (keys.length === 0 || this.closed) return found;
    await this.open();
    const permit = this.breaker.tryAcquire();
    if (!permit.allowed) {
      this.counts.skipped += keys.length;
      return found;
    }
    const started = this.elapsed();
    let values: (string | null)[];
    try {
      values = await this.bounded(this.client.mget(keys.map((key) => sharedKey(this.prefix, key))), this.timeoutMs, 'MGET');
      if (!Array.isArray(values) || values.length !== keys.length) throw new Error('MGET answered with the wrong number of values');
    } catch (error) {
      permit.failure();
      this.fail(error);
      return found;
    }
    permit.success();
    this.recordLatency(this.elapsed() - started);
    keys.forEach((key, i) => {
      const value = values[i];
      const payload = typeof value === 'string' ? this.seal.open(key, value) : undefined;
      const findings = payload === undefined ? undefined : decodeFindings(payload);
      if (findings) {
        this.counts.hits++;
        found.set(key, findings);
      } else {
        this.counts.misses++;
        if (value !== null && value !== undefined) this.counts.invalid++;
      }
    });
    return found;
  }

  /** Queues results for Redis; they leave in pipelines when a batch is full or after a quiet moment. */
  setMany(entries: Iterable<readonly [string, readonly Finding[]]>): void {
    if (this.closed) return;
    const max = this.options.maxQueuedWrites ?? 10_000;
    for (const [key, findings] of entries) {
      const payload = encodeFindings(findings);
      if (payload === undefined) continue;
      const value = this.seal.seal(key, payload);
      if (this.queue.size >= max && !this.queue.has(key)) this.counts.droppedWrites++;
      else this.queue.set(key, value);
    }
    if (this.queue.size >= this.batchSize()) this.startWrite();
    else this.schedule();
  }

  /**
   * Sends every queued write, waiting at most `capMs` (a CLI run must not hang on a slow Redis at its end).
   * True when the queue was emptied in time.
   */
  async flush(capMs = 2000): Promise<boolean> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const drain = async () => {
      while (this.queue.size > 0 || this.writing) {
        this.startWrite();
        await this.writing;
      }
      return true;
    };
    return this.bounded(drain(), capMs, 'flush').catch(() => false);
  }

  /** Flushes (within `capMs`) and closes the connection; later calls do nothing. */
  async close(capMs = 2000): Promise<void> {
    if (this.closed) return;
    await this.flush(capMs);
    this.closed = true;
    this.queue.clear();
    await this.client.quit().catch(() => undefined);
  }

  stats(): SharedTierStats {
    const kept = this.latencies;
    return {
      location: this.location,
      ...this.counts,
      latencyMs: {
        p50: kept.length === 0 ? 0 : round(percentile(kept, 50)),
        p95: kept.length === 0 ? 0 : round(percentile(kept, 95)),
      },
      breaker: this.breaker.state,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private batchSize(): number {
    return Math.max(1, this.options.writeBatchSize ?? 256);
  }

  private schedule(): void {
    if (this.timer || this.queue.size === 0 || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startWrite();
    }, this.options.writeDelayMs ?? 50);
    // A pending write never keeps a process alive; the CLI flushes before it ends.
    this.timer.unref?.();
  }

  /** Starts one pipeline unless one is in flight (one at a time keeps the order of writes and the load low). */
  private startWrite(): void {
    if (this.writing || this.queue.size === 0) return;
    this.writing = this.writeBatch().finally(() => {
      this.writing = undefined;
      if (this.queue.size >= this.batchSize()) this.startWrite();
      else this.schedule();
    });
  }

  private async writeBatch(): Promise<void> {
    await this.open();
    const batch: SharedWrite[] = [];
    for (const [key, value] of this.queue) {
      if (batch.length >= this.batchSize()) break;
      batch.push({ key: sharedKey(this.prefix, key), value });
      this.queue.delete(key);
    }
    const permit = this.breaker.tryAcquire();
    if (!permit.allowed) {
      this.counts.droppedWrites += batch.length;
      return;
    }
    try {
      await this.bounded(this.client.setMany(batch, this.options.ttlMs), this.writeTimeoutMs, 'SET pipeline');
      permit.success();
      this.counts.writes += batch.length;
    } catch (error) {
      permit.failure();
      this.fail(error);
      this.counts.droppedWrites += batch.length;
    }
  }

  /** `work`, or a rejection after `ms`; a late failure of `work` is then ignored, not unhandled. */
  private bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
    work.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // The rejection waits for one pass of I/O: when the thread was busy (an agent running), the answer may be
      // sitting in the socket already, and timers run before I/O; that is not Redis being slow.
      timer = setTimeout(() => setImmediate(() => reject(new Error(`${what} timed out after ${ms} ms`))), ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  private fail(error: unknown): void {
    this.counts.errors++;
    const message = error instanceof Error ? error.message : String(error);
    // The first failure is worth a line; the breaker's changes say the rest.
    if (this.lastError === undefined) this.options.warn?.(`shared cache ${this.location} failed (${message}); the local cache is used`);
    this.lastError = message;
  }

  private onBreakerChange(change: BreakerTransition): void {
    if (change.to === 'open') {
      const seconds = Math.ceil(change.snapshot.openTimeoutMs / 1000);
      this.options.warn?.(`shared cache ${this.location} unavailable; not asked again for ${seconds} s`);
    } else if (change.reason === 'probe-succeeded') {
      this.options.warn?.(`shared cache ${this.location} is back`);
    }
  }

  private recordLatency(ms: number): void {
    if (this.latencies.length < LATENCIES_KEPT) this.latencies.push(ms);
    else this.latencies[this.latencyIndex] = ms;
    this.latencyIndex = (this.latencyIndex + 1) % LATENCIES_KEPT;
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
