/**
 * Audits of the corpus run in this process, the way the CLI runs them: sequentially on this thread, or with the
 * agents in the terminable runner's worker threads (the CLI's real path, src/cli/main.ts).
 */
import { mkdtempSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createTeam } from '../../src/agents/registry';
import { ResultCache } from '../../src/core/cache/resultCache';
import { FileCacheStore } from '../../src/core/cache/store';
import { defaultConfig } from '../../src/core/config/schema';
import { runAudit, type AuditOptions } from '../../src/core/run/coordinator';
import type { AuditResult } from '../../src/core/model';
import { ProjectIndex } from '../../src/core/files/projectContext';
import { AgentRunner } from '../../src/core/runner/agentRunner';
import { runnerExecutor } from '../../src/core/runner/executor';
import { EngineSession } from '../../src/core/run/session';
import { listFiles, toAuditTargets } from '../../src/core/files/walker';

/** How to run one audit. */
export interface AuditPlan {
  readonly root: string;
  /** The store's folder; a new one (empty) for a cold audit. */
  readonly cacheDir: string;
  /** `sequential`: one file at a time, agents on this thread; `parallel`: as the CLI does. */
  readonly mode: 'sequential' | 'parallel';
  /** The runner's worker bundle (dist/runner.js), for `parallel`. */
  readonly runnerEntry: string;
}

/** One audit's result and how it ran. */
export interface AuditRun {
  readonly result: AuditResult;
  /** Runner threads started (0 in-thread). */
  readonly workers: number;
}

/** A fresh, empty cache folder under `dir`. */
export function emptyCacheDir(dir: string): string {
  return mkdtempSync(join(dir, 'cache-'));
}

/**
 * Audits the corpus with every default agent, the result cache in `plan.cacheDir` (a new cache object each time:
 * the store is read from disk, as a new CLI process would), and writes the store back.
 */
export async function auditCorpus(plan: AuditPlan): Promise<AuditRun> {
  const config = defaultConfig();
  const cache = new ResultCache(new FileCacheStore(plan.cacheDir), {
    limits: { maxEntries: 50_000, maxBytes: 256 * 1024 * 1024, ttlMs: 0 },
  });
  void cache.open(); // loads while the folder is walked, as the CLI and the editor do
  const { files, listings } = await listFiles(plan.root, { keepListings: true });
  const runner = plan.mode === 'parallel' ? new AgentRunner({ entry: { file: plan.runnerEntry } }) : undefined;
  const session = new EngineSession(config);
  const options: AuditOptions = {
    root: plan.root,
    agents: createTeam(config),
    cache,
    project: new ProjectIndex(plan.root, listings),
    concurrency: plan.mode === 'parallel' ? availableParallelism() : 1,
    ...session.resilience(config, runner && runnerExecutor(runner, config)),
  };
  try {
    const result = await runAudit(toAuditTargets(plan.root, files), options);
    await cache.flush();
    return { result, workers: runner?.spawnedWorkers ?? 0 };
  } finally {
    await runner?.dispose();
  }
}

/** The share of agent results served from the cache, e.g. `99.6 %`. */
export function hitRate(result: AuditResult): string {
  return `${(result.cache.hitRate * 100).toFixed(1)} %`;
}

/** Total findings of an audit. */
export function findingCount(result: AuditResult): number {
  return result.files.reduce((n, f) => n + f.findings.length, 0);
}

/** Whether two audits found the same things in the same files. */
export function sameFindings(a: AuditResult, b: AuditResult): boolean {
  const key = (r: AuditResult) => JSON.stringify(r.files.map((f) => [f.path, f.findings.map((x) => [x.rule, x.range])]));
  return key(a) === key(b);
}
