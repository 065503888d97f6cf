/**
 * Steps that run the built bundles: the CLI in its own process (default vs `optimizations: false`, peak RSS),
 * the editor's engine worker (keystrokes, host responsiveness), and ESLint for reference.
 */
import { dirname, join } from 'node:path';
import { emptyCacheDir } from './audits';
import { optimizationsOffConfig, runCli, type CliPlan, type CliRun } from './cli';
import type { BenchContext } from './context';
import {
  hostDelayDuringFolderAudit, idleHostDelay, keystrokeParseFloor, keystrokesInThread, keystrokesThroughWorker,
  pickDocument, startEngine, type HostDelay, type KeystrokeTimes,
} from './editor';
import { ESLINT_RULES, runEslint } from './eslint';
import { median } from './measure';
import { processParseFloor, type ProcessFloor } from './processFloor';

const ISSUE_8 = 'issue 8';

/** Cold CLI runs, as a machine's first run and as a later one. */
interface ColdRuns {
  /** Empty result cache, the parser's code cache made by the run before (a user's next run). */
  readonly runs: CliRun[];
  /** Empty result cache and empty code cache (a machine's first run: a fresh CI runner). */
  readonly first: CliRun[];
  /** The last run's result cache, left full, and a code cache folder that holds one. */
  readonly fullCacheDir: string;
  readonly codeCacheDir: string;
  /** The parse floor in a new process (`processFloor.ts`), run before each pair. */
  readonly floor: number[];
}

/**
 * Cold runs, each with a new empty result cache, in pairs: one with an empty code cache folder too (it makes the
 * code cache there), then one with that folder; the parse floor in a new process before each pair.
 */
async function coldCliRuns(plan: CliPlan, runs: number, dir: string, floorProcess: ProcessFloor): Promise<ColdRuns> {
  const out: CliRun[] = [];
  const first: CliRun[] = [];
  const floor: number[] = [];
  let fullCacheDir = plan.cacheDir;
  let codeCacheDir = '';
  for (let i = 0; i < runs; i++) {
    floor.push(await floorProcess.run());
    codeCacheDir = emptyCacheDir(dir);
    first.push(await runCli({ ...plan, cacheDir: emptyCacheDir(dir), codeCacheDir }));
    fullCacheDir = emptyCacheDir(dir);
    out.push(await runCli({ ...plan, cacheDir: fullCacheDir, codeCacheDir }));
  }
  return { runs: out, first, fullCacheDir, codeCacheDir, floor };
}

async function cliRuns(plan: CliPlan, runs: number): Promise<CliRun[]> {
  const out: CliRun[] = [];
  for (let i = 0; i < runs; i++) out.push(await runCli(plan));
  return out;
}

/**
 * The CLI as users run it, cold (empty cache) and warm, with the default configuration and with
 * `global.optimizations: false` (one file at a time, no cache). The latter runs beside the full cache of the warm
 * runs: it must ignore it, so each of its runs is a cold one, compared with both default runs.
 */
export async function cliStep(ctx: BenchContext): Promise<void> {
  const { dir, root, files } = ctx.corpus;
  const { runs } = ctx.settings;
  const base: CliPlan = { cli: ctx.bundles.cli, root, cacheDir: emptyCacheDir(dir), scratch: dir };
  const floor = await processParseFloor(join(dirname(ctx.bundles.cli), 'ts-morph.js'), root, files, dir);
  const cold = await coldCliRuns(base, runs, dir, floor);
  const full: CliPlan = { ...base, cacheDir: cold.fullCacheDir, codeCacheDir: cold.codeCacheDir };
  const warm = await cliRuns(full, runs);
  const off = await cliRuns({ ...full, config: optimizationsOffConfig(dir) }, runs);
  const ms = (xs: CliRun[]) => xs.map((x) => x.ms);
  const peak = Math.max(...cold.runs.map((x) => x.maxRssMb));
  const parseFloor = median(ctx.measures.find((m) => m.id === 'floor.parse')!.runs);
  ctx.measures.push(
    {
      id: 'floor.parse.process', label: 'parse floor in a new process: node start, compiler load (code cache), read + parse, JIT cold',
      runs: cold.floor, baseline: 'floor.parse', note: 'the CLI\'s baseline: run before each pair of cold CLI runs (scripts/bench/processFloor.ts)',
    },
    {
      id: 'cli.cold', label: 'CLI audit, cold (new process, empty cache)', runs: ms(cold.runs), baseline: 'floor.parse.process',
      note: `${(median(ms(cold.runs)) / parseFloor).toFixed(2)}× the in-process parse floor (warm JIT); `
        + 'the runner thread\'s code cache of the parser made by an earlier run (src/core/runner/codeCache.ts)',
    },
    {
      id: 'cli.cold.first', label: 'CLI audit, cold, and no code cache of the parser yet (a machine\'s first run)',
      runs: ms(cold.first), baseline: 'cli.cold',
    },
    {
      id: 'cli.cold.rss', label: 'CLI audit, cold: peak RSS (whole process, worker threads included)', unit: 'MB',
      runs: cold.runs.map((x) => x.maxRssMb), target: { on: 'value', op: '≤', limit: 400, source: ISSUE_8 },
      note: `highest of ${cold.runs.length}: ${peak.toFixed(0)} MB (process.resourceUsage().maxRSS)`,
    },
    { id: 'cli.warm', label: 'CLI audit, warm (new process, nothing changed)', runs: ms(warm), baseline: 'floor.read' },
    {
      id: 'cli.optimizationsOff', label: 'CLI audit, `optimizations: false` (cold and warm alike: the cache is ignored)',
      runs: ms(off), baseline: 'cli.cold',
      note: `${(median(ms(off)) / median(ms(warm))).toFixed(1)}× the default warm run; `
        + `peak RSS ${median(off.map((x) => x.maxRssMb)).toFixed(0)} MB`,
    },
  );
}

