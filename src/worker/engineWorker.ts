/**
 * The engine's worker thread: walks, parses, audits and fixes off the extension host's thread.
 * It speaks src/shared/engineProtocol.ts and imports nothing from 'vscode'.
 */
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { createTeam } from '../agents/registry';
import { ResultCache } from '../core/cache/resultCache';
import { openSharedTier } from '../core/cache/shared/openSharedTier';
import type { SharedTier } from '../core/cache/shared/sharedTier';
import { FileCacheStore } from '../core/cache/store';
import { cachedStoreSecret } from '../core/cache/storeSecret';
import { runSettingsOf } from '../core/config/configFile';
import { defaultConfig, type TeamConfig } from '../core/config/schema';
import { runAudit, type AuditTarget } from '../core/run/coordinator';
import type { FixAuditOptions } from '../core/run/execution';
import { ProjectIndex, ProjectIndexes } from '../core/files/projectContext';
import type { SkippedFile } from '../core/model';
import { AgentRunner } from '../core/runner/agentRunner';
import { runnerExecutor } from '../core/runner/executor';
import { EngineSession, fixAuditOptions } from '../core/run/session';
import { FileTeams } from '../core/run/fileTeams';
import { listFiles, toAuditTargets } from '../core/files/walker';
import type {
  AuditFilesRequest, AuditFolderRequest, ClearCacheRequest, HostToWorker, TextOverlay, WorkerToHost,
} from '../shared/engineProtocol';
import { baselineMatcher } from './baselines';
import { fixFiles, fixText } from './fixRequests';

const running = new Map<number, AbortController>();
/** The teams of the configurations seen lately (one per workspace folder, usually), each file's built on demand. */
const teams = new Map<string, FileTeams>();
const TEAMS_KEPT = 8;

/**
 * A configuration's teams, by what shapes them (the team, the overrides, the test globs): a request's config
 * arrives as a copy, so it is found again by content, once per request (never per file).
 */
function teamsFor(config: TeamConfig): FileTeams {
  const key = JSON.stringify([config.team, config.overrides, config.global.tests]);
  let found = teams.get(key);
  if (!found) {
    found = new FileTeams(config, createTeam);
    if (teams.size >= TEAMS_KEPT) teams.delete(teams.keys().next().value!);
    teams.set(key, found);
  }
  return found;
}

/** The shared tier of the latest audit's cache: its figures go out with the metrics (the dashboard's). */
let lastShared: SharedTier | undefined;
/** One result cache per cache folder ('' = memory only), rebuilt when the configured limits change. */
const caches = new Map<string, { limitsKey: string; cache: ResultCache }>();
/** Audits of edited files write the store back after a quiet moment, not on every keystroke. */
const FLUSH_DELAY_MS = 3_000;
let flushTimer: NodeJS.Timeout | undefined;

function cacheFor(request: AuditFolderRequest | AuditFilesRequest, useCache: boolean): ResultCache | undefined {
  if (!useCache) return undefined;
  const { cacheDir, root, sharedCache: endpoint } = request;
  const { cache: settings } = request.config.global;
  const limits = { maxEntries: settings.maxEntries, maxBytes: settings.maxSizeMb * 1024 * 1024, ttlMs: settings.ttlSeconds * 1000 };
  // The endpoint is part of the key: granting Workspace Trust (or a settings change) opens the tier on the next audit.
  const limitsKey = JSON.stringify([limits, settings.shared, endpoint]);
  const known = caches.get(cacheDir ?? '');
  if (known?.limitsKey === limitsKey) return known.cache;
  // A replaced cache's Redis connection goes with it (its queued writes are sent first).
  void known?.cache.shared?.close();
  const warn = (message: string) => post({ type: 'log', level: 'warn', message });
  const store = cacheDir ? new FileCacheStore(cacheDir, cachedStoreSecret(process.env, warn)) : undefined;
  const cache = new ResultCache(store, {
    limits,
    warn,
    // Only the endpoint the host sent (the user's, never the repository's); the environment gives its password.
    shared: openSharedTier(settings.shared, { root, env: process.env, endpoint, warn }),
  });
  caches.set(cacheDir ?? '', { limitsKey, cache });
  return cache;
}

function scheduleFlush(cache: ResultCache): void {
  clearTimeout(flushTimer);
  flushTimer = setTimeout(() => {
    void cache.flush();
    if (session && metricsFile) void session.saveMetrics(metricsFile);
  }, FLUSH_DELAY_MS);
}

async function clearCache(request: ClearCacheRequest): Promise<void> {
  clearTimeout(flushTimer);
  const known = caches.get(request.cacheDir ?? '');
  if (known) await known.cache.clear();
  else if (request.cacheDir) await new FileCacheStore(request.cacheDir).clear();
  post({ type: 'cleared', id: request.id });
}

/** Threads that run the agents and can be terminated when one runs past its time limit; started on first use. */
let runner: AgentRunner | undefined;
function agentRunner(): AgentRunner {
  runner ??= new AgentRunner({ warn: (message) => post({ type: 'log', level: 'warn', message }) });
  return runner;
}

/**
 * Fixes audit their text in the runner too, under each agent's time limit: a hanging agent costs a fix its own
 * fixes, never the engine (which would otherwise wait on it forever, every later request behind it).
 */
function fixLimits(config: TeamConfig): FixAuditOptions {
  return fixAuditOptions(config, runnerExecutor(agentRunner(), config));
}

/** Breakers, metrics and alerts of the whole editor session; metrics persist beside the result cache. */
let session: EngineSession | undefined;
let metricsFile: string | undefined;

