/**
 * Steps measured in this process: the floors, cold audits (sequential and parallel), warm and 1 %-changed
 * audits.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { auditCorpus, emptyCacheDir, findingCount, hitRate, sameFindings, type AuditRun } from './audits';
import type { BenchContext } from './context';
import { parseFloor, readFloor, strictReadFloor } from './floors';
import { median, repeat, timed } from './measure';

const ISSUE_8 = 'issue 8';
const ISSUE_5 = 'issue 5';

/** The three floors, interleaved run by run so they share the machine's moods. */
export async function floorsStep(ctx: BenchContext): Promise<void> {
  const { root } = ctx.corpus;
  await strictReadFloor(root); // the OS page cache now holds the corpus: every measure reads from memory alike
  const read: number[] = [];
  const strict: number[] = [];
  const parse: number[] = [];
  let parsed = 0;
  for (let i = 0; i < ctx.settings.runs; i++) {
    read.push((await timed(() => readFloor(root))).ms);
    strict.push((await timed(() => strictReadFloor(root))).ms);
    const run = await timed(() => parseFloor(root));
    parse.push(run.ms);
    parsed = run.value;
  }
  ctx.measures.push(
    { id: 'floor.read', label: 'read floor: list + read (fs/promises, 4 per CPU) + SHA-256', runs: read },
    { id: 'floor.readStrict', label: 'strict read floor: list + read (synchronous) + SHA-256', runs: strict, baseline: 'floor.read' },
    {
      id: 'floor.parse', label: 'parse floor: list + read + ts.createSourceFile, 1 thread', runs: parse,
      note: `${parsed} scripts, setParentNodes: true (as the audit parses)`,
    },
  );
}

/** What the cold audits leave for the warm ones: the last sequential run and the store it wrote. */
export interface ColdOutcome {
  readonly run: AuditRun;
  readonly cacheDir: string;
}

/** Cold audits with every default agent and an empty cache: on this thread, then as the CLI runs them. */
export async function coldStep(ctx: BenchContext): Promise<ColdOutcome> {
  const plan = { root: ctx.corpus.root, runnerEntry: ctx.bundles.runner };
  const sequential: number[] = [];
  const parallel: number[] = [];
  const floor: number[] = [];
  let last: ColdOutcome | undefined;
  let workers = 0;
  // One audit first, not timed: the floors ran warm (their own runs came before), so the audits do too. A cold
  // JIT is what a new process pays; the CLI's rows measure that against the parse floor in a new process.
  await auditCorpus({ ...plan, mode: 'sequential', cacheDir: emptyCacheDir(ctx.corpus.dir) });
  for (let i = 0; i < ctx.settings.runs; i++) {
    // The baseline again, in each round: on a shared machine the speed drifts between steps.
    floor.push((await timed(() => parseFloor(plan.root))).ms);
    const cacheDir = emptyCacheDir(ctx.corpus.dir);
    const seq = await timed(() => auditCorpus({ ...plan, mode: 'sequential', cacheDir }));
    sequential.push(seq.ms);
    last = { run: seq.value, cacheDir };
    const par = await timed(() => auditCorpus({ ...plan, mode: 'parallel', cacheDir: emptyCacheDir(ctx.corpus.dir) }));
    parallel.push(par.ms);
    workers = par.value.workers;
  }
  const findings = `${findingCount(last!.run.result)} findings in ${last!.run.result.files.length} files`;
  ctx.measures.push(
    {
      id: 'floor.parse.rounds', label: 'parse floor, run again before each cold round', runs: floor, baseline: 'floor.parse',
      note: 'the cold audits\' baseline: measured beside them',
    },
    {
      id: 'audit.cold.sequential', label: 'cold audit, sequential (1 file at a time, agents on this thread)',
      runs: sequential, baseline: 'floor.parse.rounds', target: { on: 'ratio', op: '≤', limit: 1.3, source: ISSUE_8 }, note: findings,
    },
    {
      id: 'audit.cold.parallel', label: `cold audit, parallel (CLI path: concurrency ${availableParallelism()}, agents in runner threads)`,
      runs: parallel, baseline: 'floor.parse.rounds', target: { on: 'ratio', op: '≤', limit: 1.3, source: ISSUE_8 },
      note: `${workers} runner thread(s) (AgentRunner's default size on ${availableParallelism()} CPUs)`,
    },
  );
  return last!;
}

/**
 * Warm audits of the unchanged corpus over the store a cold audit left, then audits after 1 % of the files
 * changed (every 100th file; a different 1 % each run). The corpus is restored afterwards.
 */
export async function warmStep(ctx: BenchContext, cold: ColdOutcome): Promise<void> {
  const { root, files } = ctx.corpus;
  const plan = { root, cacheDir: cold.cacheDir, mode: 'sequential' as const, runnerEntry: ctx.bundles.runner };
  const warm = await repeat(ctx.settings.runs, () => auditCorpus(plan));
  const step = 100;
  const originals = new Map<string, string>();
  const changed: number[] = [];
  let changedCount = 0;
  try {
    for (let run = 0; run < ctx.settings.runs; run++) {
      const picked = files.filter((_, i) => i % step === run % step);
      changedCount = picked.length;
      for (const rel of picked) {
        const text = readFileSync(join(root, rel), 'utf8');
        if (!originals.has(rel)) originals.set(rel, text);
        writeFileSync(join(root, rel), `${text}\n// changed for the benchmark (${run})\n`);
      }
      changed.push((await timed(() => auditCorpus(plan))).ms);
    }
  } finally {
    for (const [rel, text] of originals) writeFileSync(join(root, rel), text);
  }
  pushWarmMeasures(ctx, { cold: cold.run, warm: warm.median, warmRuns: warm.runs, changed, changedCount });
}

interface WarmFigures {
  readonly cold: AuditRun;
  readonly warm: AuditRun;
  readonly warmRuns: number[];
  readonly changed: number[];
  readonly changedCount: number;
}

function pushWarmMeasures(ctx: BenchContext, f: WarmFigures): void {
  const strict = median(ctx.measures.find((m) => m.id === 'floor.readStrict')!.runs);
  const xStrict = (runs: number[]) => `${(median(runs) / strict).toFixed(2)}× strict read floor`;
  const { cache } = f.warm.result;
  ctx.measures.push(
    {
      id: 'audit.warm', label: 'warm audit, nothing changed (store loaded from disk)', runs: f.warmRuns, baseline: 'floor.read',
      target: { on: 'ratio', op: '≤', limit: 1.5, source: ISSUE_5 },
      note: `${xStrict(f.warmRuns)}; findings identical to cold: ${sameFindings(f.warm.result, f.cold.result)}`,
    },
    {
      id: 'audit.changed', label: `warm audit, ${f.changedCount} files (1 %) changed`, runs: f.changed, baseline: 'floor.read',
      target: { on: 'ratio', op: '≤', limit: 2.5, source: ISSUE_5 }, note: xStrict(f.changed),
    },
    {
      id: 'audit.warm.hitRate', label: 'warm audit: agent results from cache', unit: '%', runs: [cache.hitRate * 100],
      target: { on: 'value', op: '≥', limit: 99, source: ISSUE_5 },
      note: `${cache.lookups.misses} misses; store ${cache.entries} results, ${(cache.bytes / 1e6).toFixed(1)} MB; `
        + `cold was ${hitRate(f.cold.result)}`,
    },
  );
}
