import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describeReadError, readBoundedText } from '../files/boundedRead';
import { discoveryRoot } from '../files/discoveryRoot';
import type { LoadLimits } from '../files/fileLoader';
import { parseConfig, type LoadedConfig } from './load';
import { createPathFilter, type PathFilter } from './pathFilter';
import { defaultConfig, type TeamConfig } from './schema';

/** The configuration's file name, looked for at the workspace (or audited folder's) root. */
export const CONFIG_FILE_NAME = 'maintenance-team.yaml';

/** A configuration read from disk: where from (none when no file was found) and what it says. */
export interface ConfigFile extends LoadedConfig {
  readonly path?: string;
  /** Set when the file exists but was not read (not a regular file, too large, too slow, no permission). */
  readonly unreadable?: string;
}

/**
 * Reads and validates a configuration file. A missing file is the default config; never throws. The file
 * belongs to the audited repository, so it is read bounded (regular files only, 1 MB, a time limit).
 */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readBoundedText(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { config: defaultConfig(), problems: [] };
    const here = { line: 1, column: 1 };
    const reason = describeReadError(error);
    return {
      path,
      config: defaultConfig(),
      unreadable: reason,
      problems: [{ severity: 'error', message: `cannot read the configuration: ${reason}`, range: { start: here, end: here } }],
    };
  }
  return { path, ...parseConfig(text.replace(/^\uFEFF/, '')) };
}

/**
 * The configuration that applies to a folder audited from a terminal: `maintenance-team.yaml` in the folder
 * or the nearest ancestor, never above its discovery root (the repository's root, else the folder itself).
 */
export async function findConfigFile(folder: string): Promise<string | undefined> {
  const boundary = discoveryRoot(folder);
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (await exists(candidate)) return candidate;
    if (dir === boundary || dirname(dir) === dir) return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** How a configuration shapes a run of the coordinator, apart from the agents it builds. */
export interface RunSettings {
  /** Files audited at once; undefined = one per CPU. */
  readonly concurrency?: number;
  readonly limits: LoadLimits;
  /** false when `optimizations: false` (the seeds' rollback switch): no cache read or written. */
  readonly useCache: boolean;
  /** Agents whose results are never cached (`cacheEnabled: false`). */
  readonly uncachedAgents: ReadonlySet<string>;
  readonly filter: PathFilter;
}

/** The run settings of a configuration. `optimizations: false` means one file at a time and no cache. */
export function runSettingsOf(config: TeamConfig): RunSettings {
  const { global } = config;
  return {
    concurrency: global.optimizations ? global.concurrency : 1,
    limits: { maxFileSizeKb: global.maxFileSizeKb },
    useCache: global.optimizations,
    uncachedAgents: new Set(Object.entries(config.team).filter(([, agent]) => !agent.cacheEnabled).map(([id]) => id)),
    filter: createPathFilter(global.include, global.exclude),
  };
}
