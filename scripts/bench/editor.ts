/**
 * The editor's measures: re-audits of a large open document after each keystroke, and the extension host's
 * event loop while the engine worker audits the whole corpus. The host side is `EngineClient` itself
 * (src/vscode/engineClient.ts imports nothing from `vscode` at run time); what `FindingStore` does with each
 * file is mirrored with plain objects, since `vscode.Diagnostic` needs VS Code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { ts } from 'ts-morph';
import { createTeam } from '../../src/agents/registry';
import { defaultConfig } from '../../src/core/config/schema';
import { auditText } from '../../src/core/run/execution';
import { scriptKindOf } from '../../src/core/files/fileAudit';
import type { FileResult, Severity } from '../../src/core/model';
import { ProjectIndex } from '../../src/core/files/projectContext';
import { EngineClient } from '../../src/vscode/engineClient';
import type { Logger } from '../../src/vscode/logger';
import { quantile, timed } from './measure';

/** The document typed into: a real corpus file of about `lines` lines. */
export interface TypedDocument {
  readonly path: string;
  readonly text: string;
  readonly lines: number;
}

/** The corpus file whose line count is nearest `lines` (a real file: no stitched duplicate declarations). */
export function pickDocument(root: string, files: readonly string[], lines: number): TypedDocument {
  let best: TypedDocument | undefined;
  for (const path of files) {
    const text = readFileSync(join(root, path), 'utf8');
    const count = text.split('\n').length;
    if (!best || Math.abs(count - lines) < Math.abs(best.lines - lines)) best = { path, text, lines: count };
  }
  if (!best) throw new Error('empty corpus');
  return best;
}

/**
 * The text after `n` keystrokes: a comment line in the middle of the document, typed one character at a time
 * (each text differs from the previous by one character, so no cached result applies).
 */
function typed(document: TypedDocument, n: number): string {
  const lines = document.text.split('\n');
  const middle = Math.floor(lines.length / 2);
  const comment = `// typing ${'abcdefghijklmnopqrstuvwxyz'.repeat(4).slice(0, n)}`;
  return [...lines.slice(0, middle), comment, ...lines.slice(middle)].join('\n');
}

/** Keystroke latencies, ms: the first `warmup` are dropped (JIT, first parse of the config). */
export interface KeystrokeTimes {
  readonly runs: number[];
  readonly p50: number;
  readonly p95: number;
}

function summarise(runs: number[]): KeystrokeTimes {
  return { runs, p50: quantile(runs, 0.5), p95: quantile(runs, 0.95) };
}

/** `ts.createSourceFile` of the typed texts alone (setParentNodes, as the audit): the floor of a keystroke. */
export function keystrokeParseFloor(document: TypedDocument, edits: number, warmup = 3): KeystrokeTimes {
  const runs: number[] = [];
  for (let i = 0; i < edits + warmup; i++) {
    const text = typed(document, i + 1);
    const started = performance.now();
    ts.createSourceFile(document.path, text, ts.ScriptTarget.Latest, true, scriptKindOf(document.path));
    if (i >= warmup) runs.push(performance.now() - started);
  }
  return summarise(runs);
}

/** `auditText` on this thread with every default agent (the engine's cost per keystroke, nothing around it). */
export async function keystrokesInThread(root: string, document: TypedDocument, edits: number, warmup = 3): Promise<KeystrokeTimes> {
  const agents = createTeam(defaultConfig());
  const project = await new ProjectIndex(root).contextFor(join(root, document.path));
  const signal = new AbortController().signal;
  const runs: number[] = [];
  for (let i = 0; i < edits + warmup; i++) {
    const { ms } = await timed(() => auditText(document.path, typed(document, i + 1), agents, signal, { project }));
    if (i >= warmup) runs.push(ms);
  }
  return summarise(runs);
}

/**
 * The editor's path end to end: an `auditFiles` request with the document as an overlay, sent to the engine
 * worker (result cache, agents in the runner's thread), until its `file` message is back on this thread.
 */
