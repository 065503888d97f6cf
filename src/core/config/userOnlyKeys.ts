import { isMap, isScalar, type Document } from 'yaml';
import { SHARED_CACHE_ENV } from '../cache/shared/sharedEndpoint';
import type { Range } from '../model';
import type { ConfigProblem } from './load';

/** Where the shared cache's section lives in the configuration. */
const SHARED_PATH = ['global', 'cache', 'shared'] as const;

/**
 * Keys a repository's configuration may not set, with what the user sets instead: each names a network destination
 * or a credential, and the configuration file belongs to whoever wrote the audited repository (issue 18, item 1).
 */
export const USER_ONLY_SHARED_KEYS: Readonly<Record<string, string>> = {
  url: `--cache-url, ${SHARED_CACHE_ENV.url} or the maintenanceTeam.sharedCache.url setting`,
  nodes: `--cache-nodes, ${SHARED_CACHE_ENV.nodes} or the maintenanceTeam.sharedCache.nodes setting`,
  cluster: `--cache-cluster, ${SHARED_CACHE_ENV.cluster} or the maintenanceTeam.sharedCache.cluster setting`,
  passwordEnv: `--cache-password-env, ${SHARED_CACHE_ENV.passwordEnv} or the maintenanceTeam.sharedCache.passwordEnv setting`,
  password: `the environment variable named by --cache-password-env (default MAINTENANCE_TEAM_CACHE_PASSWORD)`,
  username: 'the user part of the URL given by --cache-url',
  tls: 'the rediss:// scheme of the URL given by --cache-url',
};

/**
 * Removes the user-only keys from a parsed configuration (in place, before validation) and reports each as a
 * warning placed on the key. The message names the key and where the user sets it, never the value: a password
 * may have been typed there by mistake.
 */
export function dropUserOnlyKeys(value: Record<string, unknown>, doc: Document, at: (start: number, end: number) => Range): ConfigProblem[] {
  let section: unknown = value;
  for (const key of SHARED_PATH) section = isPlainRecord(section) ? section[key] : undefined;
  if (!isPlainRecord(section)) return [];
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(section)) {
    if (!Object.hasOwn(USER_ONLY_SHARED_KEYS, key)) continue;
    const instead = USER_ONLY_SHARED_KEYS[key];
    delete section[key];
    const [start, end] = keyOffsets(doc, key);
    problems.push({
      severity: 'warning',
      message: `${SHARED_PATH.join('.')}.${key}: a repository's configuration cannot choose where the shared cache connects or `
        + `with which credentials; only the user can (${instead}); ignored`,
      range: at(start, end),
    });
  }
  return problems;
}

function keyOffsets(doc: Document, key: string): [number, number] {
  const section: unknown = doc.getIn([...SHARED_PATH], true);
  if (!isMap(section)) return [0, 0];
  const pair = section.items.find((item) => isScalar(item.key) && item.key.value === key);
  const range = isScalar(pair?.key) ? pair.key.range : undefined;
  return range ? [range[0], range[1]] : [0, 0];
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
