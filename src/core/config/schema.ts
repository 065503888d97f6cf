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

/** A map keyed by the agent's rule ids, written in full (`imports/unused`) or short (`unused`). */
function ruleMap<T extends z.ZodType>(agent: ConfigurableAgentId, value: T) {
  const shape: Record<string, z.ZodOptional<T>> = {};
  for (const rule of RULES_BY_AGENT[agent]) {
    shape[rule] = value.optional();
    shape[shortRuleName(rule)] = value.optional();
  }
  return z.strictObject(shape).prefault({});
}

/** What every agent accepts; each agent's object adds its own settings. */
function agentShape(agent: ConfigurableAgentId) {
  return {
    enabled: z.boolean().default(true).describe('Run this agent.'),
    maxRetries: z.int().min(0).max(10).default(2).describe('Retries of a failed run, with exponential backoff.'),
    timeoutSeconds: z.number().positive().max(600).default(30).describe('Longest run on one file before it counts as a failure.'),
    cacheEnabled: z.boolean().default(true).describe("Reuse this agent's results for unchanged files."),
    rules: ruleMap(agent, z.boolean()).describe('Turn single rules on (true) or off (false).'),
    severity: ruleMap(agent, severity).describe("Override a rule's severity."),
    fixOnSave: ruleMap(agent, z.boolean()).describe(
      'Fixes applied by source.fixAll.maintenanceTeam on save: true opts a rule whose fix removes or rewrites code in '
      + '(e.g. imports/unused), false keeps a safe one out; unlisted rules apply on save only when their fix is safe.'),
  };
}

const complexityThresholds = z.strictObject({
  cyclomatic: z.int().min(1).default(10).describe('Highest cyclomatic complexity of a function.'),
  nestingDepth: z.int().min(1).default(4).describe('Deepest nesting of blocks in a function.'),
  functionLength: z.int().min(1).default(80).describe('Longest function, in lines.'),
  fileLength: z.int().min(1).default(1000).describe('Longest file, in lines.'),
  parameterCount: z.int().min(0).default(5).describe('Most parameters of a function.'),
}).prefault({});

const team = z.strictObject({
  structure: z.strictObject(agentShape('structure')).prefault({}),
  hygiene: z.strictObject(agentShape('hygiene')).prefault({}),
  imports: z.strictObject(agentShape('imports')).prefault({}),
  complexity: z.strictObject({ ...agentShape('complexity'), thresholds: complexityThresholds }).prefault({}),
  conventions: z.strictObject({
    ...agentShape('conventions'),
    requireJsDoc: z.boolean().default(false).describe('Report exported functions and classes without a JSDoc comment.'),
  }).prefault({}),
  security: z.strictObject({
    ...agentShape('security'),
    includeTests: z.boolean().default(false).describe('Also look for hard-coded secrets in test files and fixtures.'),
  }).prefault({}),
}).prefault({});

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

const global = z.strictObject({
  concurrency: z.int().min(1).max(256).optional().describe('Files audited at once (default: one per CPU).'),
  include: globList.default([]).describe('Globs of the files to audit, relative to the root (default: all).'),
  exclude: globList.default([]).describe('Globs of files never audited, on top of .gitignore.'),
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

export const configSchema = z.strictObject({
  team,
  global,
}).describe('Maintenance Team configuration (maintenance-team.yaml)');

/** The configuration with every default filled in. */
export type TeamConfig = z.output<typeof configSchema>;

/** Settings of the shared (Redis) cache tier. */
export type SharedCacheConfig = TeamConfig['global']['cache']['shared'];

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