async function sessionFor(config: TeamConfig, cacheDir: string | undefined): Promise<EngineSession> {
  if (!session) {
    session = new EngineSession(config);
    if (cacheDir) {
      metricsFile = join(cacheDir, 'metrics-v1.json');
      const problem = await session.loadMetrics(metricsFile);
      if (problem) post({ type: 'log', level: 'warn', message: `saved metrics discarded (${problem})` });
    }
  } else {
    session.configure(config);
  }
  return session;
}

/** Sends the metrics after an audit (or to answer `getMetrics`), with the alerts raised and cleared since. */
function postMetrics(current: EngineSession, id?: number): void {
  const { raised, cleared } = current.evaluateAlerts();
  const shared = lastShared?.stats();
  const snapshot = { ...current.snapshot(), ...(shared ? { sharedCache: shared } : {}), trends: current.trends() };
  post({ type: 'metrics', id, snapshot, raised, cleared });
}

function post(message: WorkerToHost): void {
  parentPort?.postMessage(message);
}

function targetsOf(root: string, paths: readonly string[], overlays: readonly TextOverlay[]): AuditTarget[] {
  const texts = new Map(overlays.map((o) => [o.path, o.text]));
  return toAuditTargets(root, paths).map((target) => ({ ...target, text: texts.get(target.path) }));
}

/** The project indexes of the documents re-audited as they are edited, kept while their manifests are unchanged. */
const projects = new ProjectIndexes();

async function audit(request: AuditFolderRequest | AuditFilesRequest, signal: AbortSignal): Promise<void> {
  const settings = runSettingsOf(request.config);
  const { filter } = settings;
  const cache = cacheFor(request, settings.useCache);
  lastShared = cache?.shared;
  void cache?.open(); // the store loads while the folder is walked
  let paths: readonly string[];
  let project: ProjectIndex | undefined;
  let skipped: readonly SkippedFile[] = [];
  if (request.type === 'auditFolder') {
    const listed = await listFiles(request.root, { signal, skipDir: (rel) => filter.excludesDir(rel), keepListings: true });
    paths = listed.files.filter((path) => filter.includes(path));
    project = new ProjectIndex(request.root, listed.listings);
    skipped = listed.skipped;
  } else {
    // A file asked for by name that the globs exclude loses its diagnostics, as if it were not there.
    for (const path of request.paths.filter((p) => !filter.includes(p))) {
      post({ type: 'skip', id: request.id, skipped: { path, reason: 'excluded' } });
    }
    paths = request.paths.filter((path) => filter.includes(path));
    project = projects.forRoot(request.root);
  }
  const current = await sessionFor(request.config, request.cacheDir);
  const warn = (message: string) => post({ type: 'log', level: 'warn', message });
  const baseline = request.baseline ? await baselineMatcher(request.root, request.overlays, warn) : undefined;
  const fileTeams = teamsFor(request.config);
  const result = await runAudit(targetsOf(request.root, paths, request.overlays), {
    root: request.root,
    agents: fileTeams.base.agents,
    teamFor: (path) => fileTeams.forPath(path),
    cache,
    uncachedAgents: settings.uncachedAgents,
    project,
    skipped,
    ...current.resilience(request.config, runnerExecutor(agentRunner(), request.config)),
    signal,
    concurrency: settings.concurrency,
    limits: settings.limits,
    // An editor's buffer (an open document) gets its quick fixes, which the cache never holds.
    needsFixes: (target) => target.text !== undefined,
    // A suppression comment that suppresses nothing: always shown in the editor, as a faded hint.
    unusedSuppressions: 'hint',
    onFile: (file) => post({ type: 'file', id: request.id, result: baseline ? baseline.apply(file) : file }),
    onSkip: (skipped) => post({ type: 'skip', id: request.id, skipped }),
    onProgress: (done, total) => post({ type: 'progress', id: request.id, done, total }),
  });
  if (cache && request.type === 'auditFolder') await cache.flush();
  else if (cache) scheduleFlush(cache);
  if (metricsFile && request.type === 'auditFolder') await current.saveMetrics(metricsFile);
  postMetrics(current);
  post({ type: 'auditDone', id: request.id, result: { ...result, files: [], ...(baseline ? { baseline: baseline.summary() } : {}) } });
}

async function handle(message: HostToWorker): Promise<void> {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    if (message.type === 'fixText') {
      // An open document's text: the runner thread likely holds its tree from the last keystroke's audit.
      const fileTeams = teamsFor(message.config);
      post(await fixText(message, (path) => fileTeams.forPath(path), controller.signal, { ...fixLimits(message.config), edited: true }));
    } else if (message.type === 'fixFiles') {
      const fileTeams = teamsFor(message.config);
      await fixFiles(message, (path) => fileTeams.forPath(path), controller.signal, post, fixLimits(message.config));
      post({ type: 'fixFilesDone', id: message.id, cancelled: controller.signal.aborted });
    }
    else if (message.type === 'clearCache') await clearCache(message);
    else if (message.type === 'resetBreakers') {
      session?.breakers.reset(message.agent);
      post({ type: 'ack', id: message.id });
      if (session) postMetrics(session);
    } else if (message.type === 'getMetrics') {
      if (session) postMetrics(session, message.id);
      else post({ type: 'metrics', id: message.id, snapshot: new EngineSession(defaultConfig()).snapshot(), raised: [], cleared: [] });
    }
    else await audit(message, controller.signal);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', id: message.id, message: e.message, stack: e.stack });
  } finally {
    running.delete(message.id);
  }
}

parentPort?.on('message', (message: HostToWorker) => void handle(message));
