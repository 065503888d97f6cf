import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import type { Agent } from '../agents/agent';
import { auditText } from './fileAudit';
import { hashText } from './hash';
import { DEFAULT_LOAD_LIMITS, loadFile, type LoadLimits } from './fileLoader';
import { languageOf } from './languages';
import type { AgentSummary, AuditResult, FileResult, SkippedFile } from './model';
import { ProjectIndex } from './projectContext';
import { gradeOf, scoreOf } from './score';

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
export interface AuditOptions {
  readonly root: string;
  readonly agents: readonly Agent[];
  /** Files audited at once (p-limit); defaults to the number of CPUs. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly limits?: LoadLimits;
  /** Called as each file finishes, for streaming results to an editor. */
  readonly onFile?: (result: FileResult) => void;
  readonly onSkip?: (skipped: SkippedFile) => void;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Where the files' project facts (package.json, tsconfig) come from; by default a fresh index over `root`,
   * so each run reads them again. Pass one to share the reads between runs that know nothing changed.
   */
  readonly project?: ProjectIndex;
}

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
  const limit = pLimit(Math.max(1, options.concurrency ?? defaultConcurrency()));
  const agents = Object.fromEntries(options.agents.map((a) => [a.id, { runs: 0, failures: 0, state: 'closed' }])) as
    Record<string, AgentSummary>;
  const files: FileResult[] = [];
  const skipped: SkippedFile[] = [];
  let done = 0;
  const withProject: AuditOptions = { ...options, project: options.project ?? new ProjectIndex(options.root) };

  const auditOne = async (target: AuditTarget): Promise<void> => {
    if (signal.aborted) return;
    const result = await auditTarget(target, withProject, signal, agents);
    if (signal.aborted) return;
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

  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return {
    root: options.root,
    files: files.sort(byPath),
    skipped: skipped.sort(byPath),
    durationMs: Math.round(performance.now() - started),
    cache: { hits: 0, misses: files.length },
    agents,
    cancelled: signal.aborted,
  };
}

async function auditTarget(
  target: AuditTarget, options: AuditOptions, signal: AbortSignal, agents: Record<string, AgentSummary>,
): Promise<FileResult | SkippedFile> {
  let text = target.text;
  if (text === undefined) {
    const loaded = await loadFile(target.absPath, options.limits ?? DEFAULT_LOAD_LIMITS);
    if (loaded.kind === 'skip') return { path: target.path, reason: loaded.reason };
    text = loaded.text;
  } else {
    // Yield so cancellation and progress messages get through between in-memory files.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Only scripts have imports to check against package.json; other files skip the lookups.
  const context = languageOf(target.path) === 'script' ? await options.project?.contextFor(target.absPath) : undefined;
  const audit = await auditText(target.path, text, options.agents, signal, context);
  for (const id of audit.ran) agents[id].runs++;
  for (const failure of audit.failures) agents[failure.agent].failures++;
  const score = scoreOf(audit.findings);
  return {
    path: target.path,
    contentHash: hashText(text),
    findings: audit.findings,
    failures: audit.failures,
    score,
    grade: gradeOf(score),
    fromCache: false,
  };
}
