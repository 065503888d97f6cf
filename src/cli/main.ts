import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Agent } from '../core/agent';
import { createTeam } from '../agents/registry';
import { runAudit, type AuditOptions, type AuditTarget } from '../core/run/coordinator';
import { PARTIAL_AUDIT_RULES } from '../core/run/failureFindings';
import { SEVERITIES, type AuditResult, type Finding, type SkippedFile } from '../core/model';
import { formatMetrics, metricsFormatOf } from '../core/metrics/export';
import { runFiguresOf } from '../core/metrics/prometheus';
import { ProjectIndex } from '../core/files/projectContext';
import { AgentRunner } from '../core/runner/agentRunner';
import { runnerExecutor } from '../core/runner/executor';
import { EngineSession, fixAuditOptions } from '../core/run/session';
import { removeStaleFixTemps } from '../core/files/fixTemp';
import type { FixAuditOptions } from '../core/run/execution';
import type { ResultCache } from '../core/cache/resultCache';
import { terminalSafeStream } from '../core/terminalText';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { listFiles, toAuditTargets } from '../core/files/walker';
import { openCliCache } from './cache';
import { FileTeams, type TeamSource } from '../core/run/fileTeams';
import { configRelative, loadCliConfig, type CliConfig } from './config';
import { MessageStream } from './progress';
import { parseArgs, USAGE, type AuditCommand, type FailOn } from './args';
import { explain } from './explain';
import { merge } from './merge';
import { shardTargets } from './shard';
import type { ShardSummary } from '../core/model';
import { finishBaseline, liveMatcher, loadCliBaseline, type CliBaseline } from './baseline';
import { fixAudited, reauditFixed } from './fixFiles';
import { liveOutput, type LiveOutput, type LiveOutputOptions } from './liveReport';
import { npmBannerNote } from './npmBanner';
import { pushRunMetrics } from './metricsPush';
import {
  CliError, emitReport, printFixDiff, reportColor, reportFixes, reportInterruptedFix, writeUserFile,
} from './report';

/** Where the CLI writes; `process.stdout` and `process.stderr` fit. */
export interface CliStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** The CLI's view of its process, injected so tests run it in-process. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Relative paths on the command line are resolved against this. */
  readonly cwd: string;
  /** Aborted on Ctrl-C: the audit stops and `main` returns 130. */
  readonly signal?: AbortSignal;
  /** Environment, for `NO_COLOR`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Test seams of `main`. */
export interface MainOptions {
  /** Run the agents on this thread (no hard time limits, no thread start-up): tests use it. */
  readonly inThread?: boolean;
  /** The team to run; the configured team by default. */
  readonly agents?: () => readonly Agent[];
  /** The progress line's clock, in milliseconds (tests inject one to see every redraw). */
  readonly now?: () => number;
}

/** Exit codes (DESIGN.md "Contracts"); 130 is the shell's code for a run stopped by SIGINT. */
export const EXIT_CODES = { ok: 0, findings: 1, usage: 2, interrupted: 130 } as const;

/**
 * The terminal entry: parses `argv` (the arguments after the program name), runs the command and
 * returns the exit code. Never throws and never calls `process.exit`, so output is flushed and tests
 * can run it in-process.
 */
export async function main(argv: readonly string[], io: CliIo, options: MainOptions = {}): Promise<number> {
  // The progress line's `\r` is meant, and its text is ours (counts): it alone is written to stderr as it is.
  const terminal = io.stderr;
  // Messages quote the repository's file names and errors: no control character of theirs reaches the terminal.
  // They step around the progress line (a cache warning may come mid-audit).
  const messages = new MessageStream(terminalSafeStream(io.stderr));
  io = { ...io, stderr: messages };
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'usage-error':
      io.stderr.write(`${TOOL_NAME}: ${parsed.message}\nTry '${TOOL_NAME} --help' for more information.\n`);
      return EXIT_CODES.usage;
    case 'help':
      io.stdout.write(USAGE);
      return EXIT_CODES.ok;
    case 'version':
      io.stdout.write(`${TOOL_NAME} ${TOOL_VERSION}\n`);
      return EXIT_CODES.ok;
    case 'explain':
      return explain(parsed.rule, io);
    case 'merge':
      return merge(parsed, io);
  }
  try {
    return await audit(parsed, io, options, { terminal, messages });
  } catch (error) {
    if (io.signal?.aborted) return interrupted(io);
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`${TOOL_NAME}: ${error instanceof CliError ? message : `internal error: ${message}`}\n`);
    return EXIT_CODES.usage;
  }
}

