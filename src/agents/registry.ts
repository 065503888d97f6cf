import type { Agent } from './agent';
import { hygieneAgent } from './hygiene';
import { importsAgent } from './imports';
import { structureAgent } from './structure';

/** The team's default line-up, in the order their findings are computed. */
export function createDefaultAgents(): Agent[] {
  return [structureAgent, hygieneAgent, importsAgent];
}
