import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { describeEndpoint, parseRedisNode, parseRedisUrl } from './redisUrl';
import type { SharedCacheClient, SharedWrite } from './sharedTier';

/** How to reach the team's Redis: only what the user set (see sharedEndpoint.ts), never the audited repository. */
export interface RedisConnectionSettings {
  /** `redis://[user@]host[:port][/db]`, or `rediss://…` for TLS. */
  readonly url: string;
  /** Read by the caller from the environment variable the config names. */
  readonly password?: string;
  /** Redis Cluster: the url's host is one seed node, `nodes` (`host:port`) are more. */
  readonly cluster?: boolean;
  readonly nodes?: readonly string[];
  /** Longest wait for a connection. */
  readonly connectTimeoutMs: number;
  /** The client's own limit per command: a backstop behind the tier's shorter per-call timeout. */
  readonly commandTimeoutMs: number;
}

/**
 * The ioredis adapter. Tuned to fail fast rather than wait: no offline queue (a command while disconnected is
 * refused at once), no per-command retries, short connect and command timeouts. Reconnection goes on in the
 * background so the tier's breaker probe finds Redis again once it is back.
 */
export function createRedisClient(settings: RedisConnectionSettings): SharedCacheClient {
  const endpoint = parseRedisUrl(settings.url);
  const common: RedisOptions = {
    username: endpoint.username,
    password: settings.password || undefined,
    tls: endpoint.tls ? { servername: endpoint.host } : undefined,
    connectTimeout: settings.connectTimeoutMs,
    commandTimeout: settings.commandTimeoutMs,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
  };
  const location = describeEndpoint(endpoint);
  if (settings.cluster || (settings.nodes?.length ?? 0) > 0) {
    const nodes = [{ host: endpoint.host, port: endpoint.port }, ...(settings.nodes ?? []).map(parseNode)];
    const cluster = new Cluster(nodes, {
      lazyConnect: true,
      enableOfflineQueue: false,
      // Concurrent commands to one node leave in one write: the per-file MGETs and the SETs batch themselves.
      enableAutoPipelining: true,
      slotsRefreshTimeout: settings.connectTimeoutMs,
      clusterRetryStrategy: (times) => Math.min(200 * times, 5000),
      redisOptions: common,
    });
    return new RedisClusterClient(cluster, location);
  }
  const redis = new Redis({
    ...common,
    host: endpoint.host,
    port: endpoint.port,
    db: endpoint.db,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(200 * times, 5000),
  });
  return new RedisServerClient(redis, location);
}

function parseNode(node: string): { host: string; port: number } {
  const endpoint = parseRedisNode(node);
  return { host: endpoint.host, port: endpoint.port };
}

/** One Redis server. */
class RedisServerClient implements SharedCacheClient {
  /** The last connection error, which says more than ioredis's "Connection is closed." (e.g. ECONNREFUSED). */
  private lastError: Error | undefined;

  constructor(private readonly redis: Redis, readonly location: string) {
    // Without a listener ioredis prints every connection error; the tier reports them once, its own way.
    redis.on('error', (error: Error) => (this.lastError = error));
  }

  async connect(): Promise<void> {
    await this.redis.connect().catch((error: unknown) => {
      throw this.lastError ?? error;
    });
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    this.ensureReady();
    return this.redis.mget([...keys]);
  }

  async setMany(entries: readonly SharedWrite[], ttlMs: number): Promise<void> {
    this.ensureReady();
    const pipeline = this.redis.pipeline();
    for (const { key, value } of entries) pipeline.set(key, value, 'PX', ttlMs);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async quit(): Promise<void> {
    await quitOrDrop(this.redis);
  }

  /** While disconnected (reconnecting in the background), refuse at once: nothing is queued, nothing waits. */
  private ensureReady(): void {
    if (this.redis.status !== 'ready') throw new Error(`not connected (${this.lastError?.message ?? this.redis.status})`);
  }
}

/**
 * Redis Cluster. MGET must not cross slots: keys are grouped by their hash tag (one file's content hash, see
 * `sharedKey`), so a file's lookup is still one MGET, sent to the node owning that slot.
 */
class RedisClusterClient implements SharedCacheClient {
  constructor(private readonly cluster: Cluster, readonly location: string) {
    cluster.on('error', () => undefined);
    cluster.on('node error', () => undefined);
  }

  async connect(): Promise<void> {
    await this.cluster.connect();
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    const groups = new Map<string, number[]>();
    keys.forEach((key, i) => {
      const tag = /\{([^}]+)\}/.exec(key)?.[1] ?? key;
      const group = groups.get(tag);
      if (group) group.push(i);
      else groups.set(tag, [i]);
    });
    const values: (string | null)[] = new Array<string | null>(keys.length).fill(null);
    await Promise.all([...groups.values()].map(async (indexes) => {
      const answer = await this.cluster.mget(indexes.map((i) => keys[i]));
      indexes.forEach((at, j) => (values[at] = answer[j] ?? null));
    }));
    return values;
  }

  async setMany(entries: readonly SharedWrite[], ttlMs: number): Promise<void> {
    // Auto-pipelining groups these per node; a cluster pipeline could not span slots.
    await Promise.all(entries.map(({ key, value }) => this.cluster.set(key, value, 'PX', ttlMs)));
  }

  async ping(): Promise<void> {
    await this.cluster.ping();
  }

  async quit(): Promise<void> {
    await quitOrDrop(this.cluster);
  }
}

async function quitOrDrop(client: Redis | Cluster): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Fall through: drop the connection.
    }
  }
  client.disconnect();
}