export async function keystrokesThroughWorker(
  client: EngineClient, root: string, document: TypedDocument, edits: number, warmup = 3,
): Promise<KeystrokeTimes> {
  const runs: number[] = [];
  for (let i = 0; i < edits + warmup; i++) {
    const overlays = [{ path: document.path, text: typed(document, i + 1) }];
    const { ms } = await timed(() => client.audit({ kind: 'files', root, paths: [document.path], overlays }, {}));
    if (i >= warmup) runs.push(ms);
  }
  return summarise(runs);
}

/** A plain stand-in for `vscode.Diagnostic`. */
interface PlainDiagnostic {
  readonly range: readonly [number, number, number, number];
  readonly message: string;
  readonly severity: Severity;
  readonly code: string;
}

/** What `FindingStore.set` does per file, minus the VS Code objects: convert, key, count. */
class PlainFindingStore {
  readonly byFile = new Map<string, { diagnostics: PlainDiagnostic[]; byKey: Map<string, unknown> }>();
  readonly totals: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };

  set(result: FileResult): void {
    const byKey = new Map<string, unknown>();
    const diagnostics = result.findings.map((f): PlainDiagnostic => {
      const range = [f.range.start.line - 1, f.range.start.column - 1, f.range.end.line - 1, f.range.end.column - 1] as const;
      byKey.set(`${f.rule}@${range.join(':')}`, f);
      return { range, message: f.message, severity: f.severity, code: f.rule };
    });
    for (const f of this.byFile.get(result.path)?.diagnostics ?? []) this.totals[f.severity]--;
    for (const f of diagnostics) this.totals[f.severity]++;
    this.byFile.set(result.path, { diagnostics, byKey });
  }
}

/** The host's event loop during one folder audit by the engine worker. */
export interface HostDelay {
  readonly ms: number;
  /** Longest delay of the host's event loop, ms. */
  readonly maxMs: number;
  readonly p99Ms: number;
  readonly files: number;
  readonly messages: number;
  /** Longest time this thread spent handling one message (EngineClient's dispatch and the store's update), ms. */
  readonly maxHandlerMs: number;
  /** Longest garbage collection on this thread meanwhile, ms: with the handler time, what a delay was made of. */
  readonly maxGcMs: number;
}

/**
 * The event loop of this thread doing nothing for `ms`: on a shared machine the scheduler alone delays it, and
 * that much of any delay measured during an audit is not the audit's.
 */
export async function idleHostDelay(ms: number): Promise<{ maxMs: number; p99Ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, ms));
  histogram.disable();
  return { maxMs: Math.max(0, histogram.max / 1e6 - 1), p99Ms: Math.max(0, histogram.percentile(99) / 1e6 - 1) };
}

/** Audits the corpus through the engine worker and watches this thread's event loop meanwhile. */
export async function hostDelayDuringFolderAudit(client: EngineClient, root: string): Promise<HostDelay> {
  const store = new PlainFindingStore();
  let messages = 0;
  let maxHandlerMs = 0;
  const handled = (work: () => void) => {
    const started = performance.now();
    messages++;
    work();
    maxHandlerMs = Math.max(maxHandlerMs, performance.now() - started);
  };
  let maxGcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) maxGcMs = Math.max(maxGcMs, entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const { ms } = await timed(() => client.audit({ kind: 'folder', root, overlays: [] }, {
    onFile: (file) => handled(() => store.set(file)),
    onSkip: () => handled(() => undefined),
    onProgress: () => handled(() => undefined),
  }));
  histogram.disable();
  gc.disconnect();
  // The histogram's values include its 1 ms sampling resolution.
  return {
    ms, maxMs: Math.max(0, histogram.max / 1e6 - 1), p99Ms: Math.max(0, histogram.percentile(99) / 1e6 - 1),
    files: store.byFile.size, messages, maxHandlerMs, maxGcMs,
  };
}

/** An engine client over dist/worker.js with the default configuration and its cache in `cacheDir`. */
export function startEngine(workerBundle: string, cacheDir: string, log: (line: string) => void): EngineClient {
  const logger: Logger = {
    trace: () => undefined, info: () => undefined, show: () => undefined,
    warn: (message) => log(`engine: ${message}`),
    error: (message, error) => log(`engine: ${message} ${error instanceof Error ? error.message : ''}`),
  };
  return new EngineClient(workerBundle, logger, { configFor: () => defaultConfig(), cacheDir });
}
