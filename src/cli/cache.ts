import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ResultCache } from '../core/cache/resultCache';
import { openSharedTier } from '../core/cache/shared/openSharedTier';
import { resolveSharedEndpoint, type SharedCacheEndpoint } from '../core/cache/shared/sharedEndpoint';
import { FileCacheStore } from '../core/cache/store';
import { cachedStoreSecret } from '../core/cache/storeSecret';
import type { TeamConfig } from '../core/config/schema';
import { discoveryRoot } from '../core/files/discoveryRoot';
import { TOOL_NAME } from '../core/version';
import type { AuditCommand } from './args';
import type { CliIo } from './main';

/**
 * Where the CLI keeps its results: `--cache-dir`, else `node_modules/.cache/maintenance-team` in the audited
 * folder or the nearest folder above it with a `node_modules` (where build tools keep theirs, and what CI caches),
 * never above its discovery root (the repository's root, else the folder itself: see `discoveryRoot`), else the
 * platform's cache folder. Keys are content hashes, so one folder can serve every project.
 */
export function defaultCacheDir(root: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  // The project's node_modules, which may be above the audited folder (`audit src` in a package).
  const boundary = discoveryRoot(root);
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'maintenance-team');
    if (dir === boundary || dirname(dir) === dir) break;
  }
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'maintenance-team', 'cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'maintenance-team');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'maintenance-team');
}

/** The run's cache, or none with `--no-cache` or `optimizations: false`. Problems with it are warnings. */
export function openCliCache(command: AuditCommand, root: string, config: TeamConfig, io: CliIo): ResultCache | undefined {
  if (command.noCache || !config.global.optimizations) return undefined;
  const dir = command.cacheDir !== undefined ? resolve(io.cwd, command.cacheDir) : defaultCacheDir(root, io.env);
  const { cache } = config.global;
  const warn = (message: string) => io.stderr.write(`${TOOL_NAME}: warning: ${message}\n`);
  const unusable = unusableCacheDir(dir);
  if (unusable !== undefined) {
    warn(`result cache at ${dir} is not used: ${unusable}`);
    return undefined;
  }
  // Entries are authenticated under the user's key, never the repository's (a committed store proves nothing).
  return new ResultCache(new FileCacheStore(dir, cachedStoreSecret(io.env ?? process.env, warn)), {
    limits: { maxEntries: cache.maxEntries, maxBytes: cache.maxSizeMb * 1024 * 1024, ttlMs: cache.ttlSeconds * 1000 },
    warn,
    shared: openSharedTier(cache.shared, { root, env: io.env ?? {}, endpoint: cliSharedEndpoint(command, io, warn), warn }),
  });
}

/**
 * The shared cache the user asked for: flags, else the MAINTENANCE_TEAM_CACHE_* environment variables. Never the
 * configuration file, which may be the audited repository's (src/core/config/userOnlyKeys.ts).
 */
function cliSharedEndpoint(command: AuditCommand, io: CliIo, warn: (message: string) => void): SharedCacheEndpoint | undefined {
  const given = { url: command.cacheUrl, nodes: command.cacheNodes, cluster: command.cacheCluster, passwordEnv: command.cachePasswordEnv };
  return resolveSharedEndpoint(given, io.env ?? {}, warn);
}

/**
 * Why an existing cache directory cannot hold the store (not a directory, or no file can be created in it, as
 * under /proc), or undefined. A directory not there yet is fine: the first save creates it, or warns.
 */
export function unusableCacheDir(dir: string): string | undefined {
  const stats = statSync(dir, { throwIfNoEntry: false });
  if (!stats) return undefined;
  if (!stats.isDirectory()) return 'it is not a directory';
  const probe = join(dir, `.probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
  } catch (error) {
    return `no file can be created in it (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  rmSync(probe, { force: true });
  return undefined;
}
