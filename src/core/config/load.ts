import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { MAX_MANIFEST_BYTES } from '../files/boundedRead';
import type { Range } from '../model';
import { LineIndex } from '../text';
import { countOf, listOf } from '../wording';
import { droppedContainer, RUN_SETTING_HINT, runSettingInOverride } from './overrides';
import { withProfile } from './profiles';
import { configSchema, defaultConfig, type TeamConfig } from './schema';
import { dropUserOnlyKeys } from './userOnlyKeys';
import { dropCollectionKeys, duplicateKeys, YamlPlaces } from './yamlPlaces';
import { editDistance } from '../editDistance';

/** One thing wrong in a configuration file, placed on the offending key or value. */
export interface ConfigProblem {
  /** `error`: a value was replaced by its default; `warning`: something was ignored (unknown key). */
  readonly severity: 'error' | 'warning';
  /** Names the key, what was expected and what was found. */
  readonly message: string;
  readonly range: Range;
}

/** A configuration as the team will use it, with what had to be set aside to get there. */
export interface LoadedConfig {
  readonly config: TeamConfig;
  readonly problems: ConfigProblem[];
}

type Path = readonly PropertyKey[];
type ZodIssue = z.core.$ZodIssue;

/** Marks a value to drop so its default applies; removed after all issues of a round are placed. */
const DROPPED = Symbol('dropped');

/** More rounds than the schema has levels: each round drops at least one offending value. */
const MAX_ROUNDS = 32;

/** Problems listed at most; past it one more says how many were left out (a CI log, the Problems panel). */
export const MAX_PROBLEMS = 100;

/** Keys and values quoted in messages are cut to this many characters. */
const MAX_QUOTED = 80;

/**
 * Reads a configuration's YAML text. Never throws: the valid parts apply, each invalid value is replaced
 * by its default, unknown keys are ignored, and every problem is reported at its line and column.
 */
export function parseConfig(text: string): LoadedConfig {
  if (text.length > MAX_MANIFEST_BYTES) {
    const here = { line: 1, column: 1 };
    const message = `the configuration is over the ${MAX_MANIFEST_BYTES / 1024} KB limit; not read, defaults used`;
    return { config: defaultConfig(), problems: [{ severity: 'error', message, range: { start: here, end: here } }] };
  }
  const { config, problems } = validate(text);
  return { config, problems: capped(problems.sort(byPosition)) };
}

/** Linear in the text's size: YAML parse, a duplicate-key pass, rounds of zod, problems placed through an index. */
function validate(text: string): LoadedConfig {
  const lineCounter = new LineCounter();
  // uniqueKeys off: the yaml package checks it in quadratic time; duplicateKeys does the same check linearly.
  // logLevel error: what the package would print on the console is reported here as a problem instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const lines = new LineIndex(text);
  const problems: ConfigProblem[] = [];
  const at = (start: number, end: number) => lines.rangeOf(start, Math.max(start, end));
  for (const error of doc.errors) {
    problems.push({ severity: 'error', message: `YAML syntax: ${firstLine(error.message)}`, range: at(error.pos[0], error.pos[1]) });
  }
  for (const [start, end] of duplicateKeys(doc)) {
    problems.push({ severity: 'error', message: 'YAML syntax: Map keys must be unique', range: at(start, end) });
  }
  for (const key of dropCollectionKeys(doc)) {
    problems.push({ severity: 'error', message: `YAML: a key must be a name, found ${key.kind}; ignored`, range: at(key.start, key.end) });
  }
  for (const warning of doc.warnings) {
    problems.push({ severity: 'warning', message: `YAML: ${firstLine(warning.message)}`, range: at(warning.pos[0], warning.pos[1]) });
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    problems.push({ severity: 'error', message: `YAML: ${firstLine(String(error))}`, range: at(0, 0) });
    value = {};
  }
  if (value === null || value === undefined) return { config: defaultConfig(), problems };
  if (!isPlainObject(value)) {
    const range = doc.contents?.range ?? [0, 0];
    problems.push({
      severity: 'error',
      message: `the configuration must be a mapping with the keys profile, team, global and overrides, found ${describeValue(value)}`,
      range: at(range[0], range[1]),
    });
    return { config: defaultConfig(), problems };
  }
  // Before validation, so a destination or credential never reaches the schema's messages (which quote values).
  for (const problem of dropUserOnlyKeys(value, doc, at)) problems.push(problem);

  const places = new YamlPlaces(doc);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // The profile's settings go under the file's, which win key by key (the paths of the file's own keys are
    // unchanged); laid again each round, so a value of the file's dropped as invalid falls back to the profile's.
    value = withProfile(value as Record<string, unknown>);
    const parsed = configSchema.safeParse(value);
    if (parsed.success) return { config: parsed.data, problems };
    for (const issue of parsed.error.issues) {
      for (const problem of describeIssue(issue, value, places, at)) problems.push(problem);
      markDropped(value, issue);
    }
    value = withoutDropped(value);
  }
  // Unreachable in practice (each round drops what failed); never leave the team without a config.
  return { config: defaultConfig(), problems };
}

/** The first MAX_PROBLEMS problems, and one more saying how many were left out. */
function capped(problems: ConfigProblem[]): ConfigProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const left = problems.length - MAX_PROBLEMS;
  const shown = problems.slice(0, MAX_PROBLEMS);
  const { range } = problems[MAX_PROBLEMS];
  const severity = problems.slice(MAX_PROBLEMS).some((p) => p.severity === 'error') ? 'error' : 'warning';
  return [...shown, { severity, message: `${countOf(left, 'more problem', 'more problems')} in this file, not listed`, range }];
}

