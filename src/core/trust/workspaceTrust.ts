import { resolveSharedEndpoint, type SharedCacheEndpoint } from '../cache/shared/sharedEndpoint';

/**
 * What the extension does in a workspace, by VS Code's Workspace Trust. Reading is safe, so an untrusted
 * (Restricted Mode) workspace is still audited; what reaches outside it waits for trust: connecting to the shared
 * cache (a network destination, a password) and rewriting files on save without the user asking each time.
 */
export interface TrustPolicy {
  /** Audit files and show their findings (always). */
  readonly audit: true;
  /** Open the team's shared (Redis) cache, if the user configured one. */
  readonly sharedCache: boolean;
  /** Apply `source.fixAll.maintenanceTeam` when `editor.codeActionsOnSave` asks for it. */
  readonly fixOnSave: boolean;
}

/** The policy of a workspace that is trusted (`vscode.workspace.isTrusted`) or not. */
export function trustPolicy(trusted: boolean): TrustPolicy {
  return { audit: true, sharedCache: trusted, fixOnSave: trusted };
}

/** The editor's shared cache settings (`maintenanceTeam.sharedCache.*`, machine scope: never a workspace's). */
export interface SharedCacheSettings {
  readonly url: string;
  readonly nodes: readonly string[];
  readonly cluster: boolean;
  /** Empty: the environment's MAINTENANCE_TEAM_CACHE_PASSWORD_ENV, else MAINTENANCE_TEAM_CACHE_PASSWORD. */
  readonly passwordEnv: string;
}

/**
 * Where the extension's engine may connect: nowhere unless the policy allows it; else the user's settings, field
 * by field, over the MAINTENANCE_TEAM_CACHE_* environment variables of the editor's process.
 */
export function editorSharedEndpoint(
  policy: TrustPolicy, settings: SharedCacheSettings, env: Readonly<Record<string, string | undefined>>, warn?: (message: string) => void,
): SharedCacheEndpoint | undefined {
  if (!policy.sharedCache) return undefined;
  return resolveSharedEndpoint({
    url: settings.url,
    nodes: settings.nodes,
    cluster: settings.cluster,
    passwordEnv: settings.passwordEnv,
  }, env, warn);
}
