import type { Agent } from './agent';
import { complexityAgent } from './complexity';
import { hygieneAgent } from './hygiene';
import { importsAgent } from './imports';
import { securityAgent } from './security';
import { structureAgent } from './structure';

/** The team's default line-up, in the order their findings are computed. */
export function createDefaultAgents(): Agent[] {
  return [structureAgent, hygieneAgent, importsAgent, complexityAgent, securityAgent];
}