function describeIssue(
  issue: ZodIssue, root: unknown, places: YamlPlaces, at: (start: number, end: number) => Range,
): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path);
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      const suggestion = key.length > MAX_QUOTED ? undefined : closest(key, known);
      const range = places.locate(path, 'key');
      const hint = suggestion ? ` (did you mean '${suggestion}'?)` : runSettingInOverride(path) ? ` (${RUN_SETTING_HINT})` : '';
      return {
        severity: 'warning',
        message: `${dotted(issue.path) || 'top level'}: unknown key '${shorten(key)}'${hint}; ignored`,
        range: at(range[0], range[1]),
      };
    });
  }
  const range = places.locate(issue.path, 'value');
  const container = droppedContainer(issue.path);
  const outcome = container ? `${dotted(container)} ignored` : typeof issue.path.at(-1) === 'number' ? 'ignored' : 'using the default';
  // A value that may hold a secret (a Redis URL with a password) is never echoed to the Problems panel or a CI log.
  if (issue.code === 'custom' && issue.params?.secret === true) {
    return [{ severity: 'error', message: `${dotted(issue.path)}: ${issue.message}; ${outcome}`, range: at(range[0], range[1]) }];
  }
  const found = describeValue(valueAt(root, issue.path));
  return [{
    severity: 'error',
    message: `${dotted(issue.path)}: expected ${expectation(issue)}, found ${found}; ${outcome}`,
    range: at(range[0], range[1]),
  }];
}

/**
 * What the schema wanted, in words. A check zod can only describe in its own terms (a pattern, a custom refinement)
 * carries its message in the schema (see schema.ts), written to follow "expected"; the unit tests hold every field to it.
 */
function expectation(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': return TYPE_WORDS[issue.expected] ?? issue.expected;
    case 'invalid_value': return issue.values.length === 1 ? String(issue.values[0]) : `one of ${listOf(issue.values.map(String), 'or')}`;
    case 'too_small': return boundWords(issue.origin, issue.inclusive ? 'at least' : 'more than', issue.minimum);
    case 'too_big': return boundWords(issue.origin, issue.inclusive ? 'at most' : 'less than', issue.maximum);
    default: return issue.message;
  }
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number', int: 'a whole number', boolean: 'true or false', string: 'a text',
  object: 'a mapping (key: value lines)', array: 'a list', record: 'a mapping (key: value lines)',
};

/** "a list of at most 1,000 items", "a text of at least 1 character", "a number greater than 0". */
function boundWords(origin: string, relation: 'at least' | 'more than' | 'at most' | 'less than', bound: number | bigint): string {
  const n = Number(bound);
  if (origin === 'array') return `a list of ${relation} ${countOf(n, 'item')}`;
  if (origin === 'string') return `a text of ${relation} ${countOf(n, 'character')}`;
  if (relation === 'more than') return `a number greater than ${n}`;
  if (relation === 'less than') return `a number less than ${n}`;
  return `a number of ${relation} ${n}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(shorten(value));
  return shorten(String(value));
}

/** The keys the schema allows at an object path (for typo suggestions). */
function knownKeysAt(path: Path): string[] {
  let schema: unknown = configSchema;
  for (const segment of path) {
    const shape = shapeOf(schema);
    if (!shape || typeof segment !== 'string') return [];
    schema = shape[segment];
  }
  return Object.keys(shapeOf(schema) ?? {});
}

/** Unwraps defaults and optionals down to an object schema's shape. */
function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  let current = schema as { def?: { innerType?: unknown }; shape?: Record<string, unknown> } | undefined;
  for (let depth = 0; current && depth < 8; depth++) {
    if (current.shape) return current.shape;
    current = current.def?.innerType as typeof current;
  }
  return undefined;
}

/** The known key nearest to a misspelt one, if it is near enough to be a typo. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    // The distance is at least the difference in length: most unknown keys need no table at all.
    if (Math.abs(candidate.length - key.length) >= bestDistance) continue;
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/**
 * Marks what an issue is about for removal, so the next round parses without it. When the offending
 * value sits inside something that is not a plain mapping or list (YAML tags such as !!binary or !!set
 * make typed arrays and sets), the nearest plain container's entry goes instead.
 */
function markDropped(root: unknown, issue: ZodIssue): void {
  if (issue.code === 'unrecognized_keys') {
    const parent = valueAt(root, issue.path);
    if (isPlainObject(parent)) for (const key of issue.keys) parent[key] = DROPPED;
    return;
  }
  const container = droppedContainer(issue.path);
  for (let depth = (container ?? issue.path).length - 1; depth >= 0; depth--) {
    const parent = valueAt(root, issue.path.slice(0, depth));
    if (isPlainObject(parent) || Array.isArray(parent)) {
      (parent as Record<PropertyKey, unknown>)[issue.path[depth]] = DROPPED;
      return;
    }
  }
}

function withoutDropped(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== DROPPED).map(withoutDropped);
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== DROPPED) result[key] = withoutDropped(item);
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function dotted(path: Path): string {
  return path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : String(segment)))
    .join('.').replace(/\.\[/g, '[');
}

/** A key or value as quoted in a message: at most MAX_QUOTED characters. */
function shorten(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0].trim();
}

function byPosition(a: ConfigProblem, b: ConfigProblem): number {
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}
