import { REPORT_FORMATS, type ReportFormat } from '../reports/reportFormat';
import { endpointProblem, splitNodes } from '../core/cache/shared/sharedEndpoint';
import type { Severity } from '../core/model';
import { parseShard, type ShardSpec } from '../core/files/shard';
import { pushUrlProblem } from '../core/metrics/pushgateway';
import { baselineConflictOf, baselineRequestOf, type BaselineFlags, type BaselineRequest } from './baselineArgs';

export type { ReportFormat } from '../reports/reportFormat';
export type { BaselineRequest } from './baselineArgs';

/** Lowest severity that makes the run fail, or `never`. */
export type FailOn = Exclude<Severity, 'hint'> | 'never';

/** The `audit` command, validated. */
export interface AuditCommand {
  readonly kind: 'audit';
  /** The path as typed, resolved by the caller against its working directory. */
  readonly path: string;
  readonly format: ReportFormat;
  readonly output?: string;
  readonly fix: boolean;
  /** With `fix`: compute the fixes, print them as a unified diff on stdout, write nothing. */
  readonly dryRun: boolean;
  /** The team's configuration file; else maintenance-team.yaml in the folder or an ancestor. */
  readonly config?: string;
  /** Exit 2 when the configuration has any problem, instead of using the defaults in their place. */
  readonly strictConfig: boolean;
  /** Accepted and validated; used once the persistent cache lands. */
  readonly cacheDir?: string;
  /** The team's shared Redis cache (`redis://` or `rediss://`, no password); else MAINTENANCE_TEAM_CACHE_URL. */
  readonly cacheUrl?: string;
  /** `--cache-nodes a:1,b:2`: more Redis Cluster seed nodes (cluster mode). Only present when given. */
  readonly cacheNodes?: readonly string[];
  /** `--cache-cluster`: the URL is one node of a Redis Cluster. Only present when given. */
  readonly cacheCluster?: true;
  /** `--cache-password-env NAME`: the variable holding the Redis password. Only present when given. */
  readonly cachePasswordEnv?: string;
  readonly noCache: boolean;
  /** Where to write the run's metrics: JSON for a `.json` name, else the Prometheus text format. */
  readonly metrics?: string;
  /** `--metrics-push URL`: the Prometheus Pushgateway to send the run's metrics to. Only present when given. */
  readonly metricsPush?: string;
  /** Files audited at once; the coordinator's default (one per CPU) when absent. */
  readonly concurrency?: number;
  readonly failOn: FailOn;
  /**
   * Report the findings saying part of a file's audit is missing (`maintenance/agent-failed`,
   * `maintenance/parse-failed`) without counting them for `failOn`: the behaviour before they existed.
   */
  readonly allowPartial: boolean;
  /**
   * `--report-unused-disables`: report the suppression comments (or rule ids of them) that suppress nothing, as
   * `maintenance/unused-suppression` warnings that count for `failOn`. Only present when given.
   */
  readonly reportUnusedDisables?: true;
  /**
   * `--progress` (true) / `--no-progress` (false): show the progress line on stderr or not, whatever stderr is.
   * Only present when given: by default it shows when stderr is a terminal.
   */
  readonly progress?: boolean;
  /** `--shard K/N`: audit only the K-th of N parts of the files (src/core/files/shard.ts). Only present when given. */
  readonly shard?: ShardSpec;
  /** What to do with the baseline; absent: apply `maintenance-team-baseline.json` at the audit root if there is one. */
  readonly baseline?: BaselineRequest;
}

/** The `explain` command: print a rule's page, or an agent's rules. */
export interface ExplainCommand {
  readonly kind: 'explain';
  /** A rule id (`imports/unused`) or an agent's name (`complexity`), as typed. */
  readonly rule: string;
}

/** The `merge` command: shard reports (`--shard K/N`) combined into the report of the whole run. */
export interface MergeCommand {
  readonly kind: 'merge';
  /** The shard reports, as typed. */
  readonly reports: readonly string[];
  /** The format the reports must have; detected from their content when absent. */
  readonly format?: 'json' | 'sarif';
  readonly output?: string;
}

/** What the command line asks for. */
export type ParsedArgs = AuditCommand | ExplainCommand | MergeCommand | { readonly kind: 'help' } | { readonly kind: 'version' };

