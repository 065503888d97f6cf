/**
 * What every step of the bench shares: where things are, how many runs, and where measures and notes go.
 */
import { join } from 'node:path';
import type { Corpus } from './corpus';
import type { RawMeasure } from './measure';
import type { ProfileSummary } from './profileSteps';

/** The built bundles the bench runs (built by `node esbuild.config.mjs` first). */
export interface Bundles {
  readonly cli: string;
  readonly worker: string;
  readonly runner: string;
}

/** The bundles under `projectRoot/dist`. */
export function bundlesIn(projectRoot: string): Bundles {
  const dist = join(projectRoot, 'dist');
  return { cli: join(dist, 'cli.js'), worker: join(dist, 'worker.js'), runner: join(dist, 'runner.js') };
}

/** The settings of a run, from the environment. */
export interface BenchSettings {
  readonly runs: number;
  readonly quick: boolean;
  readonly profile: boolean;
  readonly eslint: boolean;
  readonly eslintTimeoutMs: number;
  /** Re-audits after one-character edits in the keystroke measures. */
  readonly keystrokes: number;
}

/** Reads BENCH_RUNS, BENCH_QUICK, BENCH_PROFILE, BENCH_ESLINT, BENCH_ESLINT_TIMEOUT_S, BENCH_KEYSTROKES. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): BenchSettings {
  const quick = env.BENCH_QUICK === '1';
  return {
    runs: Math.max(1, Number(env.BENCH_RUNS ?? (quick ? 1 : 3))),
    quick,
    profile: env.BENCH_PROFILE === '1',
    eslint: env.BENCH_ESLINT !== '0',
    eslintTimeoutMs: Number(env.BENCH_ESLINT_TIMEOUT_S ?? 180) * 1000,
    keystrokes: Number(env.BENCH_KEYSTROKES ?? 50),
  };
}

/** The state the steps share. */
export interface BenchContext {
  readonly projectRoot: string;
  readonly corpus: Corpus;
  readonly settings: BenchSettings;
  readonly bundles: Bundles;
  readonly measures: RawMeasure[];
  readonly notes: string[];
  readonly log: (line: string) => void;
  /** Filled by the profile step (BENCH_PROFILE=1). */
  readonly profiles: ProfileSummary[];
}
