/** The command line parsed and validated into a command of src/cli/commands.ts, or a usage error (exit 2). */
import { REPORT_FORMATS, type ReportFormat } from '../reports/reportFormat';
import { endpointProblem, splitNodes } from '../core/cache/shared/sharedEndpoint';
import { parseShard } from '../core/files/shard';
import { pushUrlProblem } from '../core/metrics/pushgateway';
import { baselineConflictOf, baselineRequestOf, type BaselineFlags } from './baselineArgs';
import type { AuditCommand, ExplainCommand, MergeCommand, ParsedArgs, UsageError } from './commands';

export type { ReportFormat } from '../reports/reportFormat';
export type { BaselineRequest } from './baselineArgs';
export { USAGE } from './commands';
export type { AuditCommand, ExplainCommand, FailOn, MergeCommand, ParsedArgs, UsageError } from './commands';

const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
const VALUE_FLAGS = [
  '--format', '--output', '--config', '--cache-dir', '--cache-url', '--cache-nodes', '--cache-password-env', '--concurrency',
  '--fail-on', '--metrics', '--metrics-push', '--baseline', '--shard',
] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
/** Flags without a value, and the draft field each one sets. */
const SWITCHES = {
  '--fix': 'fix', '--dry-run': 'dryRun', '--no-cache': 'noCache', '--strict-config': 'strictConfig',
  '--cache-cluster': 'cacheCluster',
  '--allow-partial': 'allowPartial',
  '--no-baseline': 'noBaseline', '--baseline-prune': 'baselinePrune',
  '--report-unused-disables': 'reportUnusedDisables',
} as const satisfies Record<string, keyof Draft>;

interface Draft {
  positionals: string[];
  values: Partial<Record<ValueFlag, string>>;
  fix: boolean;
  dryRun: boolean;
  noCache: boolean;
  strictConfig: boolean;
  cacheCluster: boolean;
  allowPartial: boolean;
  noBaseline: boolean;
  baselinePrune: boolean;
  /** `--baseline-write` without a file (true) or with one; undefined when not given. */
  baselineWrite?: true | string;
  reportUnusedDisables: boolean;
  /** The last of --progress / --no-progress; undefined when neither was given. */
  progress?: boolean;
}

/**
 * Parses the arguments after the program name. Pure: no I/O, so every usage error is testable.
 * `--flag value` and `--flag=value` are both accepted; `--` ends the options; a repeated flag keeps its
 * last value, as most CLIs do. `--help` and `--version` win over anything else on the line.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs | UsageError {
  const options = argv.indexOf('--') === -1 ? argv : argv.slice(0, argv.indexOf('--'));
  if (options.includes('--help') || options.includes('-h')) return { kind: 'help' };
  if (options.includes('--version')) return { kind: 'version' };
  const draft = tokenize(argv);
  if ('kind' in draft) return draft;
  return validate(draft);
}

function tokenize(argv: readonly string[]): Draft | UsageError {
  const draft: Draft = {
    positionals: [], values: {}, fix: false, dryRun: false, noCache: false, strictConfig: false, cacheCluster: false, allowPartial: false,
    noBaseline: false, baselinePrune: false,
    reportUnusedDisables: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      for (const rest of argv.slice(i + 1)) draft.positionals.push(rest);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      draft.positionals.push(arg);
      continue;
    }
    const taken = readOption(arg, argv[i + 1], draft);
    if (typeof taken === 'object') return taken;
    i += taken;
  }
  return draft;
}

/**
 * Reads the option `arg` (`--name` or `--name=value`) into `draft`, `next` being the argument after it; returns how
 * many arguments after it were its value (0 or 1), or why it is wrong.
 */
function readOption(arg: string, next: string | undefined, draft: Draft): number | UsageError {
  const eq = arg.indexOf('=');
  const name = eq === -1 ? arg : arg.slice(0, eq);
  const inline = eq === -1 ? undefined : arg.slice(eq + 1);
  if (name === '--baseline-write') return readBaselineWrite(inline, next, draft);
  if (name === '--progress' || name === '--no-progress' || isSwitch(name)) {
    if (inline !== undefined) return usage(`${name} takes no value`);
    if (isSwitch(name)) draft[SWITCHES[name]] = true;
    else draft.progress = name === '--progress';
    return 0;
  }
  if (!isValueFlag(name)) return usage(`unknown option '${name}'`);
  const value = inline ?? next;
  if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
    return usage(`${name} needs a value`);
  }
  draft.values[name] = value;
  return inline === undefined ? 1 : 0;
}

