import { GlobSet } from '../glob/configGlob';
import { layerTeam } from './profiles';
import type { TeamConfig, TeamOverride } from './schema';

/**
 * What test files (`global.tests`) get before the configuration's own overrides, which therefore win over it:
 * - `complexity/function-length` off: a test framework's `describe` and `it` callbacks hold whole suites;
 * - `complexity/await-in-loop` off: tests await in order on purpose (set up, act, check one case after another),
 *   and their speed is not the product's;
 * - `conventions/stub-function` off: mocks and fakes are stubs by design.
 * Besides, `security/hardcoded-secret` stays off in test files unless `security.includeTests` is true there
 * (their credentials are fakes): see `PathConfigs`.
 */
export const TEST_TREATMENT: TeamOverride = {
  complexity: { rules: { 'complexity/function-length': false, 'complexity/await-in-loop': false } },
  conventions: { rules: { 'conventions/stub-function': false } },
};

/** What test files get last when `security.includeTests` is false where they are. */
const SECRETS_OFF: TeamOverride = { security: { rules: { 'security/hardcoded-secret': false } } };

/** An override compiled: its globs once, matched against every path. */
interface CompiledOverride {
  readonly files: GlobSet;
  readonly ignores?: GlobSet;
  readonly team: TeamOverride;
}

/**
 * The configuration that applies to each file: the base one, then the test treatment when `global.tests` matches
 * the path, then every override whose `files` match it (and whose `ignores` do not), in order, the later winning.
 * Globs are matched as include/exclude are (relative to the configuration's folder, a glob matching a folder
 * covers what is inside). The configurations are built once per set of matching entries and kept, so most files
 * share one object (the base itself when nothing matches): teams and cache keys built from it are reused.
 */
export class PathConfigs {
  private readonly tests: GlobSet | undefined;
  private readonly overrides: readonly CompiledOverride[];
  private readonly built = new Map<string, TeamConfig>();

  constructor(readonly base: TeamConfig) {
    this.tests = base.global.tests.length > 0 ? new GlobSet(base.global.tests) : undefined;
    this.overrides = base.overrides.map((entry) => ({
      files: new GlobSet(entry.files),
      ...(entry.ignores?.length ? { ignores: new GlobSet(entry.ignores) } : {}),
      team: entry.team,
    }));
  }

  /** Whether any file may get another configuration than the base one. */
  get varies(): boolean {
    return this.tests !== undefined || this.overrides.length > 0;
  }

  /** The configuration of the file at `path` (POSIX, relative to the configuration's folder). */
  configFor(path: string): TeamConfig {
    if (!this.varies) return this.base;
    let key = this.tests?.matchesSelfOrAncestor(path) ? 't' : '';
    for (let i = 0; i < this.overrides.length; i++) {
      const { files, ignores } = this.overrides[i];
      if (files.matchesSelfOrAncestor(path) && !ignores?.matchesSelfOrAncestor(path)) key += `,${i}`;
    }
    if (key === '') return this.base;
    let config = this.built.get(key);
    if (!config) {
      config = this.build(key);
      this.built.set(key, config);
    }
    return config;
  }

  /** Whether the file at `path` is a test file (`global.tests`). */
  isTest(path: string): boolean {
    return this.tests?.matchesSelfOrAncestor(path) === true;
  }

  private build(key: string): TeamConfig {
    const [head, ...indexes] = key.split(',');
    const test = head === 't';
    let team: unknown = this.base.team;
    if (test) team = layerTeam(team, TEST_TREATMENT);
    for (const index of indexes) team = layerTeam(team, this.overrides[Number(index)].team);
    // One definition of a test file: the secret scan skips the files global.tests names unless includeTests says so.
    if (test && !(team as TeamConfig['team']).security.includeTests) team = layerTeam(team, SECRETS_OFF);
    // Resolved: the result applies to the file as it is, and never gets overrides laid on it again.
    return { ...this.base, team: team as TeamConfig['team'], overrides: [], global: { ...this.base.global, tests: [] } };
  }
}

/**
 * The entry that goes with a value it cannot do without: an override whose `files` are missing or invalid applies
 * to nothing, and has no default to fall back on.
 */
export function droppedContainer(path: readonly PropertyKey[]): readonly PropertyKey[] | undefined {
  return path.length === 3 && path[0] === 'overrides' && path[2] === 'files' ? path.slice(0, 2) : undefined;
}

/** The settings of how an agent runs, which an override cannot set (schema.ts `agentShape`). */
const RUN_SETTINGS = new Set(['maxRetries', 'timeoutSeconds', 'cacheEnabled']);
/** Why such a setting in an override is ignored (the loader's message). */
export const RUN_SETTING_HINT = 'how an agent runs is set under team: for every file';

/** `overrides[n].team.<agent>.<run setting>`. */
export function runSettingInOverride(path: readonly PropertyKey[]): boolean {
  return path.length === 5 && path[0] === 'overrides' && path[2] === 'team' && RUN_SETTINGS.has(String(path[4]));
}
