import { CONFIGURABLE_AGENTS, type ConfigurableAgentId } from '../core/config/rules';
import { defaultConfig, type TeamConfig } from '../core/config/schema';
import type { Agent } from './agent';
import { createComplexityAgent } from './complexity';
import { configureAgent } from './configure';
import { createConventionsAgent } from './conventions';
import { hygieneAgent } from './hygiene';
import { importsAgent } from './imports';
import { createSecurityAgent } from './security';
import { structureAgent } from './structure';
import { testAgentsFromEnv } from './testAgents';

/** The team as a configuration shapes it: enabled agents only, in the order their findings are computed. */
export function createTeam(config: TeamConfig = defaultConfig()): Agent[] {
  const { team } = config;
  const members: Record<ConfigurableAgentId, () => Agent> = {
    structure: () => structureAgent,
    hygiene: () => hygieneAgent,
    imports: () => importsAgent,
    complexity: () => createComplexityAgent(team.complexity.thresholds),
    conventions: () => createConventionsAgent({ requireJsDoc: team.conventions.requireJsDoc }),
    security: () => createSecurityAgent({ includeTests: team.security.includeTests }),
  };
  const configured = CONFIGURABLE_AGENTS.filter((id) => team[id].enabled).map((id) => configureAgent(members[id](), team[id]));
  // Fault-injection agents for the resilience tests, only when MAINTENANCE_TEAM_TEST_AGENTS names them.
  return [...configured, ...testAgentsFromEnv(process.env)];
}

/** The team's default line-up (no configuration file). */
export function createDefaultAgents(): Agent[] {
  return createTeam();
}
