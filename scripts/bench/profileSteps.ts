/**
 * BENCH_PROFILE=1: where a cold audit's time goes. Two profiles: the sequential cold audit on this thread (the
 * agents' own cost), and the CLI's cold audit run with `--cpu-prof` (one profile per thread: the main thread that
 * walks, reads, hashes and caches, and the runner thread that parses and runs the agents).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { join, relative } from 'node:path';
import { auditCorpus, emptyCacheDir } from './audits';
import { runCli } from './cli';
import type { BenchContext } from './context';
import { hotFiles, hotSpots, idleShare, profile, type HotSpot } from './profile';

/** One profile's summary in the report. */
export interface ProfileSummary {
  readonly title: string;
  /** Relative to the project root. */
  readonly file: string;
  /** Sampled time, ms. */
  readonly totalMs: number;
  /** Share of it the thread was idle, %. */
  readonly idlePct: number;
  readonly top: readonly HotSpot[];
  readonly byFile: readonly HotSpot[];
}

const TOP = 15;
const TOP_FILES = 10;

function summarise(ctx: BenchContext, title: string, file: string, taken: Profiler.Profile): ProfileSummary {
  const totalMs = (taken.endTime - taken.startTime) / 1000;
  return {
    title, file: relative(ctx.projectRoot, file), totalMs, idlePct: idleShare(taken),
    top: hotSpots(taken, TOP), byFile: hotFiles(taken, TOP_FILES),
  };
}

/** The sequential cold audit under the inspector's profiler (not timed: the profiler slows it). */
async function profileInThread(ctx: BenchContext, dir: string): Promise<ProfileSummary> {
  const file = join(dir, 'cold-sequential.cpuprofile');
  const plan = {
    root: ctx.corpus.root, mode: 'sequential' as const, cacheDir: emptyCacheDir(ctx.corpus.dir), runnerEntry: ctx.bundles.runner,
  };
  const { profile: taken } = await profile(file, () => auditCorpus(plan));
  return summarise(ctx, 'sequential cold audit, on one thread', file, taken);
}

/** `node --cpu-prof dist/cli.js audit` cold: a profile per thread, named `CPU.<date>.<time>.<pid>.<thread>.<seq>`. */
async function profileCli(ctx: BenchContext, dir: string): Promise<ProfileSummary[]> {
  const out = join(dir, 'cli-cold');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await runCli({
    cli: ctx.bundles.cli, root: ctx.corpus.root, cacheDir: emptyCacheDir(ctx.corpus.dir), scratch: ctx.corpus.dir,
    nodeOptions: ['--cpu-prof', '--cpu-prof-dir', out],
  });
  return readdirSync(out).filter((name) => name.endsWith('.cpuprofile')).sort().map((name) => {
    const thread = Number(name.split('.')[4]);
    const taken = JSON.parse(readFileSync(join(out, name), 'utf8')) as Profiler.Profile;
    const title = thread === 0 ? 'CLI cold audit, main thread' : `CLI cold audit, worker thread ${thread} (agent runner)`;
    return summarise(ctx, title, join(out, name), taken);
  });
}

/** Writes the profiles into bench/ (overwritten each time: they are large) and keeps their summaries. */
export async function profileStep(ctx: BenchContext): Promise<void> {
  const dir = join(ctx.projectRoot, 'bench');
  mkdirSync(dir, { recursive: true });
  ctx.profiles.push(await profileInThread(ctx, dir), ...await profileCli(ctx, dir));
}
