/**
 * `npm run bench` (issues 5 and 8): the audit's speed and footprint on a real TypeScript corpus, each figure as a
 * ratio to a baseline measured in the same run (these machines are shared and noisy: absolute times mean little,
 * ratios hold). Writes bench/results.md and bench/results.json; see docs/performance.md for how to read them.
 *
 *   corpus    the TypeScript sources of pinned @theia/* packages (scripts/bench/corpus.ts), fetched once with
 *             `npm pack` into node_modules/.cache/maintenance-team-bench and checked against the registry's integrity
 *   floors    read + SHA-256 (fs/promises, as DESIGN.md measured it; and synchronous, the strict floor), parse
 *   audits    cold sequential and parallel, warm, 1 % changed (in this process); the CLI cold and warm, default vs
 *             `optimizations: false`, with its peak RSS; the editor's keystroke re-audit and host event loop
 *   ESLint    with the equivalent rules, when installed
 *
 * Environment: BENCH_RUNS (default 3: median kept), BENCH_QUICK=1 (3 packages, 1 run), BENCH_CORPUS=node_modules
 * (the TypeScript files under node_modules instead, BENCH_FILES of them), BENCH_PROFILE=1 (CPU profiles of the
 * sequential cold audit and of the CLI's, per thread, into bench/), BENCH_ESLINT=0, BENCH_ESLINT_TIMEOUT_S (default 180), BENCH_KEYSTROKES (50),
 * BENCH_NO_BUILD=1 (use dist/ as it is).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coldStep, floorsStep, warmStep } from './bench/auditSteps';
import { bundlesIn, settingsFromEnv, type BenchContext } from './bench/context';
import { buildCorpus } from './bench/corpus';
import { resolveMeasures } from './bench/measure';
import { cliStep, editorStep, eslintStep } from './bench/processSteps';
import { profileStep } from './bench/profileSteps';
import { describeMachine, finishMachine, toMarkdown, writeReport, type BenchReport } from './bench/report';

const ROOT = join(__dirname, '..');

/** Every step in order, each announced on stderr as it starts. */
async function runSteps(ctx: BenchContext): Promise<void> {
  ctx.log('floors');
  await floorsStep(ctx);
  ctx.log('cold audits (sequential, parallel)');
  const cold = await coldStep(ctx);
  ctx.log('warm and 1 %-changed audits');
  await warmStep(ctx, cold);
  ctx.log('CLI: default vs optimizations: false, peak RSS');
  await cliStep(ctx);
  ctx.log('editor: keystrokes, host event loop');
  await editorStep(ctx);
  ctx.log('ESLint');
  await eslintStep(ctx);
  if (ctx.settings.profile) {
    ctx.log('CPU profiles: sequential cold audit, CLI cold audit (--cpu-prof)');
    await profileStep(ctx);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const settings = settingsFromEnv(process.env);
  const machine = describeMachine();
  const log = (line: string) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0)} s] ${line}`);
  if (process.env.BENCH_NO_BUILD !== '1') {
    log('building dist/ (node esbuild.config.mjs)');
    execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT, stdio: 'inherit' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'mt-bench-'));
  try {
    const corpus = await buildCorpus({
      projectRoot: ROOT, dir, quick: settings.quick, useNodeModules: process.env.BENCH_CORPUS === 'node_modules',
      nodeModulesFiles: Number(process.env.BENCH_FILES ?? 3000), log,
    });
    log(`corpus: ${corpus.files.length} files, ${(corpus.bytes / 1e6).toFixed(1)} MB — ${corpus.source}`);
    const ctx: BenchContext = { projectRoot: ROOT, corpus, settings, bundles: bundlesIn(ROOT), measures: [], notes: [], profiles: [], log };
    await runSteps(ctx);
    const report: BenchReport = {
      date: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
      machine: finishMachine(machine),
      corpus: { source: corpus.source, packages: corpus.packages, files: corpus.files.length, bytes: corpus.bytes },
      settings: { runs: settings.runs, quick: settings.quick },
      measures: resolveMeasures(ctx.measures),
      notes: ctx.notes,
      profiles: ctx.profiles,
    };
    console.log(toMarkdown(report));
    const written = writeReport(ROOT, report);
    log(`written: ${written.markdown}, ${written.json}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
