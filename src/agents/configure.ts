import { createHash } from 'node:crypto';
import { OFF_BY_DEFAULT } from '../core/config/rules';
import type { AgentConfig } from '../core/config/schema';
import type { Finding, Severity } from '../core/model';
import type { Agent, LanguageKind } from '../core/agent';

/** Settings that only steer how an agent is run, not what it finds; left out of its version. */
const RUN_ONLY_KEYS = new Set(['enabled', 'maxRetries', 'timeoutSeconds', 'cacheEnabled', 'fixOnSave']);

/**
 * Applies an agent's `rules` (on/off) and `severity` overrides from the config, and the rules off by default
 * (`OFF_BY_DEFAULT`, in the languages listed there) unless the config turns them on, and makes its version carry
 * every setting that shapes its findings (thresholds and options included), so cached results computed under
 * another configuration never match.
 */
export function configureAgent(agent: Agent, settings: AgentConfig): Agent {
  const disabled = new Set<string>();
  const severities = new Map<string, Severity>();
  const written = new Set<string>();
  for (const [rule, on] of Object.entries(settings.rules)) {
    if (on === undefined) continue;
    written.add(fullRuleId(agent.id, rule));
    if (on === false) disabled.add(fullRuleId(agent.id, rule));
  }
  for (const [rule, level] of Object.entries(settings.severity)) {
    if (level) severities.set(fullRuleId(agent.id, rule), level);
  }
  const offIn = new Map(Object.entries(OFF_BY_DEFAULT)
    .filter(([rule]) => rule.startsWith(`${agent.id}/`) && !written.has(rule)));
  const version = `${agent.version}+${fingerprint(settings)}`;
  if (disabled.size === 0 && severities.size === 0 && offIn.size === 0) return { ...agent, version, run: agent.run.bind(agent) };
  const shape = (findings: Finding[], language: LanguageKind): Finding[] => findings
    .filter((f) => !disabled.has(f.rule) && offIn.get(f.rule)?.includes(language) !== true)
    .map((f) => {
      const severity = severities.get(f.rule);
      return severity && severity !== f.severity ? { ...f, severity } : f;
    });
  return {
    ...agent,
    version,
    run(input, signal) {
      const result = agent.run(input, signal);
      return result instanceof Promise ? result.then((found) => shape(found, input.language)) : shape(result, input.language);
    },
  };
}

/** `unused` under the imports agent is `imports/unused`; a full id stays as it is. */
function fullRuleId(agentId: string, rule: string): string {
  if (rule.includes('/')) return rule;
  // The structure agent's only rule is `syntax/error`, the one id whose prefix is not the agent's.
  return agentId === 'structure' ? `syntax/${rule}` : `${agentId}/${rule}`;
}

function fingerprint(settings: AgentConfig): string {
  const shaping = Object.fromEntries(Object.entries(settings).filter(([key]) => !RUN_ONLY_KEYS.has(key)));
  return createHash('sha256').update(stableJson(shaping)).digest('hex').slice(0, 12);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
