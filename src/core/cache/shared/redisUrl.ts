/** A parsed `redis://` or `rediss://` URL. */
export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly db: number;
  readonly tls: boolean;
}

/**
 * Parses a Redis URL, refusing one that carries a password (it would end up in logs, shell history and CI
 * output): the password belongs in an environment variable. No message quotes any part of the URL: a password
 * typed in the wrong place (the scheme, the database number) would be printed otherwise.
 */
export function parseRedisUrl(url: string): RedisEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('not a URL (expected redis://host:port or rediss://host:port)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error('unsupported scheme (expected redis:// or rediss://)');
  }
  if (parsed.password !== '') {
    throw new Error('the URL holds a password: put it in an environment variable (MAINTENANCE_TEAM_CACHE_PASSWORD, or the one named by passwordEnv)');
  }
  if (parsed.hostname === '') throw new Error('the URL has no host');
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new Error('invalid database number (expected digits after the port)');
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    username: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    db: db === '' ? 0 : Number(db),
    tls: parsed.protocol === 'rediss:',
  };
}

/** Where a client connects, for log lines: scheme, host and port, never a user or password. */
export function describeEndpoint(endpoint: RedisEndpoint): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.tls ? 'rediss' : 'redis'}://${host}:${endpoint.port}`;
}

/** A cluster seed node, `host:port` (no user, no password), as a URL `parseRedisUrl` accepts; throws unquoted. */
export function parseRedisNode(node: string): RedisEndpoint {
  if (!/^[\w.-]+:\d{1,5}$/.test(node) && !/^\[[\da-fA-F:.]+\]:\d{1,5}$/.test(node)) {
    throw new Error('a cluster node is host:port (no user, no password)');
  }
  return parseRedisUrl(`redis://${node}`);
}
