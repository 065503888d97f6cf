import type { SharedCacheClient, SharedWrite } from '../../../src/core/cache/shared/sharedTier';

/** How the fake answers: normally, by rejecting at once (Redis down), or never (Redis hung). */
export type FakeRedisMode = 'ok' | 'fail' | 'hang';

/**
 * An in-memory stand-in for Redis behind the shared tier's client interface. It records every call, and can be
 * slowed down (`latencyMs`), broken (`mode`) or made to answer garbage (`garbage`) to test the tier's defences.
 */
export class FakeRedis implements SharedCacheClient {
  readonly location = 'redis://fake:6379';
  /** What Redis holds: key → value and the TTL it was written with. */
  readonly data = new Map<string, { value: string; ttlMs: number }>();
  readonly calls = { connect: 0, ping: 0, mget: 0, setMany: 0, quit: 0 };
  /** The keys of every MGET, and the entries of every pipeline, in order. */
  readonly mgets: string[][] = [];
  readonly pipelines: SharedWrite[][] = [];
  mode: FakeRedisMode = 'ok';
  latencyMs = 0;
  /** When set, every MGET answers this text for every key. */
  garbage: string | undefined;

  async connect(): Promise<void> {
    this.calls.connect++;
    await this.answer(undefined);
  }

  async ping(): Promise<void> {
    this.calls.ping++;
    await this.answer(undefined);
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    this.calls.mget++;
    this.mgets.push([...keys]);
    return this.answer(keys.map((key) => this.garbage ?? this.data.get(key)?.value ?? null));
  }

  async setMany(entries: readonly SharedWrite[], ttlMs: number): Promise<void> {
    this.calls.setMany++;
    this.pipelines.push([...entries]);
    await this.answer(undefined);
    for (const { key, value } of entries) this.data.set(key, { value, ttlMs });
  }

  async quit(): Promise<void> {
    this.calls.quit++;
  }

  private answer<T>(value: T): Promise<T> {
    if (this.mode === 'fail') return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    if (this.mode === 'hang') return new Promise<T>(() => undefined);
    if (this.latencyMs === 0) return Promise.resolve(value);
    return new Promise((resolve) => setTimeout(() => resolve(value), this.latencyMs));
  }
}
