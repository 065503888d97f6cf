/**
 * What the command line can ask for: the commands, validated, and the `--help` text. src/cli/args.ts turns an argv
 * into one of these (or a usage error).
 */
import type { ShardSpec } from '../core/files/shard';
import type { Severity } from '../core/model';
import type { ReportFormat } from '../reports/reportFormat';
import type { BaselineRequest } from './baselineArgs';

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
