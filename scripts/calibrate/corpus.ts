/**
 * The calibration's corpora: pinned npm packages fetched with `npm pack` into
 * node_modules/.cache/maintenance-team-calibrate (checked against the registry's integrity, recorded beside each
 * tarball so later runs work offline), each package's `src/` and package.json extracted into a temporary folder.
 * The same approach as the bench's corpus (scripts/bench/corpus.ts), for any package.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One pinned package: its `src/` is audited, as published. */
export interface PinnedPackage {
  readonly name: string;
  /** An exact version, never a range: the figures must be reproducible. */
  readonly version: string;
  /** Folder of the codebase it is extracted to (`''`: the codebase's root). */
  readonly folder: string;
}

/** A codebase of the calibration: one or more packages of one project, audited as one folder. */
export interface Codebase {
  /** Short name, used as a column title and with `--codebase`. */
  readonly id: string;
  readonly packages: readonly PinnedPackage[];
  /** Why it was picked, for the docs. */
  readonly why: string;
}

/** Where tarballs are kept between runs (they never change: versions are pinned). */
export function cacheDir(projectRoot: string): string {
  return join(projectRoot, 'node_modules', '.cache', 'maintenance-team-calibrate');
}

/** `@theia/core` at 1.74.1 → `theia-core-1.74.1.tgz`, the name `npm pack` gives it. */
export function tarballName(pkg: Pick<PinnedPackage, 'name' | 'version'>): string {
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
}

function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/**
 * The package's tarball, from the cache or the registry. A fetched tarball must match the registry's
 * `dist.integrity`; a cached one that no longer matches its record is fetched again.
 */
async function tarball(projectRoot: string, pkg: PinnedPackage): Promise<string> {
  const dir = cacheDir(projectRoot);
  mkdirSync(dir, { recursive: true });
  const spec = `${pkg.name}@${pkg.version}`;
  const file = join(dir, tarballName(pkg));
  const record = `${file}.integrity`;
  if (existsSync(file) && existsSync(record) && integrityOf(file) === readFileSync(record, 'utf8').trim()) return file;
  const { stdout: expected } = await run('npm', ['view', spec, 'dist.integrity'], { timeout: 60_000 });
  await run('npm', ['pack', spec, '--pack-destination', dir, '--silent'], { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  const actual = integrityOf(file);
  if (actual !== expected.trim()) throw new Error(`${spec}: integrity ${actual} ≠ registry's ${expected.trim()}`);
  writeFileSync(record, actual);
  return file;
}

/** Every file of `package/src/` (sources, styles, icons, JSON) and `package/package.json`, into `dest`. */
async function extract(file: string, dest: string): Promise<void> {
  mkdirSync(dest, { recursive: true });
  await run('tar', ['-xzf', file, '-C', dest, '--strip-components=1', '--wildcards', 'package/src/*', 'package/package.json']);
}

/** Fetches (or reuses) and extracts a codebase's packages into `root`; `log` says what is downloaded. */
export async function materialize(projectRoot: string, codebase: Codebase, root: string, log: (line: string) => void): Promise<void> {
  for (const pkg of codebase.packages) {
    const cached = existsSync(join(cacheDir(projectRoot), tarballName(pkg)));
    if (!cached) log(`fetching ${pkg.name}@${pkg.version} (npm pack)`);
    await extract(await tarball(projectRoot, pkg), join(root, pkg.folder));
  }
}
