import { RULES_BY_AGENT, shortRuleName, type ConfigurableAgentId } from './rules';
import type { PROFILE_NAMES, TeamOverride } from './schema';

/** A profile's name (`profile:` in maintenance-team.yaml). */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * What each profile sets, layered UNDER what the configuration file says (the file wins, key by key), above the
 * schema's defaults. `default` is the schema's defaults themselves, calibrated on four public codebases
 * (docs/calibration.md): cyclomatic complexity 20 (ESLint's `complexity`), functions of 100 lines (Clippy),
 * `complexity/await-in-loop` and scripts' `imports/wildcard` off (core/config/rules.ts OFF_BY_DEFAULT),
 * `conventions/naming` at info. `strict` is the classic limits: McCabe's 10, ESLint's `max-depth` 3,
 * `max-lines-per-function` 50, `max-params` 3 and a 500-line file, every rule on, JSDoc on exports.
 * test/unit/overrides.test.ts holds every profile to the schema.
 */
export const PROFILES: Readonly<Record<ProfileName, TeamOverride>> = {
  default: {},
  strict: {
    hygiene: { severity: { 'trailing-whitespace': 'warning', 'consecutive-blank-lines': 'warning', 'final-newline': 'warning' } },
    imports: { rules: { wildcard: true } },
    complexity: {
      rules: { 'await-in-loop': true },
      severity: { 'file-length': 'warning' },
      thresholds: { cyclomatic: 10, nestingDepth: 3, functionLength: 50, fileLength: 500, parameterCount: 3 },
    },
    conventions: { severity: { naming: 'warning' }, requireJsDoc: true },
  },
};

/** The keys of an agent's settings that are maps keyed by rule id, written in full or short. */
const RULE_MAPS = new Set(['rules', 'severity', 'fixOnSave']);

/**
 * `over` laid on `under`, key by key, down through mappings; a list or a value in `over` replaces `under`'s.
 * Both are `team` settings (inputs or outputs of the schema): in a rule map, a rule `over` names (in full or short)
 * replaces `under`'s entry for it under either name, so `rules: { unused: true }` wins over `imports/unused: false`.
 */
export function layerTeam(under: unknown, over: unknown): unknown {
  return layer(under, over, []);
}

function layer(under: unknown, over: unknown, path: readonly string[]): unknown {
  if (over === undefined) return under;
  if (!isPlainObject(under) || !isPlainObject(over)) return over;
  const result: Record<string, unknown> = { ...under };
  const ruleMapOf = path.length === 2 && RULE_MAPS.has(path[1]) ? path[0] : undefined;
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    if (ruleMapOf !== undefined) for (const alias of ruleAliases(ruleMapOf, key)) delete result[alias];
    result[key] = layer(result[key], value, [...path, key]);
  }
  return result;
}

/** Both names of the agent's rule `key` names (`imports/unused` and `unused`); just `key` when it names none. */
function ruleAliases(agent: string, key: string): string[] {
  const rules: readonly string[] = RULES_BY_AGENT[agent as ConfigurableAgentId] ?? [];
  const rule = rules.find((id) => id === key || shortRuleName(id) === key);
  return rule ? [rule, shortRuleName(rule)] : [key];
}

/**
 * The raw configuration (parsed YAML, not yet validated) with its profile's settings laid under its `team`.
 * An unknown profile name lays nothing (the schema reports it); neither does a `team` that is not a mapping.
 */
export function withProfile(input: Record<string, unknown>): Record<string, unknown> {
  const name = input.profile;
  if (typeof name !== 'string' || !Object.hasOwn(PROFILES, name)) return input;
  const preset = PROFILES[name as ProfileName];
  if (Object.keys(preset).length === 0) return input;
  const team = input.team ?? {};
  if (!isPlainObject(team)) return input;
  return { ...input, team: layerTeam(structuredClone(preset), team) };
}

/** A mapping of the YAML document (not a list, a date, a typed array...). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