/** `--baseline-write[=FILE]`: its file is optional, the next argument only once <path> was given (`audit . --baseline-write b.json`). */
function readBaselineWrite(inline: string | undefined, next: string | undefined, draft: Draft): number | UsageError {
  const takesNext = inline === undefined && next !== undefined && !next.startsWith('-') && draft.positionals.length >= 2;
  draft.baselineWrite = inline ?? (takesNext ? next : true);
  if (draft.baselineWrite === '') return usage('--baseline-write needs a file after =');
  return takesNext ? 1 : 0;
}

function validate(draft: Draft): ParsedArgs | UsageError {
  const [command, path, ...extra] = draft.positionals;
  if (command === undefined) return usage('missing command (expected: audit <path> or explain <rule>)');
  if (command === 'explain') return explainCommand(draft);
  if (command === 'merge') return mergeCommand(draft);
  if (command !== 'audit') return usage(`unknown command '${command}' (expected: audit, explain or merge)`);
  if (path === undefined) return usage('audit needs a <path>');
  if (extra.length > 0) return usage(`unexpected argument '${extra[0]}' (audit takes one path)`);
  const { values } = draft;
  const format = parseFormat(values['--format']);
  if (typeof format !== 'string') return format;
  const failOn = values['--fail-on'] ?? 'error';
  if (!isOneOf(FAIL_ON, failOn)) return usage(`invalid --fail-on '${failOn}' (expected ${FAIL_ON.join(', ')})`);
  const concurrency = parseConcurrency(values['--concurrency']);
  if (typeof concurrency === 'object') return concurrency;
  const conflict = conflictOf(draft) ?? metricsPushProblem(values['--metrics-push']);
  if (conflict) return conflict;
  const shard = values['--shard'] === undefined ? undefined : parseShard(values['--shard']);
  if (typeof shard === 'string') return usage(shard);
  return {
    kind: 'audit',
    path,
    format,
    output: values['--output'],
    fix: draft.fix,
    dryRun: draft.dryRun,
    config: values['--config'],
    strictConfig: draft.strictConfig,
    cacheDir: values['--cache-dir'],
    cacheUrl: values['--cache-url'],
    ...sharedCacheFlags(draft),
    noCache: draft.noCache,
    concurrency,
    failOn,
    metrics: values['--metrics'],
    ...(values['--metrics-push'] !== undefined ? { metricsPush: values['--metrics-push'] } : {}),
    allowPartial: draft.allowPartial,
    ...(draft.reportUnusedDisables ? { reportUnusedDisables: true } : {}),
    ...(draft.progress !== undefined ? { progress: draft.progress } : {}),
    ...baselineRequestOf(baselineFlags(draft)),
    ...(shard ? { shard } : {}),
  };
}

/** `merge <report>...`: only --format (json or sarif) and --output go with it. */
function mergeCommand(draft: Draft): MergeCommand | UsageError {
  const reports = draft.positionals.slice(1);
  if (reports.length === 0) return usage('merge needs the shard reports (merge shard-1.json shard-2.json ...)');
  const { '--format': format, '--output': output, ...others } = draft.values;
  const option = Object.keys(others)[0] ?? Object.entries(SWITCHES).find(([, field]) => draft[field])?.[0]
    ?? (draft.progress === undefined ? undefined : '--progress');
  if (option !== undefined) return usage(`${option} does not go with merge`);
  if (format !== undefined && format !== 'json' && format !== 'sarif') {
    return usage(`invalid --format '${format}' for merge (expected json or sarif)`);
  }
  return { kind: 'merge', reports, ...(format ? { format } : {}), ...(output !== undefined ? { output } : {}) };
}

/** `explain <rule>`: one rule or agent, and none of the audit's options. */
function explainCommand(draft: Draft): ExplainCommand | UsageError {
  const [, rule, ...extra] = draft.positionals;
  if (rule === undefined) return usage('explain needs a <rule> (a rule id such as imports/unused, or an agent)');
  if (extra.length > 0) return usage(`unexpected argument '${extra[0]}' (explain takes one rule)`);
  const option = Object.keys(draft.values)[0]
    ?? Object.entries(SWITCHES).find(([, field]) => draft[field])?.[0]
    ?? (draft.progress === undefined ? undefined : draft.progress ? '--progress' : '--no-progress');
  if (option !== undefined) return usage(`${option} does not go with explain`);
  return { kind: 'explain', rule };
}

