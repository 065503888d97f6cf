import { availableParallelism } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Agent } from '../agent';
import { appendAll } from '../arrays';
import { cacheKey, type ResultCache } from '../cache/resultCache';
import { cacheSummary, type CacheCounters } from './cacheSummary';
import { failureFindings } from './failureFindings';
import { compareFindings } from '../files/fileAudit';
import { hashFileBytes, hashText } from '../hash';
import { decodeFile, DEFAULT_LOAD_LIMITS, looksBinary, readBytesSync, unfitText, type LoadLimits } from '../files/fileLoader';
import { languageOf } from '../files/languages';
import {
  hasFix, type AgentSummary, type AuditResult, type FileResult, type Finding, type Severity, type SkippedFile,
} from '../model';
import { mayHoldDirectives } from '../suppress/directives';
import { suppressFindings } from '../suppress/applySuppressions';
import { ProjectIndex } from '../files/projectContext';
import { gradeOf, scoreOf } from './score';
import type { FileTeam } from './fileTeams';
import { runTeamOnFile, type ResilienceOptions, type TeamRun } from './teamRun';

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
  const withProject: AuditOptions = { ...options, project: options.project ?? new ProjectIndex(options.root) };
  const counters: CacheCounters = { hits: 0, misses: 0, memory: 0, disk: 0, shared: 0, computed: 0, byAgent: {} };
  const sharedBefore = options.cache?.shared?.stats();
  // The store loads while the first files are read (lookups wait for it in auditTarget).
  void options.cache?.open();
  // Redis is connected to from here (not before), so whoever runs an audit closes the tier after it.
  void options.cache?.shared?.open();

  let lastYield = performance.now();
  const auditOne = async (target: AuditTarget): Promise<void> => {
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      lastYield = performance.now();
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (signal.aborted) return;
    // A file whose agents all ran is kept even if the audit was cancelled meanwhile: its result is complete.
    const result = await auditTarget(target, withProject, signal, agents, counters, cpu);
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
    agents,
    cancelled: signal.aborted,
  };
}