async function audit(
  command: AuditCommand, io: CliIo, options: MainOptions, streams: Pick<LiveOutputOptions, 'terminal' | 'messages'>,
): Promise<number> {
  const started = performance.now();
  const signal = io.signal ?? new AbortController().signal;
  const absPath = resolve(io.cwd, command.path);
  const config = await loadCliConfig(command, absPath, io);
  if (config.refused) return EXIT_CODES.usage;
  // The cache's store loads while the folder is walked.
  const cache = openCliCache(command, await rootOf(absPath), config.config, io);
  void cache?.open();
  // --fix first removes the temp files a killed --fix left (the walk finds them, and never audits them).
  const fixTemps: string[] | undefined = command.fix && !command.dryRun ? [] : undefined;
  const resolved = await resolveTargets(command.path, absPath, config, signal, fixTemps);
  const { root, project } = resolved;
  // --shard: every machine walks the same tree, and keeps its part of it.
  const { targets, skipped, shard } = await shardTargets(resolved.targets, resolved.skipped, command.shard);
  if (fixTemps?.length) await removeStaleFixTemps(fixTemps);
  // Before any work: a --baseline FILE that cannot be used stops the run here.
  const baseline = await loadCliBaseline(command, root, io);
  // A shard may well have no file (more machines than files): nothing to note then.
  if (resolved.targets.length === 0 && config.path) {
    io.stderr.write(`${TOOL_NAME}: note: no file of ${command.path} is audited under the include/exclude globs of ${relative(io.cwd, config.path) || config.path}\n`);
  }
  // Each file gets the team of its configuration (overrides, test files); a test's own agents audit every file.
  const teams = options.agents ? undefined : new FileTeams(config.config, createTeam, configRelative(config, root));
  const agents = options.agents?.() ?? teams!.base.agents;
  const session = new EngineSession(config.config);
  // The configured team runs in threads that can be stopped (time limits); a test's own agents run here.
  // --no-cache leaves the parser's code cache alone too (src/core/runner/codeCache.ts).
  const runner = options.agents || options.inThread ? undefined : new AgentRunner({
    codeCacheDir: command.noCache ? false : undefined,
    warn: (message) => io.stderr.write(`${TOOL_NAME}: warning: ${message}\n`),
  });
  const auditOptions: AuditOptions = {
    root, agents, signal, concurrency: command.concurrency ?? config.settings.concurrency, limits: config.settings.limits,
    cache, uncachedAgents: config.settings.uncachedAgents, project, skipped, teamFor: teams && ((path) => teams.forPath(path)),
    // SARIF carries fixes; the cache never does, so they are computed again from the files as they are.
    needsFixes: command.format === 'sarif' ? () => true : undefined,
    unusedSuppressions: command.reportUnusedDisables ? 'warning' : undefined,
    ...session.resilience(config.config, runner && runnerExecutor(runner, config.config)),
  };
  try {
    // The fixes' audits (--fix) run where the audit's did: in the runner, under each agent's time limit.
    const fixLimits = fixAuditOptions(config.config, auditOptions.executor);
    const live = liveOutput(command, io, targets, {
      ...streams, color: reportColor(command, io), now: options.now, transform: liveMatcher(baseline)?.apply,
    });
    const team: TeamSource = teams ? (path) => teams.forPath(path) : agents;
    return await auditAndReport(command, io, { auditOptions, fixLimits, targets, team, cache, session, started, signal, live, baseline, shard });
  } finally {
    await runner?.dispose();
    // An open Redis connection would keep the process alive after the report.
    await cache?.shared?.close();
  }
}

interface AuditRun {
  readonly auditOptions: AuditOptions;
  readonly fixLimits: FixAuditOptions;
  readonly targets: readonly AuditTarget[];
  /** Each file's team (its configuration's), for its fixes. */
  readonly team: TeamSource;
  readonly cache: ResultCache | undefined;
  readonly session: EngineSession;
  readonly started: number;
  readonly signal: AbortSignal;
  /** Progress and the text report's lines while the audit runs. */
  readonly live: LiveOutput;
  readonly baseline: CliBaseline;
  /** `--shard K/N`: which part of the tree this run audits, said in its report. */
  readonly shard?: ShardSummary;
}

