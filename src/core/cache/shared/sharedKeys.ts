import { basename, dirname, join, resolve } from 'node:path';
import { readBoundedText } from '../../files/boundedRead';
import { discoveryRoot } from '../../files/discoveryRoot';
import type { Finding } from '../../model';
import { parseCachedFindings, toCachedFindings } from '../cachedFindings';

/**
 * What every shared key starts with: `${prefix}:${projectId}:${toolVersion}:`. The prefix lets an ACL rule
 * (`~mt:*`) fence the tool in; the project id keeps teams sharing one Redis apart; the tool version keeps builds
 * whose findings may differ apart (the agent versions inside the cache key already do, this is belt and braces).
 */
export interface SharedNamespace {
  readonly prefix: string;
  readonly projectId: string;
  readonly toolVersion: string;
}

/** Characters kept in a namespace part; the rest become `_` so a part never holds `:` or a `{` hash tag. */
const UNSAFE = /[^\w@./-]/g;
const MAX_PART = 100;

/** A namespace part made safe for keys and ACL patterns. */
export function safeKeyPart(value: string): string {
  return value.replace(UNSAFE, '_').slice(0, MAX_PART) || '_';
}

/** The prefix shared by every key of a namespace. */
export function namespacePrefix(ns: SharedNamespace): string {
  return `${safeKeyPart(ns.prefix)}:${safeKeyPart(ns.projectId)}:${safeKeyPart(ns.toolVersion)}:`;
}

/**
 * The Redis key of a local cache key (`contentHash.agentSuffix`). The content hash is wrapped in a Redis Cluster
 * hash tag, so every agent result of one file lives in one slot and one MGET serves a file on a cluster too.
 */
export function sharedKey(prefix: string, cacheKey: string): string {
  const dot = cacheKey.indexOf('.');
  if (dot <= 0) return `${prefix}${cacheKey}`;
  return `${prefix}{${cacheKey.slice(0, dot)}}${cacheKey.slice(dot)}`;
}

/**
 * A value: the findings alone in their cached form (cachedFindings.ts: no fixes), as compact JSON. Findings
 * carry no path and nothing of the machine (ranges, messages), so a hit is valid in any checkout of the same
 * content. Undefined for findings the cached form cannot hold: they are not written.
 */
export function encodeFindings(findings: readonly Finding[]): string | undefined {
  const cached = toCachedFindings(findings);
  return cached && JSON.stringify(cached);
}

/**
 * The findings of a stored value, or undefined when it is not what this tool writes (garbage, a truncated
 * value, another tool's key, a fix smuggled in): the caller treats that as a miss and recomputes. The same
 * schema as the L2 store's and the writer's (`parseCachedFindings`); whatever else a value holds is dropped.
 */
export function decodeFindings(value: string): Finding[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    return undefined;
  }
  return parseCachedFindings(data);
}

/**
 * The project id when the config names none: the `name` of the nearest package.json from `root` up to its
 * discovery root (the repository's root, else `root`: see `discoveryRoot`), else that folder's name.
 * Never an absolute path: two checkouts of one repository at different places share their results.
 */
export async function defaultProjectId(root: string): Promise<string> {
  const boundary = discoveryRoot(root);
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const name = await packageName(join(dir, 'package.json'));
    if (name) return name;
    if (dir === boundary || dirname(dir) === dir) break;
  }
  return basename(boundary) || 'default';
}

async function packageName(path: string): Promise<string | undefined> {
  try {
    const data = JSON.parse(await readBoundedText(path)) as { name?: unknown };
    return typeof data.name === 'string' && data.name.trim() !== '' ? data.name.trim() : undefined;
  } catch {
    return undefined;
  }
}
