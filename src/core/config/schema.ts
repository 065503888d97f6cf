import { z } from 'zod';
import { MAX_FILE_SIZE_KB } from '../files/fileLoader';
import { globProblem } from '../glob/configGlob';
import { RULES_BY_AGENT, shortRuleName, type ConfigurableAgentId } from './rules';

/**
 * The schema of `maintenance-team.yaml`, modelled on the seeds' `team_config` / `global_settings`.
 * Every default lives here and nowhere else; the TypeScript type is inferred from it and the JSON Schema
 * given to editors is generated from it at build time. Objects are strict so a misspelt key is reported.
 */

const severity = z.enum(['error', 'warning', 'info', 'hint']);

/**
 * Two forms of the team's schema: `base` (what `team:` holds, every default filled in) and `override` (what an
 * override's `team:` holds: any subset, no defaults, so a setting not written there never resets the base's).
 */
type Form = 'base' | 'override';

type Defaulted<F extends Form, T extends z.ZodType> = F extends 'base' ? z.ZodDefault<T> : z.ZodOptional<T>;
type Sectioned<F extends Form, T extends z.ZodType> = F extends 'base' ? z.ZodPrefault<T> : z.ZodOptional<T>;

/** `schema` with its default in the base form, optional in an override. */
function withDefault<F extends Form, T extends z.ZodType>(form: F, schema: T, value: z.output<T>, description: string): Defaulted<F, T> {
  const described = schema.describe(description);
  return (form === 'base' ? described.default(value as never) : described.optional()) as Defaulted<F, T>;
}

/** An object of settings: filled in from `{}` in the base form, optional in an override. */
function section<F extends Form, T extends z.ZodType>(form: F, schema: T, description?: string): Sectioned<F, T> {
  const described = description === undefined ? schema : schema.describe(description);
  return (form === 'base' ? described.prefault({} as never) : described.optional()) as Sectioned<F, T>;
}

/** A map keyed by the agent's rule ids, written in full (`imports/unused`) or short (`unused`). */
function ruleMap<F extends Form, T extends z.ZodType>(form: F, agent: ConfigurableAgentId, value: T, description: string) {
  const shape: Record<string, z.ZodOptional<T>> = {};
  for (const rule of RULES_BY_AGENT[agent]) {
    shape[rule] = value.optional();
    shape[shortRuleName(rule)] = value.optional();
  }
  return section(form, z.strictObject(shape), description);
}

/**
 * What every agent accepts; each agent's object adds its own settings. An override leaves out the settings of how
 * an agent is run (retries, time limit, cache): they are the agent's everywhere, not a file's.
 */
function agentShape<F extends Form>(form: F, agent: ConfigurableAgentId) {
  const shape = {
    enabled: withDefault(form, z.boolean(), true, 'Run this agent.'),
    rules: ruleMap(form, agent, z.boolean(), 'Turn single rules on (true) or off (false).'),
    severity: ruleMap(form, agent, severity, "Override a rule's severity."),
    fixOnSave: ruleMap(form, agent, z.boolean(),
      'Fixes applied by source.fixAll.maintenanceTeam on save: true opts a rule whose fix removes or rewrites code in '
      + '(e.g. imports/unused), false keeps a safe one out; unlisted rules apply on save only when their fix is safe.'),
  };
  const run = {
    maxRetries: z.int().min(0).max(10).default(2).describe('Retries of a failed run, with exponential backoff.'),
    timeoutSeconds: z.number().positive().max(600).default(30).describe('Longest run on one file before it counts as a failure.'),
    cacheEnabled: z.boolean().default(true).describe("Reuse this agent's results for unchanged files."),
  };
  return (form === 'base' ? { ...shape, ...run } : shape) as F extends 'base' ? typeof shape & typeof run : typeof shape;
}

function complexityThresholds<F extends Form>(form: F) {
  return section(form, z.strictObject({
    cyclomatic: withDefault(form, z.int().min(1), 20, 'Highest cyclomatic complexity of a function.'),
    nestingDepth: withDefault(form, z.int().min(1), 4, 'Deepest nesting of blocks in a function.'),
    functionLength: withDefault(form, z.int().min(1), 100, 'Longest function, in lines.'),
    fileLength: withDefault(form, z.int().min(1), 1000, 'Longest file, in lines.'),
    parameterCount: withDefault(form, z.int().min(0), 5, 'Most parameters of a function.'),
  }));
}

function teamSchema<F extends Form>(form: F) {
  const agent = <T extends z.core.$ZodLooseShape>(shape: T) => section(form, z.strictObject(shape));
  return section(form, z.strictObject({
    structure: agent(agentShape(form, 'structure')),
    hygiene: agent(agentShape(form, 'hygiene')),
    imports: agent(agentShape(form, 'imports')),
    complexity: agent({ ...agentShape(form, 'complexity'), thresholds: complexityThresholds(form) }),
    conventions: agent({
      ...agentShape(form, 'conventions'),
      requireJsDoc: withDefault(form, z.boolean(), false, 'Report exported functions and classes without a JSDoc comment.'),
    }),
    security: agent({
      ...agentShape(form, 'security'),
      includeTests: withDefault(form, z.boolean(), false, 'Also look for hard-coded secrets in test files (global.tests) and fixtures.'),
    }),
  }));
}

const team = teamSchema('base');

/** What an override (or a profile) may set: any subset of `team`, without defaults. */
export const teamOverrideSchema = teamSchema('override').unwrap();

/**
 * L3: a Redis shared by the team (issue 10). A repository may only set these non-sensitive knobs: where to connect
 * and with which credentials (url, nodes, cluster, passwordEnv, TLS) come from the user alone (see
 * `USER_ONLY_SHARED_KEYS` and src/core/cache/shared/sharedEndpoint.ts). The key namespace is no secret: its default
 * is the package.json name, which the repository sets anyway.
 */