async function auditAndReport(command: AuditCommand, io: CliIo, run: AuditRun): Promise<number> {
  const { auditOptions, targets, team, cache, session, started, signal, live } = run;
  let result: AuditResult;
  try {
    result = await runAudit(targets, { ...auditOptions, ...live.hooks });
  } finally {
    live.stop();
  }
  if (result.cancelled) return interrupted(io);
  if (command.fix) {
    const outcome = await fixAudited(result, targets, team, signal, {
      limits: run.fixLimits,
      dryRun: command.dryRun,
      onFixed: command.dryRun ? (file) => printFixDiff(file, result.root, io) : undefined,
    });
    reportFixes(outcome, command, io);
    if (outcome.interrupted) {
      reportInterruptedFix(outcome, command, io);
      return EXIT_CODES.interrupted;
    }
    // A dry run changed nothing: the report is the audit's as it stands.
    if (!command.dryRun) result = await reauditFixed(result, outcome.files, targets, auditOptions);
    if (result.cancelled) return interrupted(io);
  }
  await cache?.flush();
  for (const alert of session.evaluateAlerts().raised) io.stderr.write(`${TOOL_NAME}: alert: ${alert.message}\n`);
  await exportMetrics(command, session, result, io);
  // The CLI's duration is the whole command's (walk, audit, fixes), which is what a CI log wants.
  const baselined = await finishBaseline({ ...result, durationMs: Math.round(performance.now() - started) }, run.baseline, command, io);
  // --baseline-write records and says how many: no report, and nothing fails the run.
  if (baselined === undefined) return EXIT_CODES.ok;
  result = run.shard ? { ...baselined, shard: run.shard } : baselined;
  await emitReport(result, command, io, live.printed);
  const bannerNote = npmBannerNote(command, io.env ?? {}, io.stdout.isTTY === true);
  if (bannerNote) io.stderr.write(`${TOOL_NAME}: ${bannerNote}\n`);
  return exitCodeFor(result, command.failOn, command.allowPartial);
}

/** The audit root: the folder itself, or a file's folder (a path that cannot be read is reported later). */
async function rootOf(absPath: string): Promise<string> {
  const isFile = await stat(absPath).then((s) => !s.isDirectory(), () => false);
  return isFile ? dirname(absPath) : absPath;
}

/**
 * A folder is walked (honouring .gitignore and the config's include/exclude globs); a file named on the
 * command line is audited alone, relative to its folder, whatever the globs say.
 */
async function resolveTargets(
  path: string, absPath: string, config: CliConfig, signal: AbortSignal, fixTemps?: string[],
): Promise<{ root: string; targets: AuditTarget[]; project?: ProjectIndex; skipped?: SkippedFile[] }> {
  const info = await stat(absPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new CliError(`no such file or directory: ${path}`);
    throw new CliError(`cannot read ${path}: ${error.message}`);
  });
  if (info.isDirectory()) {
    const { filter } = config.settings;
    // Globs are relative to the configuration's folder, which may be above the audited one.
    const fromBase = configRelative(config, absPath);
    const { files, listings, skipped } = await listFiles(absPath, {
      signal, skipDir: (rel) => filter.excludesDir(fromBase(rel)), keepListings: true,
      onFixTemp: fixTemps && ((rel) => fixTemps.push(join(absPath, rel))),
    });
    return {
      root: absPath,
      targets: toAuditTargets(absPath, files.filter((rel) => filter.includes(fromBase(rel)))),
      project: new ProjectIndex(absPath, listings),
      skipped,
    };
  }
  // A FIFO or a device would block the loader forever.
  if (!info.isFile()) throw new CliError(`not a regular file or directory: ${path}`);
  return { root: dirname(absPath), targets: [{ path: basename(absPath), absPath }] };
}

/** `--metrics FILE` and `--metrics-push URL` (or its environment variable): a failed push is only a warning. */
async function exportMetrics(command: AuditCommand, session: EngineSession, result: AuditResult, io: CliIo): Promise<void> {
  const prometheus = () => formatMetrics(
    session.snapshot(), 'prometheus', session.metrics.durationHistograms(), runFiguresOf(result, Date.now()));
  if (command.metrics !== undefined) {
    const file = command.metrics;
    const format = metricsFormatOf(file);
    const text = format === 'prometheus' ? prometheus() : formatMetrics(session.snapshot(), format);
    await writeUserFile(file, text, io);
  }
  await pushRunMetrics({
    flag: command.metricsPush, env: io.env ?? {}, root: result.root, body: prometheus,
    warn: (line) => io.stderr.write(`${TOOL_NAME}: warning: ${line}\n`),
  });
}

/**
 * 1 when some finding is at or above `failOn` (`hint` never fails a run), else 0. A file an agent failed on or
 * skipped carries an error finding saying so, which fails the run like any other unless `allowPartial`.
 */
export function exitCodeFor(result: AuditResult, failOn: FailOn, allowPartial = false): number {
  if (failOn === 'never') return EXIT_CODES.ok;
  const limit = SEVERITIES.indexOf(failOn);
  const counts = (x: Finding) => SEVERITIES.indexOf(x.severity) <= limit && !(allowPartial && PARTIAL_AUDIT_RULES.has(x.rule));
  const failing = result.files.some((f) => f.findings.some(counts));
  return failing ? EXIT_CODES.findings : EXIT_CODES.ok;
}

function interrupted(io: CliIo): number {
  io.stderr.write(`${TOOL_NAME}: interrupted\n`);
  return EXIT_CODES.interrupted;
}
