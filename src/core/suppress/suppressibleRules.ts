import { RULES_BY_AGENT } from '../config/rules';
import { editDistance } from '../editDistance';

/** A suppression that cannot be honoured: an unknown rule, an engine rule, no rule, a misplaced file-level one. */
export const INVALID_SUPPRESSION_RULE = 'maintenance/invalid-suppression';

/** A suppression (or one rule id of it) that suppressed nothing. */
export const UNUSED_SUPPRESSION_RULE = 'maintenance/unused-suppression';

/** The engine's own rules (`maintenance/*`): an audit that did not happen is never hidden, so none can be suppressed. */
export function isEngineRule(id: string): boolean {
  return id === 'maintenance' || id.startsWith('maintenance/');
}

/** The agent that reports each rule of the catalogue (`syntax/error` is the structure agent's). */
const AGENT_OF_RULE: ReadonlyMap<string, string> = new Map(
  Object.entries(RULES_BY_AGENT).flatMap(([agent, rules]) => rules.map((rule): [string, string] => [rule, agent])),
);

const AGENTS: ReadonlySet<string> = new Set(Object.keys(RULES_BY_AGENT));

/**
 * The agent whose run decides whether a suppression of `id` (a rule id or an agent name) can be called unused;
 * undefined for an id that is neither.
 */
export function agentOfSuppressible(id: string): string | undefined {
  return AGENTS.has(id) ? id : AGENT_OF_RULE.get(id);
}

/** Ids longer than this are quoted cut short, and get no suggestion (no known id is near one). */
const MAX_QUOTED_ID = 80;

/**
 * Why `id` cannot be suppressed, or undefined when it can (a rule id of the catalogue or an agent name). With
 * `suggest`, an unknown id is given the closest known one.
 */
export function suppressionProblem(id: string, suggest = true): string | undefined {
  const quoted = id.length > MAX_QUOTED_ID ? `${id.slice(0, MAX_QUOTED_ID - 1)}…` : id;
  if (isEngineRule(id)) return `'${quoted}' is one of the engine's own rules, which cannot be suppressed`;
  if (agentOfSuppressible(id)) return undefined;
  const closest = suggest && id.length <= MAX_QUOTED_ID ? closestId(id) : undefined;
  return `unknown rule '${quoted}'${closest ? `; did you mean '${closest}'?` : ''}`;
}

/** The known id (rule or agent) nearest to `id` by edit distance, when near enough to be a typo. */
function closestId(id: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of [...AGENTS, ...AGENT_OF_RULE.keys()]) {
    // A missing agent prefix (`cyclomatic` for `complexity/cyclomatic`) is the likeliest slip of all.
    const distance = known.endsWith(`/${id}`) ? 0 : editDistance(id, known);
    if (distance < bestDistance) [best, bestDistance] = [known, distance];
  }
  return bestDistance <= Math.max(3, Math.floor(id.length / 3)) ? best : undefined;
}

