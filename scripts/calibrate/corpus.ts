/**
 * The calibration's corpora: pinned npm packages fetched with `npm pack` into
 * node_modules/.cache/maintenance-team-calibrate (checked against the registry's integrity, recorded beside each
 * tarball so later runs work offline), each package's `src/` and package.json extracted into a temporary folder.
 * The same approach as the bench's corpus (scripts/bench/corpus.ts), for any package.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verifiedTarball } from '../bench/npmPack';

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

/** The package's tarball, from the cache or the registry (checked against the registry's integrity). */
function tarball(projectRoot: string, pkg: PinnedPackage): Promise<string> {
  return verifiedTarball(cacheDir(projectRoot), `${pkg.name}@${pkg.version}`, tarballName(pkg));
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
