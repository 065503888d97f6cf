import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { mulberry32, shuffled } from './random';

/** The repository's root (this file lives in test/unit/helpers). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** One real source file to test against. */
export interface CorpusFile {
  /** POSIX path relative to the repository root: what the agents see. */
  readonly path: string;
  readonly text: string;
}

/** Where the corpus comes from and how much of the third-party part to take. */
export interface CorpusOptions {
  /** Directories (relative to the root) taken whole. */
  readonly own: readonly string[];
  /** Directories (relative to the root) sampled; absent ones are skipped (the package may not be installed). */
  readonly sampled: readonly string[];
  /** How many sampled files at most. */
  readonly sampleSize: number;
  /** Seed of the sample, so that a run names everything needed to replay it. */
  readonly seed: number;
}

/** Scripts the parser reads as TypeScript without JSX: the planted defects and the token checks assume that. */
const TYPESCRIPT = /\.[cm]?ts$/;

/**
 * Real TypeScript files: every file under the `own` directories plus a seeded sample of the `sampled` ones,
 * in a stable order (sorted own files, then the sample).
 */
export function loadCorpus(options: CorpusOptions): CorpusFile[] {
  const own = options.own.flatMap(listTypeScript);
  const pool = options.sampled.flatMap(listTypeScript);
  const sample = shuffled(mulberry32(options.seed), pool).slice(0, Math.max(0, options.sampleSize));
  return [...own, ...sample].map((path) => ({ path, text: readFileSync(join(REPO_ROOT, path), 'utf8') }));
}

/** Sorted POSIX paths (relative to the root) of the TypeScript files under `dir`; none when it is absent. */
export function listTypeScript(dir: string): string[] {
  const absolute = join(REPO_ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && TYPESCRIPT.test(entry.name))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** A non-negative integer from the environment, or `fallback` when unset; throws on anything else. */
export function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return value >>> 0;
}