const sharedCache = z.strictObject({
  keyPrefix: z.string().regex(/^[\w.-]{1,64}$/, { error: '1 to 64 letters, digits, _, . or -' }).default('mt').describe('First part of every key (for ACL key patterns).'),
  projectId: z.string().min(1).max(100).optional()
    .describe('Namespace of this project\'s keys (default: the name in package.json, else the repository folder name).'),
  ttlSeconds: z.int().min(1).default(604_800).describe('How long a result stays in Redis.'),
  timeoutMs: z.int().min(1).max(10_000).default(150).describe('Longest wait for one lookup before the file is computed locally.'),
}).prefault({});

/** Most include or exclude globs: each costs time on every path of the walk. */
export const MAX_GLOBS = 1000;

/** A glob the linear matcher takes (see globProblem); one it refuses is reported and left out. */
const glob = z.string().min(1).superRefine((value, ctx) => {
  const problem = globProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `a supported glob (${problem})` });
});

const globList = z.array(glob).max(MAX_GLOBS);

/**
 * The default `global.tests`: the file names and folders of the test runners of the languages the agents read
 * (Jest, Vitest, Mocha, Jasmine, node:test, pytest), their mocks and the fixtures tests read. Stories (Storybook)
 * are left out: they are the components' documentation and are kept like the code. What test files get: TEST_TREATMENT
 * (overrides.ts).
 */
export const DEFAULT_TEST_GLOBS: readonly string[] = [
  '**/*.test.*', '**/*.spec.*', '**/__tests__/**', '**/__mocks__/**', '**/test/**', '**/tests/**',
  '**/fixtures/**', '**/__fixtures__/**', '**/test_*.py', '**/*_test.py', '**/conftest.py',
];

const global = z.strictObject({
  concurrency: z.int().min(1).max(256).optional().describe('Files audited at once (default: one per CPU).'),
  include: globList.default([]).describe('Globs of the files to audit, relative to the root (default: all).'),
  exclude: globList.default([]).describe('Globs of files never audited, on top of .gitignore.'),
  tests: globList.default([...DEFAULT_TEST_GLOBS]).describe(
    'Globs of test files, which get the built-in treatment for tests before your overrides (see overrides); [] = none.'),
  maxFileSizeKb: z.int().min(1).max(MAX_FILE_SIZE_KB).default(1024).describe('Larger files are skipped.'),
  cache: z.strictObject({
    ttlSeconds: z.int().min(0).default(604_800).describe('How long a cached result stays valid (0 = no limit).'),
    maxEntries: z.int().min(1).default(20_000).describe('Results kept in memory.'),
    maxSizeMb: z.number().positive().default(64).describe('Size of the on-disk cache.'),
    shared: sharedCache,
  }).prefault({}),
  circuitBreaker: z.strictObject({
    failureThreshold: z.int().min(1).default(5).describe('Consecutive failures that open an agent\'s breaker.'),
    openTimeoutSeconds: z.number().positive().default(60).describe('Wait before the first probe of an open breaker.'),
    maxOpenTimeoutSeconds: z.number().positive().default(300).describe('Longest wait, after doubling on failed probes.'),
  }).prefault({}),
  alerts: z.strictObject({
    errorRate: z.number().min(0).max(1).default(0.15).describe('Alert when an agent fails more often than this (0–1).'),
    slowResponseMs: z.number().positive().default(1000).describe("Alert when an agent's average run is slower."),
    memoryMb: z.number().positive().default(500).describe('Alert when the engine uses more memory.'),
  }).prefault({}),
  optimizations: z.boolean().default(true)
    .describe('false = the rollback switch: audit one file at a time, without cache; findings are the same.'),
}).prefault({});

/** The profiles a configuration may start from (src/core/config/profiles.ts holds what each sets). */
export const PROFILE_NAMES = ['default', 'strict'] as const;

/** Settings for some files only: `files` globs, minus `ignores`, get `team` on top of the base settings. */
const override = z.strictObject({
  files: globList.min(1).describe('Globs of the files this override applies to, relative to the root.'),
  ignores: globList.optional().describe('Globs of files left out of this override, although `files` matches them.'),
  team: teamOverrideSchema.prefault({}).describe(
    'Team settings for these files, on top of the base ones: only what is written here changes.'),
});

/** Most overrides: each one's globs are matched against every path. */
export const MAX_OVERRIDES = 100;

export const configSchema = z.strictObject({
  profile: z.enum(PROFILE_NAMES).default('default').describe(
    'Settings to start from: default, or strict (lower thresholds, more rules); what the file says wins.'),
  team,
  global,
  overrides: z.array(override).max(MAX_OVERRIDES).default([]).describe(
    'Settings for some paths (tests, generated code...): later entries win over earlier ones and the base.'),
}).describe('Maintenance Team configuration (maintenance-team.yaml)');

/** The configuration with every default filled in. */
export type TeamConfig = z.output<typeof configSchema>;

/** Settings of the shared (Redis) cache tier. */
export type SharedCacheConfig = TeamConfig['global']['cache']['shared'];

/** An override's (or a profile's) team settings: any subset of `team`, nothing filled in. */
export type TeamOverride = z.output<typeof teamOverrideSchema>;

/** One entry of `overrides`. */
export type ConfigOverride = TeamConfig['overrides'][number];

/** Settings of one agent, as far as every agent shares them. */
export type AgentConfig = TeamConfig['team'][ConfigurableAgentId];

/** The configuration used when there is no file, or nothing valid in it. */
export function defaultConfig(): TeamConfig {
  return configSchema.parse({});
}

/** The JSON Schema contributed to editors (completion and checks in maintenance-team.yaml). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
}
