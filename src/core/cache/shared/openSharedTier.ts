import type { Clock } from '../../clock';
import type { SharedCacheConfig } from '../../config/schema';
import { TOOL_VERSION } from '../../version';
import { createRedisClient, type RedisConnectionSettings } from './redisClient';
import { redactSecrets } from '../../redact';
import { DEFAULT_PASSWORD_ENV, type SharedCacheEndpoint } from './sharedEndpoint';
import { defaultProjectId, namespacePrefix } from './sharedKeys';
import { sealFromEnv } from './sharedSeal';
import { SharedTier, type SharedCacheClient } from './sharedTier';

/** Where a shared tier is opened from: the place audited and the process around it. */
export interface SharedTierContext {
  /** The audit root: where the default project id is looked for. */
  readonly root: string;
  /** The environment the password is read from (the variable the endpoint names). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where to connect, as the user set it (`resolveSharedEndpoint`); no tier without one. */
  readonly endpoint?: SharedCacheEndpoint;
  readonly warn?: (message: string) => void;
  readonly clock?: Clock;
  /** The client to use; the ioredis adapter by default (tests pass an in-memory fake). */
  readonly createClient?: (settings: RedisConnectionSettings) => SharedCacheClient;
}

/** Longest wait for a connection; lookups wait for it once, at the start of an audit. */
const CONNECT_TIMEOUT_MS = 1000;

/**
 * The team's shared tier at the endpoint the user gave, with the repository's non-sensitive knobs (namespace,
 * ttl, lookup timeout), or undefined without an endpoint. A URL that cannot be used is a warning and no tier,
 * never a failed audit. Every message the tier prints goes through `redact`: no password, no URL credentials.
 */
export function openSharedTier(settings: SharedCacheConfig, context: SharedTierContext): SharedTier | undefined {
  const { endpoint } = context;
  if (endpoint === undefined) return undefined;
  const password = context.env[endpoint.passwordEnv];
  const warn = context.warn && ((message: string) => context.warn?.(redact(message, password)));
  if (endpoint.passwordEnv !== DEFAULT_PASSWORD_ENV && password === undefined) {
    // The name is not repeated: a password put there by mistake would be printed.
    warn?.('shared cache: the environment variable named for the password is not set; connecting without a password');
  }
  // The team key authenticates values (sharedSeal.ts); one set but unusable disables the tier: trusting unsigned
  // values when the user asked for signed ones would be failing open.
  const { seal, problem } = sealFromEnv(context.env);
  if (!seal) {
    warn?.(`shared cache disabled: ${problem}`);
    return undefined;
  }
  let client: SharedCacheClient;
  try {
    client = (context.createClient ?? createRedisClient)({
      url: endpoint.url,
      password,
      cluster: endpoint.cluster,
      nodes: endpoint.nodes,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      commandTimeoutMs: Math.max(1000, settings.timeoutMs * 4),
    });
  } catch (error) {
    // parseRedisUrl's messages never quote the URL, which may hold a password.
    warn?.(`shared cache disabled: ${(error as Error).message}`);
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
    warn,
    seal,
  });
}

/** A message without URL credentials or the password itself (a server's error could echo either). */
function redact(message: string, password: string | undefined): string {
  const clean = redactSecrets(message);
  return password && password.length >= 4 ? clean.split(password).join('***') : clean;
}