/**
 * p50 and p95 of keystroke re-audits. `targeted`: the editor's own path (the round trip through the engine worker,
 * which parses an edited document incrementally) carries issue 8's target; `auditText` on one thread, which
 * parses every version whole, is the reference that shows what the agents cost.
 */
function keystrokeMeasures(
  id: string, label: string, times: KeystrokeTimes, note: string, targeted: boolean,
): BenchContext['measures'] {
  return [
    {
      id: `${id}.p50`, label: `${label}: p50`, runs: [times.p50], baseline: 'editor.keystroke.parse.p50',
      note: `${times.runs.length} edits; ${note}`,
    },
    {
      id: `${id}.p95`, label: `${label}: p95`, runs: [times.p95], baseline: 'editor.keystroke.parse.p50',
      ...(targeted ? { target: { on: 'value', op: '≤', limit: 50, source: ISSUE_8 } } : {}),
      note: `max ${Math.max(...times.runs).toFixed(1)} ms${targeted ? '' : '; a whole parse per edit (reference: the editor\'s path is the round trip)'}`,
    },
  ];
}

/**
 * The editor: keystroke re-audits of a ~2,000-line file (on this thread with `auditText`, then through the
 * engine worker as an open document is), and the host's event loop while the worker audits the whole corpus,
 * cold then warm (everything cached: the worker streams results fastest, the host has the most to handle).
 */
export async function editorStep(ctx: BenchContext): Promise<void> {
  const { root, files, dir } = ctx.corpus;
  const document = pickDocument(root, files, 2000);
  const where = `${document.path} (${document.lines} lines)`;
  const parse = keystrokeParseFloor(document, ctx.settings.keystrokes);
  ctx.measures.push({
    id: 'editor.keystroke.parse.p50', label: 'keystroke: parse of the edited text alone (ts.createSourceFile): p50',
    runs: [parse.p50], note: `${where}; p95 ${parse.p95.toFixed(1)} ms`,
  });
  const inThread = await keystrokesInThread(root, document, ctx.settings.keystrokes);
  ctx.measures.push(
    ...keystrokeMeasures('editor.keystroke.auditText', 'keystroke re-audit, auditText on this thread', inThread, where, false),
  );
  const idle = await idleHostDelay(3000);
  ctx.measures.push({
    id: 'host.idle.maxDelay', label: 'host event loop, idle for 3 s (the machine\'s scheduling noise): max delay',
    runs: [idle.maxMs], note: `p99 ${idle.p99Ms.toFixed(1)} ms`,
  });
  const client = startEngine(ctx.bundles.worker, emptyCacheDir(dir), ctx.log);
  try {
    pushHostMeasures(ctx, 'cold', await hostDelayDuringFolderAudit(client, root));
    pushHostMeasures(ctx, 'warm', await hostDelayDuringFolderAudit(client, root));
    const viaWorker = await keystrokesThroughWorker(client, root, document, ctx.settings.keystrokes);
    ctx.measures.push(...keystrokeMeasures('editor.keystroke.worker', 'keystroke re-audit through the engine worker (round trip)',
      viaWorker, 'auditFiles + overlay → engine worker → runner thread (incremental parse) → file message back', true));
  } finally {
    client.dispose();
  }
}

function pushHostMeasures(ctx: BenchContext, name: 'cold' | 'warm', run: HostDelay): void {
  ctx.measures.push(
    {
      id: `host.${name}.maxDelay`, label: `host event loop during a ${name} folder audit in the engine worker: max delay`,
      runs: [run.maxMs], target: { on: 'value', op: '≤', limit: 50, source: ISSUE_8 },
      note: `audit ${(run.ms / 1000).toFixed(1)} s; ${run.messages} messages handled (longest ${run.maxHandlerMs.toFixed(1)} ms), `
        + `${run.files} files stored; longest GC pause on this thread ${run.maxGcMs.toFixed(0)} ms`,
    },
    {
      id: `host.${name}.p99Delay`, label: `host event loop during a ${name} folder audit: p99 delay`, runs: [run.p99Ms],
    },
  );
}

/** ESLint with the equivalent rules, cold; skipped when not installed or BENCH_ESLINT=0. */
export async function eslintStep(ctx: BenchContext): Promise<void> {
  if (!ctx.settings.eslint) {
    ctx.notes.push('ESLint: skipped (BENCH_ESLINT=0)');
    return;
  }
  const run = await runEslint(ctx.projectRoot, ctx.corpus.dir, ctx.settings.eslintTimeoutMs);
  if (!run.ok) {
    ctx.notes.push(`ESLint: ${run.reason}`);
    return;
  }
  const ours = (id: string) => median(ctx.measures.find((m) => m.id === id)!.runs);
  const speedUp = (id: string) => (run.ms / ours(id)).toFixed(1);
  ctx.measures.push({
    id: 'eslint.cold', label: `ESLint + typescript-eslint, ${run.rules} comparable rules, cold (no type information)`,
    runs: [run.ms], baseline: 'floor.parse',
    note: `our cold audit is ${speedUp('audit.cold.parallel')}× faster (parallel), ${speedUp('audit.cold.sequential')}× (sequential), `
      + `${speedUp('cli.cold')}× (CLI process); 1 run`,
  });
  ctx.notes.push(`ESLint rules (flat config, parser typescript-eslint, our default thresholds): ${ESLINT_RULES.join(', ')}`);
}
