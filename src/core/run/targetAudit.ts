import type { LimitFunction } from 'p-limit';
import type { Agent, LanguageKind } from '../agent';
import { appendAll } from '../arrays';
import { cacheKey, type ResultCache } from '../cache/resultCache';
import type { CacheCounters } from './cacheSummary';
import type { AuditOptions, AuditTarget } from './coordinator';
import { failureFindings } from './failureFindings';
import { compareFindings } from '../files/fileAudit';
import { hashFileBytes, hashText } from '../hash';
import { decodeFile, DEFAULT_LOAD_LIMITS, looksBinary, readBytesSync, unfitText, type LoadLimits } from '../files/fileLoader';
import { languageOf } from '../files/languages';
import { hasFix, type AgentSummary, type FileResult, type Finding, type Severity, type SkippedFile } from '../model';
import { mayHoldDirectives } from '../suppress/directives';
import { suppressFindings, type SuppressionOutcome } from '../suppress/applySuppressions';
import type { ProjectContext } from '../files/projectContext';
import { gradeOf, scoreOf } from './score';
import type { FileTeam } from './fileTeams';
import { runTeamOnFile, type TeamRun } from './teamRun';

// The audit of one file, in named steps; the coordinator (runAudit) runs it on every file under its bounds.

/** What every file's audit in one run shares: built once per run, passed to each file's steps as one argument. */
export interface RunContext {
  readonly options: AuditOptions;
  readonly signal: AbortSignal;
  /** Each agent's summary, counted as the files go. */
  readonly agents: Record<string, AgentSummary>;
  readonly counters: CacheCounters;
  /** The CPU bound: agents run on at most `concurrency` files at once. */
  readonly cpu: LimitFunction;
}

/** One file on its way through the audit's steps (one object per file; nothing here is allocated per agent). */
interface FileContext {
  readonly target: AuditTarget;
  /** The text audited: the editor's, or decoded from `bytes` once a step needs it. */
  text: string | undefined;
  /** The bytes read from disk (none for an editor's text). */
  readonly bytes: Uint8Array | undefined;
  readonly contentHash: string;
  readonly team: FileTeam | undefined;
  readonly project: ProjectContext | undefined;
  /** The file's agents that apply to its language. */
  readonly applicable: readonly Agent[];
  /** Those the caches did not serve (or served without the fixes the file needs): they run. */
  toRun: readonly Agent[];
  /** Whether the file's findings must carry their fixes (`AuditOptions.needsFixes`). */
  readonly wantsFixes: boolean;
  /** Findings so far: the caches' first, then the run's. */
  readonly findings: Finding[];
  /** The cache key of each agent that missed, where its result is stored once it ran. */
  readonly keys: Map<string, string>;
  /** Each cache lookup and the level that answered it, counted once the file is known to be audited. */
  readonly lookups: CacheLookup[];
  /** Agents served by a cache with a fixable finding while the file needs its fixes: they run again. */
  readonly forFixes: Set<string>;
}

interface CacheLookup {
  readonly agent: string;
  level: CacheLevel | undefined;
}

type CacheLevel = 'memory' | 'disk' | 'shared';

/**
 * One file: read it (or skip it), look its results up in the caches (the shared tier included), run the agents
 * the caches lacked, store their results, apply its suppression comments, and make its result. The awaits are the
 * steps that wait (the yield between in-memory files, a script's project facts, the cache store, the shared tier,
 * a CPU slot); every other step is synchronous.
 */
