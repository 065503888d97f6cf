import { parseRedisNode, parseRedisUrl } from './redisUrl';

/**
 * Where the team's Redis is and how to log in to it. Only the user decides this (CLI flags, environment variables,
 * VS Code settings of machine scope), never the audited repository: its configuration file may not name a host
 * or an environment variable, or a stranger's pull request would receive the CI's secrets (issue 18, item 1).
 */
export interface SharedCacheEndpoint {
  /** `redis://[user@]host[:port][/db]`, or `rediss://…` for TLS; never a password. */
  readonly url: string;
  /** More Redis Cluster seed nodes (`host:port`); any implies cluster mode. */
  readonly nodes: readonly string[];
  /** Talk to a Redis Cluster (the url is one seed node). */
  readonly cluster: boolean;
  /** The environment variable the password is read from. */
  readonly passwordEnv: string;
}

/** What the user gave, each field optional: flags on the command line, or the editor's settings. */
export interface SharedEndpointInput {
  readonly url?: string;
  readonly nodes?: readonly string[];
  readonly cluster?: boolean;
  readonly passwordEnv?: string;
}

/** The environment variables a user (or CI) sets the shared cache with; flags and settings win over them. */
export const SHARED_CACHE_ENV = {
  url: 'MAINTENANCE_TEAM_CACHE_URL',
  /** Comma-separated `host:port` list. */
  nodes: 'MAINTENANCE_TEAM_CACHE_NODES',
  /** `1` or `true`. */
  cluster: 'MAINTENANCE_TEAM_CACHE_CLUSTER',
  passwordEnv: 'MAINTENANCE_TEAM_CACHE_PASSWORD_ENV',
} as const;

/** Where the password is read from when the user names no variable. */
export const DEFAULT_PASSWORD_ENV = 'MAINTENANCE_TEAM_CACHE_PASSWORD';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The endpoint the user asked for, field by field from `given` (flags, settings) else the environment; undefined
 * when no URL is set, or when something set is unusable (a warning says which source, never quoting the value: it
 * may be a password typed in the wrong place).
 */
export function resolveSharedEndpoint(given: SharedEndpointInput, env: Env, warn?: (message: string) => void): SharedCacheEndpoint | undefined {
  const url = nonEmpty(given.url) ?? nonEmpty(env[SHARED_CACHE_ENV.url]);
  if (url === undefined) return undefined;
  const nodes = given.nodes && given.nodes.length > 0 ? [...given.nodes] : splitNodes(env[SHARED_CACHE_ENV.nodes]);
  const passwordEnv = nonEmpty(given.passwordEnv) ?? nonEmpty(env[SHARED_CACHE_ENV.passwordEnv]) ?? DEFAULT_PASSWORD_ENV;
  const endpoint = { url, nodes, cluster: given.cluster === true || /^(1|true|yes)$/i.test(env[SHARED_CACHE_ENV.cluster] ?? ''), passwordEnv };
  const problem = endpointProblem(endpoint);
  if (problem !== undefined) {
    warn?.(`shared cache disabled: ${problem}`);
    return undefined;
  }
  return endpoint;
}

/** Why an endpoint cannot be used, naming the field and never its value; undefined when it can. */
export function endpointProblem(endpoint: SharedEndpointInput): string | undefined {
  const checks: Array<[string, () => unknown]> = [
    ['the URL', () => endpoint.url !== undefined && parseRedisUrl(endpoint.url)],
    ['a cluster node', () => endpoint.nodes?.forEach((node) => parseRedisNode(node))],
    ['the password variable', () => endpoint.passwordEnv !== undefined && passwordEnvProblem(endpoint.passwordEnv)],
  ];
  for (const [what, check] of checks) {
    try {
      check();
    } catch (error) {
      return `${what}: ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** Throws when `name` is not an environment variable's name; the message never repeats it. */
function passwordEnvProblem(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) {
    throw new Error('not a valid environment variable name (letters, digits and _, not starting with a digit; it names the variable, it is not the password)');
  }
}

/** `a:1, b:2` → `['a:1', 'b:2']`. */
export function splitNodes(value: string | undefined): string[] {
  return (value ?? '').split(',').map((node) => node.trim()).filter((node) => node !== '');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