async function auditTarget(
  target: AuditTarget, options: AuditOptions, signal: AbortSignal, agents: Record<string, AgentSummary>,
  counters: CacheCounters, cpu: LimitFunction,
): Promise<FileResult | SkippedFile> {
  let text = target.text;
  let bytes: Uint8Array | undefined;
  if (text === undefined) {
    const raw = readBytesSync(target.absPath, options.limits ?? DEFAULT_LOAD_LIMITS);
    if (raw.kind === 'skip') return { path: target.path, reason: raw.reason };
    if (looksBinary(raw.bytes)) return { path: target.path, reason: 'binary' };
    bytes = raw.bytes;
  } else {
    // Yield so cancellation and progress messages get through between in-memory files.
    await new Promise((resolve) => setImmediate(resolve));
    // An editor's buffer is held to the limits a file on disk is (a minified bundle opened is still left out).
    const unfit = unfitText(text, options.limits ?? DEFAULT_LOAD_LIMITS);
    if (unfit) return { path: target.path, reason: unfit.reason };
  }
  // Hashing the bytes finds a file in the cache without decoding it: only content that was decoded and
  // audited before is in the cache, so a file whose every result is cached needs no text at all.
  const contentHash = text !== undefined ? hashText(text) : hashFileBytes(bytes!);
  const language = languageOf(target.path);
  const team = options.teamFor?.(target.path);
  // Only scripts have imports to check against package.json; other files skip the lookups.
  const context = language === 'script' ? await options.project?.contextFor(target.absPath) : undefined;
  const applicable = (team?.agents ?? options.agents).filter((agent) => agent.appliesTo(language));
  // An agent only an override turns on has no summary yet.
  for (const agent of applicable) agents[agent.id] ??= { runs: 0, failures: 0, state: 'closed' };
  await options.cache?.open();
  const findings: Finding[] = [];
  const keys = new Map<string, string>();
  const lookups: { agent: string; level: CacheLevel | undefined }[] = [];
  const forFixes = new Set<string>();
  const wantsFixes = options.needsFixes?.(target) === true;
  let toRun = applicable.filter((agent) => {
    if (!options.cache || options.uncachedAgents?.has(agent.id)) return true;
    const key = cacheKey({
      contentHash, agentId: agent.id, agentVersion: agent.version,
      projectFingerprint: agent.usesProject ? context?.fingerprint ?? '' : undefined,
    });
    const hit = options.cache.get(key, agent.id);
    lookups.push({ agent: agent.id, level: hit?.level });
    if (!hit) keys.set(agent.id, key);
    else if (wantsFixes && hit.findings.some(hasFix)) forFixes.add(agent.id);
    else appendAll(findings, hit.findings);
    return !hit || forFixes.has(agent.id);
  });
  if (keys.size > 0 && options.cache?.shared) {
    const served = await fromSharedTier(options.cache, keys, lookups, findings, wantsFixes ? forFixes : undefined);
    toRun = toRun.filter((agent) => !served.has(agent.id) || forFixes.has(agent.id));
  }
  // Suppression comments are read from the current text on every run (never cached): a warm run decodes only the
  // files whose bytes hold the marker.
  if (text === undefined && (toRun.length > 0 || mayHoldDirectives(bytes!))) {
    // Only now is the text needed; a file that turns out minified or not UTF-8 counts no lookups.
    const decoded = decodeFile(bytes!);
    if (decoded.kind === 'skip') return { path: target.path, reason: decoded.reason };
    text = decoded.text;
  }
  for (const { agent, level } of lookups) countLookup(agent, level, counters, options);
  const source = text ?? '';
  const audit = toRun.length > 0
    ? await cpu(() => {
      signal.throwIfAborted();
      // A text given in memory is an editor's buffer: the runner keeps its tree for the next keystroke.
      const file = { path: target.path, text: source, project: context, edited: target.text !== undefined, config: team?.config };
      return runTeamOnFile(file, toRun, options, agents, signal);
    })
    : NOTHING_RUN();
  // A failure is never cached: the next audit tries that agent again.
  for (const [id, agentFindings] of audit.byAgent) {
    const key = keys.get(id);
    if (key) options.cache?.set(key, agentFindings);
  }
  // Agents run again only for their fixes still count as served by the cache.
  const fromCache = options.cache !== undefined && toRun.every((agent) => forFixes.has(agent.id));
  if (options.cache) {
    if (fromCache) counters.hits++;
    else counters.misses++;
  }
  appendAll(findings, audit.findings);
  // After the cache, never in it: an agent that failed here runs again next time.
  appendAll(findings, failureFindings(audit.failures, audit.parseFailure));
  // Per run, after the cache: cached findings are never stored suppressed, so editing a comment takes effect at once.
  const { findings: counted, suppressed } = text === undefined || !mayHoldDirectives(text) ? { findings, suppressed: [] }
    : suppressFindings(target.path, text, findings, {
      // Served by the cache (complete: partial results are never cached), or run to the end now.
      completeAgents: new Set([...applicable.filter((a) => !toRun.includes(a)).map((a) => a.id), ...audit.byAgent.keys()]),
      unused: options.unusedSuppressions,
    });
  counted.sort(compareFindings);
  const score = scoreOf(counted);
  return {
    path: target.path,
    contentHash,
    findings: counted,
    ...(suppressed.length > 0 ? { suppressed } : {}),
    failures: audit.failures,
    score,
    grade: gradeOf(score),
    fromCache,
  };
}

const NOTHING_RUN = (): TeamRun => ({ findings: [], failures: [], byAgent: new Map() });

type CacheLevel = 'memory' | 'disk' | 'shared';

/**
 * One L3 round trip for every result of a file that L1 and L2 lacked (never one per agent): what it serves is
 * added to `findings`, taken out of `keys` (nothing to write back) and counted as a shared hit. With `forFixes`
 * (the file needs its fixes), an agent served with a fixable finding goes there instead: it runs again.
 */
async function fromSharedTier(
  cache: ResultCache, keys: Map<string, string>, lookups: { agent: string; level: CacheLevel | undefined }[], findings: Finding[],
  forFixes?: Set<string>,
): Promise<ReadonlySet<string>> {
  const served = await cache.getShared(keys);
  for (const [agentId, agentFindings] of served) {
    if (forFixes && agentFindings.some(hasFix)) forFixes.add(agentId);
    else appendAll(findings, agentFindings);
    keys.delete(agentId);
  }
  for (const lookup of lookups) if (served.has(lookup.agent)) lookup.level = 'shared';
  return new Set(served.keys());
}

function countLookup(agentId: string, level: CacheLevel | undefined, counters: CacheCounters, options: AuditOptions): void {
  const agent = (counters.byAgent[agentId] ??= { hits: 0, misses: 0 });
  if (level) {
    agent.hits++;
    counters[level]++;
    options.metrics?.recordCacheHit(agentId);
  } else {
    agent.misses++;
    counters.computed++;
    options.metrics?.recordCacheMiss(agentId);
  }
}