/** Options that are invalid together, or a cache URL that cannot be used. */
function conflictOf(draft: Draft): UsageError | undefined {
  const { values } = draft;
  if (draft.noCache && values['--cache-dir'] !== undefined) {
    return usage('--cache-dir and --no-cache exclude each other');
  }
  const problem = sharedCacheProblem(draft);
  if (problem !== undefined) return usage(problem);
  if (draft.dryRun && !draft.fix) return usage('--dry-run only goes with --fix');
  // A shard sees part of the findings: a baseline written or pruned from it would lose the others'.
  if (draft.values['--shard'] !== undefined && (draft.baselineWrite !== undefined || draft.baselinePrune)) {
    return usage(`${draft.baselinePrune ? '--baseline-prune' : '--baseline-write'} does not go with --shard`);
  }
  const baselineProblem = baselineConflictOf(baselineFlags(draft));
  return baselineProblem === undefined ? undefined : usage(baselineProblem);
}

function parseFormat(value: string | undefined): ReportFormat | UsageError {
  if (value === undefined) return 'text';
  if (isOneOf(REPORT_FORMATS, value)) return value;
  return usage(`invalid --format '${value}' (expected text, json, sarif or markdown)`);
}

function parseConcurrency(value: string | undefined): number | undefined | UsageError {
  if (value === undefined) return undefined;
  // Digits only: Number() would accept '0x10', '1e3' and ' 4 '.
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    return usage(`invalid --concurrency '${value}' (expected a whole number ≥ 1)`);
  }
  return n;
}

function baselineFlags(draft: Draft): BaselineFlags {
  const { noBaseline, baselinePrune, baselineWrite, dryRun } = draft;
  return { noBaseline, baselinePrune, baselineWrite, dryRun, file: draft.values['--baseline'] };
}

function isSwitch(name: string): name is keyof typeof SWITCHES {
  return Object.hasOwn(SWITCHES, name);
}

function isValueFlag(name: string): name is ValueFlag {
  return (VALUE_FLAGS as readonly string[]).includes(name);
}

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** A `--metrics-push` that is not a usable Pushgateway URL is a usage error (the environment's only warns). */
function metricsPushProblem(url: string | undefined): UsageError | undefined {
  const problem = url === undefined ? undefined : pushUrlProblem(url);
  return problem === undefined ? undefined : usage(`invalid --metrics-push: ${problem}`);
}

function usage(message: string): UsageError {
  return { kind: 'usage-error', message };
}

/** The shared cache's flags other than --cache-url, each only when given (the command stays comparable). */
function sharedCacheFlags(draft: Draft): Pick<AuditCommand, 'cacheNodes' | 'cacheCluster' | 'cachePasswordEnv'> {
  const { values } = draft;
  return {
    ...(values['--cache-nodes'] !== undefined ? { cacheNodes: splitNodes(values['--cache-nodes']) } : {}),
    ...(draft.cacheCluster ? { cacheCluster: true } : {}),
    ...(values['--cache-password-env'] !== undefined ? { cachePasswordEnv: values['--cache-password-env'] } : {}),
  };
}

/** Why the shared cache's flags cannot be used: names the flag, never quotes its value (it may hold a password). */
function sharedCacheProblem(draft: Draft): string | undefined {
  const { values } = draft;
  const checks = [
    ['--cache-url', { url: values['--cache-url'] }],
    ['--cache-nodes', { nodes: values['--cache-nodes'] === undefined ? undefined : splitNodes(values['--cache-nodes']) }],
    ['--cache-password-env', { passwordEnv: values['--cache-password-env'] }],
  ] as const;
  for (const [flag, input] of checks) {
    const problem = endpointProblem(input);
    if (problem !== undefined) return `invalid ${flag}: ${problem.replace(/^[^:]*: /, '')}`;
    if (draft.noCache && Object.values(input)[0] !== undefined) return `${flag} and --no-cache exclude each other`;
  }
  if (draft.noCache && draft.cacheCluster) return '--cache-cluster and --no-cache exclude each other';
  return undefined;
}
