import type { Clock } from '../../clock';
import type { SharedCacheConfig } from '../../config/schema';
import { TOOL_VERSION } from '../../version';
import { createRedisClient, type RedisConnectionSettings } from './redisClient';
import { defaultProjectId, namespacePrefix } from './sharedKeys';
import { SharedTier, type SharedCacheClient } from './sharedTier';

/** Where a shared tier is opened from: the place audited and the process around it. */
export interface SharedTierContext {
  /** The audit root: where the default project id is looked for. */
  readonly root: string;
  /** The environment the password is read from (the variable the config names). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--cache-url`: wins over the config's url. */
  readonly url?: string;
  readonly warn?: (message: string) => void;
  readonly clock?: Clock;
  /** The client to use; the ioredis adapter by default (tests pass an in-memory fake). */
  readonly createClient?: (settings: RedisConnectionSettings) => SharedCacheClient;
}

/** Longest wait for a connection; lookups wait for it once, at the start of an audit. */
const CONNECT_TIMEOUT_MS = 1000;

/**
 * The team's shared tier as the config (and `--cache-url`) describe it, or undefined when no URL is set.
 * A URL that cannot be used is a warning and no tier, never a failed audit.
 */
export function openSharedTier(settings: SharedCacheConfig, context: SharedTierContext): SharedTier | undefined {
  const url = context.url ?? settings.url;
  if (url === undefined || url === '') return undefined;
  const password = settings.passwordEnv === undefined ? undefined : context.env[settings.passwordEnv];
  if (settings.passwordEnv !== undefined && password === undefined) {
    context.warn?.(`shared cache: the environment variable ${settings.passwordEnv} is not set; connecting without a password`);
  }
  let client: SharedCacheClient;
  try {
    client = (context.createClient ?? createRedisClient)({
      url,
      password,
      cluster: settings.cluster,
      nodes: settings.nodes,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      commandTimeoutMs: Math.max(1000, settings.timeoutMs * 4),
    });
  } catch (error) {
    // parseRedisUrl's messages never quote the URL, which may hold a password.
    context.warn?.(`shared cache disabled: ${(error as Error).message}`);
    return undefined;
  }
  const projectId = settings.projectId ?? defaultProjectId(context.root);
  const keyPrefix = Promise.resolve(projectId).then((id) =>
    namespacePrefix({ prefix: settings.keyPrefix, projectId: id, toolVersion: TOOL_VERSION }));
  return new SharedTier({
    client,
    keyPrefix,
    ttlMs: settings.ttlSeconds * 1000,
    timeoutMs: settings.timeoutMs,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    clock: context.clock,
    warn: context.warn,
  });
}
