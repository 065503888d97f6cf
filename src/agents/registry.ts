import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIGURABLE_AGENTS, type ConfigurableAgentId } from '../core/config/rules';
import { defaultConfig, type TeamConfig } from '../core/config/schema';
import type { Agent } from '../core/agent';
import type * as Complexity from './complexity';
import type * as Conventions from './conventions';
import type * as Hygiene from './hygiene';
import type * as Imports from './imports';
import type * as Security from './security';
import type * as Structure from './structure';
import { configureAgent } from './configure';
import { identityOf } from './lineup';
import type * as TestAgents from '../testing/testAgents';

/* eslint-disable @typescript-eslint/no-require-imports -- the agent modules load on first use (see `lazyAgent`) */
/** How each agent is built from the `team` settings; called only when the agent first runs. */
const BUILDERS: Readonly<Record<ConfigurableAgentId, (team: TeamConfig['team']) => Agent>> = {
  structure: () => (require('./structure') as typeof Structure).structureAgent,
  hygiene: () => (require('./hygiene') as typeof Hygiene).hygieneAgent,
  imports: () => (require('./imports') as typeof Imports).importsAgent,
  complexity: (team) => (require('./complexity') as typeof Complexity).createComplexityAgent(team.complexity.thresholds),
  conventions: (team) => (require('./conventions') as typeof Conventions)
    .createConventionsAgent({ requireJsDoc: team.conventions.requireJsDoc }),
  // includeTests is applied by the configuration of test files (src/core/config/overrides.ts), not by the agent.
  security: () => (require('./security') as typeof Security).securityAgent,
};

/** Names the fault-injection agents to add (src/testing/testAgents.ts `TEST_AGENTS_ENV`; not imported, see below). */
const TEST_AGENTS_ENV = 'MAINTENANCE_TEAM_TEST_AGENTS';

/**
 * The fault-injection agents the resilience tests name in MAINTENANCE_TEAM_TEST_AGENTS. They are not part of what
 * ships: loaded by path, never imported, from their TypeScript source when this module runs from source (tests),
 * else from dist/test-agents.js, which only a development build writes (`npm run build`, not `--production`) and
 * the extension package never includes. Where that file is absent, the variable names no agent.
 */
function testAgentsFromEnv(env: Readonly<Record<string, string | undefined>>): Agent[] {
  if (!env[TEST_AGENTS_ENV]?.trim()) return [];
  const file = __filename.endsWith('.ts') ? join(__dirname, '../testing/testAgents.ts') : join(__dirname, 'test-agents.js');
  if (!existsSync(file)) return [];
  return (require(file) as typeof TestAgents).testAgentsFromEnv(env);
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The agent as the line-up describes it, its module (and the TypeScript compiler behind it) loaded on its first
 * run. A thread that only keys the cache and hands files to runner threads (the CLI's and the engine's main
 * threads) never loads the parser: ~100 MB less and a second less to start.
 */
function lazyAgent(id: ConfigurableAgentId, team: TeamConfig['team']): Agent {
  let loaded: Agent | undefined;
  return {
    ...identityOf(id),
    run(input, signal) {
      loaded ??= BUILDERS[id](team);
      return loaded.run(input, signal);
    },
  };
}

/** The team as a configuration shapes it: enabled agents only, in the order their findings are computed. */
export function createTeam(config: TeamConfig = defaultConfig()): Agent[] {
  const { team } = config;
  const configured = CONFIGURABLE_AGENTS.filter((id) => team[id].enabled).map((id) => configureAgent(lazyAgent(id, team), team[id]));
  // Fault-injection agents for the resilience tests, only when MAINTENANCE_TEAM_TEST_AGENTS names them.
  return [...configured, ...testAgentsFromEnv(process.env)];
}

/** The team's default line-up (no configuration file). */
export function createDefaultAgents(): Agent[] {
  return createTeam();
}
