import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ResultCache } from '../core/cache/resultCache';
import { openSharedTier } from '../core/cache/shared/openSharedTier';
import { FileCacheStore } from '../core/cache/store';
import { cachedStoreSecret } from '../core/cache/storeSecret';
import type { TeamConfig } from '../core/config/schema';
import { TOOL_NAME } from '../core/version';
import type { AuditCommand } from './args';
import type { CliIo } from './main';

/**
 * Where the CLI keeps its results: `--cache-dir`, else `node_modules/.cache/maintenance-team` in the audited
 * folder or the nearest folder above it (up to the repository root) with a `node_modules` (where build tools
 * keep theirs, and what CI caches), else the platform's cache folder. Keys are content hashes, so one folder
 * can serve every project.
 */
export function defaultCacheDir(root: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  // The project's node_modules, which may be above the audited folder (`audit src` in a package).
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'maintenance-team');
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
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
  // Entries are authenticated under the user's key, never the repository's (a committed store proves nothing).
  return new ResultCache(new FileCacheStore(dir, cachedStoreSecret(io.env ?? process.env, warn)), {
    limits: { maxEntries: cache.maxEntries, maxBytes: cache.maxSizeMb * 1024 * 1024, ttlMs: cache.ttlSeconds * 1000 },
    warn,
    shared: openSharedTier(cache.shared, { root, env: io.env ?? {}, url: command.cacheUrl, warn }),
  });
}