export async function auditTarget(target: AuditTarget, run: RunContext): Promise<FileResult | SkippedFile> {
  // Yield so cancellation and progress messages get through between in-memory files.
  if (target.text !== undefined) await new Promise((resolve) => setImmediate(resolve));
  const content = readTarget(target, run.options.limits ?? DEFAULT_LOAD_LIMITS);
  if ('reason' in content) return content;
  const language = languageOf(target.path);
  // Only scripts have imports to check against package.json; other files skip the lookups.
  const project = language === 'script' ? await run.options.project?.contextFor(target.absPath) : undefined;
  const file = fileContext(target, content, language, project, run);
  await run.options.cache?.open();
  lookUpCaches(file, run.options);
  if (file.keys.size > 0 && run.options.cache?.shared) await lookUpSharedTier(file, run.options.cache);
  // Only now is the text needed; a file that turns out minified or not UTF-8 counts no lookups.
  const undecodable = decodeIfNeeded(file);
  if (undecodable) return undecodable;
  for (const { agent, level } of file.lookups) countLookup(agent, level, run.counters, run.options);
  const audit = file.toRun.length > 0 ? await run.cpu(() => runAgents(file, run)) : NOTHING_RUN();
  const fromCache = storeResults(file, audit, run);
  return fileResult(file, audit, fromCache, run.options.unusedSuppressions);
}

type FileContent = { text: string; bytes?: undefined } | { text?: undefined; bytes: Uint8Array };

/**
 * The file's content, or why it is left out: the bytes of a file on disk, not decoded yet (hashing them finds the
 * file in the cache, and a file whose every result is cached needs no text at all), or an editor's text, held to
 * the limits a file on disk is (a minified bundle opened is still left out).
 */
function readTarget(target: AuditTarget, limits: LoadLimits): FileContent | SkippedFile {
  if (target.text !== undefined) {
    const unfit = unfitText(target.text, limits);
    return unfit ? { path: target.path, reason: unfit.reason } : { text: target.text };
  }
  const raw = readBytesSync(target.absPath, limits);
  if (raw.kind === 'skip') return { path: target.path, reason: raw.reason };
  if (looksBinary(raw.bytes)) return { path: target.path, reason: 'binary' };
  return { bytes: raw.bytes };
}

function fileContext(
  target: AuditTarget, content: FileContent, language: LanguageKind, project: ProjectContext | undefined,
  run: RunContext,
): FileContext {
  const team = run.options.teamFor?.(target.path);
  const applicable = (team?.agents ?? run.options.agents).filter((agent) => agent.appliesTo(language));
  // An agent only an override turns on has no summary yet.
  for (const agent of applicable) run.agents[agent.id] ??= { runs: 0, failures: 0, state: 'closed' };
  return {
    target, text: content.text, bytes: content.bytes,
    contentHash: content.text !== undefined ? hashText(content.text) : hashFileBytes(content.bytes),
    team, project, applicable, toRun: applicable, wantsFixes: run.options.needsFixes?.(target) === true,
    findings: [], keys: new Map(), lookups: [], forFixes: new Set(),
  };
}

/**
 * The memory and disk tiers: what they serve goes to the file's findings; the agents they lack (or serve with a
 * fixable finding while the file needs its fixes) are left to run, their keys noted for the store.
 */
function lookUpCaches(file: FileContext, options: AuditOptions): void {
  const cache = options.cache;
  if (!cache) return;
  file.toRun = file.applicable.filter((agent) => {
    if (options.uncachedAgents?.has(agent.id)) return true;
    const key = cacheKey({
      contentHash: file.contentHash, agentId: agent.id, agentVersion: agent.version,
      projectFingerprint: agent.usesProject ? file.project?.fingerprint ?? '' : undefined,
    });
    const hit = cache.get(key, agent.id);
    file.lookups.push({ agent: agent.id, level: hit?.level });
    if (!hit) file.keys.set(agent.id, key);
    else if (file.wantsFixes && hit.findings.some(hasFix)) file.forFixes.add(agent.id);
    else appendAll(file.findings, hit.findings);
    return !hit || file.forFixes.has(agent.id);
  });
}

/**
 * One L3 round trip for every result of a file that L1 and L2 lacked (never one per agent): what it serves is
 * added to the findings, taken out of `keys` (nothing to write back) and counted as a shared hit. When the file
 * needs its fixes, an agent served with a fixable finding goes to `forFixes` instead: it runs again.
 */
