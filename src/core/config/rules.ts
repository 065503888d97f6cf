import type { LanguageKind } from '../agent';

/**
 * The rule catalogue of DESIGN.md ("Rule ids"): which rules each configurable agent reports. The config
 * schema is built from it, so a rule named in `maintenance-team.yaml` is checked and typos are caught.
 */
export const RULES_BY_AGENT = {
  structure: ['syntax/error'],
  hygiene: [
    'hygiene/trailing-whitespace', 'hygiene/mixed-indentation', 'hygiene/consecutive-blank-lines', 'hygiene/final-newline',
  ],
  imports: ['imports/unused', 'imports/duplicate', 'imports/wildcard', 'imports/undeclared-dependency'],
  complexity: [
    'complexity/cyclomatic', 'complexity/nesting-depth', 'complexity/function-length', 'complexity/file-length',
    'complexity/parameter-count', 'complexity/await-in-loop',
  ],
  conventions: ['conventions/naming', 'conventions/stub-function', 'conventions/missing-jsdoc'],
  security: [
    'security/hardcoded-secret', 'security/eval', 'security/command-injection', 'security/sql-injection',
    'security/path-traversal', 'security/unsafe-html', 'security/shell-true', 'security/tls-disabled',
    'security/weak-random',
  ],
} as const satisfies Record<string, readonly string[]>;

/** The agents a user can configure under `team:`. */
export type ConfigurableAgentId = keyof typeof RULES_BY_AGENT;

export const CONFIGURABLE_AGENTS = Object.keys(RULES_BY_AGENT) as ConfigurableAgentId[];

/**
 * The one order agents are listed in (reports' summaries, merged shards): the line-up's, then any other agent (a
 * test agent) by id. A comparator for `sort`.
 */
export function compareAgentIds(a: string, b: string): number {
  const rank = (id: string) => {
    const index = (CONFIGURABLE_AGENTS as readonly string[]).indexOf(id);
    return index < 0 ? CONFIGURABLE_AGENTS.length : index;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** `record` with its keys (agent ids) in `compareAgentIds` order. */
export function inAgentOrder<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort(compareAgentIds).map((id) => [id, record[id]]));
}

/** The rule's name without its agent prefix: `imports/unused` → `unused`. */
export function shortRuleName(rule: string): string {
  return rule.slice(rule.indexOf('/') + 1);
}

/**
 * Rules that are off unless the configuration turns them on (`rules: { <rule>: true }`, or `profile: strict`), with
 * the languages they are off in: what the calibration (docs/calibration.md) found not worth acting on by default.
 * `complexity/await-in-loop` is not in `eslint:recommended` (awaiting one step after another is often the point);
 * `imports/wildcard` in scripts is a style (effect imports its own modules as namespaces 2,035 times), while Python's
 * `from x import *` hides where names come from and stays on, as Ruff's F403 does.
 */
export const OFF_BY_DEFAULT: Readonly<Record<string, readonly LanguageKind[]>> = {
  'complexity/await-in-loop': ['script'],
  'imports/wildcard': ['script'],
};
