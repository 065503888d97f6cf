import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import type { Agent } from '../agent';
import type { ResultCache } from '../cache/resultCache';
import { inAgentOrder } from '../config/rules';
import { cacheSummary, type CacheCounters } from './cacheSummary';
import type { LoadLimits } from '../files/fileLoader';
import type { AgentSummary, AuditResult, FileResult, Severity, SkippedFile } from '../model';
import { ProjectIndex } from '../files/projectContext';
import type { FileTeam } from './fileTeams';
import { auditTarget, type RunContext } from './targetAudit';
import type { ResilienceOptions } from './teamRun';

/** One file to audit. */
export interface AuditTarget {
  /** POSIX path relative to the audit root. */
  readonly path: string;
  /** Where to read it from. */
  readonly absPath: string;
  /** The text to audit instead of the file on disk (an editor's unsaved content, without BOM). */
  readonly text?: string;
}

/** How to run an audit. Only `root` and `agents` are required. */
export interface AuditOptions extends ResilienceOptions {
  readonly root: string;
  /** The team; the base one when `teamFor` gives each file its own. */
  readonly agents: readonly Agent[];
  /** Each file's team (per-path overrides: `FileTeams.forPath`); `agents` for every file when absent. */
  readonly teamFor?: (path: string) => FileTeam;
  /** Files audited at once (p-limit); defaults to the number of CPUs. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly limits?: LoadLimits;
  /** Called as each file finishes, for streaming results to an editor. */
  readonly onFile?: (result: FileResult) => void;
  readonly onSkip?: (skipped: SkippedFile) => void;
  /** Left out before the audit (the walk's unreadable directories): in the result's `skipped`, not passed to `onSkip`. */
  readonly skipped?: readonly SkippedFile[];
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Where the files' project facts (package.json, tsconfig) come from; by default a fresh index over `root`,
   * so each run reads them again. Pass one to share the reads between runs that know nothing changed.
   */
  readonly project?: ProjectIndex;
  /** The result cache; none = every agent runs on every file. Opened (loaded) here; the caller flushes it. */
  readonly cache?: ResultCache;
  /** Agents whose results must not be cached (`cacheEnabled: false` in the config). */
  readonly uncachedAgents?: ReadonlySet<string>;
  /**
   * Files whose findings must carry their fixes (SARIF `fixes`, an editor's quick fixes). The cache never holds
   * fixes (cachedFindings.ts): an agent whose cached result there has a fixable finding runs again on the
   * current text. Others are served from the cache as usual. None by default.
   */
  readonly needsFixes?: (target: AuditTarget) => boolean;
  /**
   * Severity of the `maintenance/unused-suppression` findings (`--report-unused-disables`; the editor's faded
   * hints); absent: a suppression comment that suppresses nothing is not reported.
   */
  readonly unusedSuppressions?: Severity;
}

/**
 * Longest stretch without yielding to the event loop: files are read synchronously and a warm audit may find
 * everything cached, so without this nothing else (a cancel message, progress) would run until the end.
 */
const YIELD_EVERY_MS = 10;

/** Files read ahead per agent slot. */
const FILES_IN_FLIGHT_PER_SLOT = 4;

/** Default concurrency: one file per CPU. */
export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The team lead (seeds' agent 00): runs the enabled agents over the files under a p-limit bound,
 * isolates failures per agent and file, honours cancellation, and returns the consolidated result.
 */
export async function runAudit(targets: readonly AuditTarget[], options: AuditOptions): Promise<AuditResult> {
  const started = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const concurrency = Math.max(1, options.concurrency ?? defaultConcurrency());
  // Two bounds: agents run on at most `concurrency` files at once (CPU), while more files are read ahead
  // (disk latency; a warm audit is nothing but reads). Files in flight stay bounded, and so does memory.
  const limit = pLimit(concurrency * FILES_IN_FLIGHT_PER_SLOT);
  const cpu = pLimit(concurrency);
  const agents = Object.fromEntries(options.agents.map((a) => [a.id, { runs: 0, failures: 0, state: 'closed' }])) as
    Record<string, AgentSummary>;
  const files: FileResult[] = [];
  const skipped: SkippedFile[] = [...(options.skipped ?? [])];
  let done = 0;
  const counters: CacheCounters = { hits: 0, misses: 0, memory: 0, disk: 0, shared: 0, computed: 0, byAgent: {} };
  const sharedBefore = options.cache?.shared?.stats();
  // The store loads while the first files are read (lookups wait for it in auditTarget).
  void options.cache?.open();
  // Redis is connected to from here (not before), so whoever runs an audit closes the tier after it.
  void options.cache?.shared?.open();

  const run: RunContext = {
    options: { ...options, project: options.project ?? new ProjectIndex(options.root) }, signal, agents, counters, cpu,
  };
  let lastYield = performance.now();
  const auditOne = async (target: AuditTarget): Promise<void> => {
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      lastYield = performance.now();
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (signal.aborted) return;
    // A file whose agents all ran is kept even if the audit was cancelled meanwhile: its result is complete.
    const result = await auditTarget(target, run);
    if ('reason' in result) {
      skipped.push(result);
      options.onSkip?.(result);
    } else {
      files.push(result);
      options.onFile?.(result);
    }
    options.onProgress?.(++done, targets.length);
  };
  await Promise.all(targets.map((t) => limit(() => auditOne(t).catch((e: unknown) => {
    if (!signal.aborted) throw e;
  }))));

  if (options.breakers) for (const id of Object.keys(agents)) agents[id].state = options.breakers.get(id).state;
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return {
    root: options.root,
    files: files.sort(byPath),
    skipped: skipped.sort(byPath),
    durationMs: Math.round(performance.now() - started),
    cache: cacheSummary(options.cache, counters, sharedBefore),
    // Per-path teams meet their agents in any order (and shards in others): one order for every report.
    agents: inAgentOrder(agents),
    cancelled: signal.aborted,
  };
}

