import type { ConfigurableAgentId } from '../core/config/rules';
import type { Agent, LanguageKind } from '../core/agent';

/** What is known of an agent without loading its module (and with it the TypeScript compiler). */
export interface AgentInfo {
  /** Bumped whenever the agent's findings for the same input may change (part of the cache key). */
  readonly version: string;
  /** The languages it has anything to say about. */
  readonly languages: readonly LanguageKind[];
  /** Whether its findings depend on the project's package.json and tsconfig (see `Agent.usesProject`). */
  readonly usesProject?: boolean;
}

const EVERY_LANGUAGE: readonly LanguageKind[] = ['script', 'python', 'text'];

/**
 * The team's line-up. The coordinator needs only this to key the cache and to pick the agents of a file, so the
 * modules that parse are loaded where agents run (runner threads), on the first file that misses the cache.
 * Each agent module takes its version and languages from here: one place to bump.
 */
export const LINEUP: Readonly<Record<ConfigurableAgentId, AgentInfo>> = {
  structure: { version: '1', languages: ['script'] },
  // 4: files a tool writes (SVG, source maps, snapshots, minified, lock files) are left alone.
  hygiene: { version: '4', languages: EVERY_LANGUAGE },
  // 5: imports/wildcard is off by default in scripts (core/config/rules.ts OFF_BY_DEFAULT).
  imports: { version: '5', languages: ['script', 'python'], usesProject: true },
  // 2: complexity/await-in-loop is off by default (OFF_BY_DEFAULT); limits 20 and 100 lines by default.
  complexity: { version: '2', languages: ['script'] },
  // 2: test files are the configuration's global.tests (empty functions there were skipped by the agent's own list).
  // 3: conventions/naming is info by default.
  conventions: { version: '3', languages: ['script'] },
  // 3: test files are the configuration's global.tests (the agent no longer skips its own list of test paths).
  security: { version: '3', languages: EVERY_LANGUAGE },
};

/** An agent's `id`, `version`, `usesProject` and `appliesTo`, from the line-up. */
export function identityOf(id: ConfigurableAgentId): Pick<Agent, 'id' | 'version' | 'usesProject' | 'appliesTo'> {
  const info = LINEUP[id];
  return {
    id,
    version: info.version,
    ...(info.usesProject ? { usesProject: true } : {}),
    appliesTo: (language) => info.languages.includes(language),
  };
}