async function lookUpSharedTier(file: FileContext, cache: ResultCache): Promise<void> {
  const served = await cache.getShared(file.keys);
  for (const [agentId, agentFindings] of served) {
    if (file.wantsFixes && agentFindings.some(hasFix)) file.forFixes.add(agentId);
    else appendAll(file.findings, agentFindings);
    file.keys.delete(agentId);
  }
  for (const lookup of file.lookups) if (served.has(lookup.agent)) lookup.level = 'shared';
  file.toRun = file.toRun.filter((agent) => !served.has(agent.id) || file.forFixes.has(agent.id));
}

/**
 * Decodes a file read from disk when agents will run on it, or when its bytes may hold suppression comments
 * (read from the current text on every run, never cached: a warm run decodes only the files holding the marker).
 */
function decodeIfNeeded(file: FileContext): SkippedFile | undefined {
  if (file.bytes === undefined || (file.toRun.length === 0 && !mayHoldDirectives(file.bytes))) return undefined;
  const decoded = decodeFile(file.bytes);
  if (decoded.kind === 'skip') return { path: file.target.path, reason: decoded.reason };
  file.text = decoded.text;
  return undefined;
}

/** Runs the agents the caches lacked (inside a CPU slot). */
function runAgents(file: FileContext, run: RunContext): Promise<TeamRun> {
  run.signal.throwIfAborted();
  const input = {
    path: file.target.path, text: file.text ?? '', project: file.project,
    // A text given in memory is an editor's buffer: the runner keeps its tree for the next keystroke.
    edited: file.target.text !== undefined, config: file.team?.config,
  };
  return runTeamOnFile(input, file.toRun, run.options, run.agents, run.signal);
}

/**
 * Stores the result of each agent that ran to the end (a failure is never cached: the next audit tries that agent
 * again) and counts the file as a cache hit or miss; returns whether the cache served it.
 */
function storeResults(file: FileContext, audit: TeamRun, run: RunContext): boolean {
  const cache = run.options.cache;
  if (!cache) return false;
  for (const [id, agentFindings] of audit.byAgent) {
    const key = file.keys.get(id);
    if (key) cache.set(key, agentFindings);
  }
  // Agents run again only for their fixes still count as served by the cache.
  const fromCache = file.toRun.every((agent) => file.forFixes.has(agent.id));
  if (fromCache) run.counters.hits++;
  else run.counters.misses++;
  return fromCache;
}

function fileResult(file: FileContext, audit: TeamRun, fromCache: boolean, unused: Severity | undefined): FileResult {
  appendAll(file.findings, audit.findings);
  // After the cache, never in it: an agent that failed here runs again next time.
  appendAll(file.findings, failureFindings(audit.failures, audit.parseFailure));
  const { findings, suppressed } = applySuppressions(file, audit, unused);
  findings.sort(compareFindings);
  const score = scoreOf(findings);
  return {
    path: file.target.path,
    contentHash: file.contentHash,
    findings,
    ...(suppressed.length > 0 ? { suppressed } : {}),
    failures: audit.failures,
    score,
    grade: gradeOf(score),
    fromCache,
  };
}

/** Per run, after the cache: cached findings are never stored suppressed, so editing a comment takes effect at once. */
function applySuppressions(file: FileContext, audit: TeamRun, unused: Severity | undefined): SuppressionOutcome {
  if (file.text === undefined || !mayHoldDirectives(file.text)) return { findings: file.findings, suppressed: [] };
  return suppressFindings(file.target.path, file.text, file.findings, {
    // Served by the cache (complete: partial results are never cached), or run to the end now.
    completeAgents: new Set([
      ...file.applicable.filter((a) => !file.toRun.includes(a)).map((a) => a.id), ...audit.byAgent.keys(),
    ]),
    unused,
  });
}

const NOTHING_RUN = (): TeamRun => ({ findings: [], failures: [], byAgent: new Map() });

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