/** A command line that cannot be run; the CLI prints `message` and exits with 2. */
export interface UsageError {
  readonly kind: 'usage-error';
  /** One line, without the program name. */
  readonly message: string;
}

/** Usage text printed by `--help`. */
export const USAGE = `Usage: maintenance-team audit <path> [options]
       maintenance-team explain <rule>
       maintenance-team merge <report>... [--format json|sarif] [--output FILE]

Audits every file under <path> (a folder, honouring .gitignore, or a single file).
\`explain\` prints a rule's page (\`explain imports/unused\`), or an agent's rules (\`explain complexity\`).
\`merge\` combines the JSON (or SARIF) reports of the N shards of one run (\`--shard K/N\`) into the report the
whole run gives, byte for byte (the JSON's durationMs is the slowest shard's, its cache figures are summed).

Options:
  --format FORMAT         text|json|sarif|markdown (default: text); sarif is SARIF 2.1.0 for code scanning
  --output FILE           write the report to FILE instead of stdout
  --fix                   apply the validated fixes, list the files changed (stderr), report what is left
  --dry-run               with --fix: write nothing, print the fixes as a unified diff on stdout
                          (the report then goes only to --output FILE)
  --config FILE           team configuration (default: maintenance-team.yaml in <path> or above it, up to the
                          repository root; never above <path> outside a repository)
  --strict-config         exit 2 when the configuration has a problem (default: warn, use defaults)
  --cache-dir DIR         where to keep the result cache; its entries are authenticated with your key
                          ($MAINTENANCE_TEAM_CACHE_KEY, else a key file kept in your user cache folder)
  --cache-url URL         the team's shared Redis cache, redis://host:port or rediss:// (TLS); never a password
                          (default: $MAINTENANCE_TEAM_CACHE_URL; the repository's configuration cannot set it)
  --cache-nodes LIST      more Redis Cluster seed nodes, host:port,host:port (default: $MAINTENANCE_TEAM_CACHE_NODES)
  --cache-cluster         the URL is one node of a Redis Cluster (default: $MAINTENANCE_TEAM_CACHE_CLUSTER)
  --cache-password-env NAME  the environment variable holding the Redis password
                          (default: $MAINTENANCE_TEAM_CACHE_PASSWORD_ENV, else MAINTENANCE_TEAM_CACHE_PASSWORD)
  --no-cache              do not read or write the cache (any level)
  --concurrency N         files audited at once (default: number of CPUs)
  --metrics FILE          write per-agent metrics (FILE.json: JSON, else Prometheus text)
  --metrics-push URL      PUT the run's metrics to a Prometheus Pushgateway (http:// or https://, no credentials),
                          job maintenance_team, grouped by project, branch and CI job; 5 s timeout, a failure is
                          one warning and never changes the exit code (default: $MAINTENANCE_TEAM_METRICS_PUSH)
  --fail-on LEVEL         error|warning|info|never: exit 1 when a finding is at or above LEVEL (default: error)
  --allow-partial         an agent that failed or was skipped on a file, or a file the parser failed on, is still
                          reported (maintenance/agent-failed, maintenance/parse-failed) but does not fail the run
  --report-unused-disables  report suppression comments that suppress nothing (maintenance/unused-suppression,
                          a warning counted by --fail-on; default: not reported)
  --progress, --no-progress  show (or not) files done, rate and time left on stderr while auditing
                          (default: shown when stderr is a terminal)
  --shard K/N             audit only part K of N (1 ≤ K ≤ N ≤ 1000) of the files, the same part on every machine,
                          balanced by size; \`merge\` combines the N reports
  --baseline-write [FILE] record today's findings in a baseline to commit (default FILE: <path>/
                          maintenance-team-baseline.json), print how many, exit 0; FILE only after <path>
  --baseline FILE         report only the findings beyond this baseline; an unusable FILE exits 2
                          (default: maintenance-team-baseline.json in <path>, when present)
  --baseline-prune        rewrite the baseline without the entries that no longer match (it only shrinks)
  --no-baseline           report every finding, baseline or not
  -h, --help              show this help
  --version               show the version

Exit codes: 0 = nothing at or above --fail-on, 1 = findings at or above it, 2 = usage or config error.
`;

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
