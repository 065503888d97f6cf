import { lstatSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Who may own a `.git` above the audited folder for it to count as the repository root. */
export interface DiscoveryOptions {
  /** The current user's id; `process.getuid()` by default (undefined on Windows: no owner check). */
  readonly uid?: number;
}

/**
 * The highest folder whose files may configure an audit of `folder`: the root of the repository holding it (the
 * nearest folder at or above it with a `.git`), else `folder` itself. Configuration (`maintenance-team.yaml`),
 * manifests (package.json, tsconfig.json) and the default result store are never looked for above it, so a file
 * another user planted in a shared parent (`/tmp/maintenance-team.yaml`, `/tmp/node_modules`) never applies.
 *
 * A `.git` above `folder` counts only when the current user (or root) owns it, as git's `safe.directory` rule: else
 * another user could plant `/tmp/.git` to move the boundary up. The folder's own `.git` needs no check: the folder
 * is the boundary either way. A few `lstat` calls, once per audit.
 */
export function discoveryRoot(folder: string, options: DiscoveryOptions = {}): string {
  const start = resolve(folder);
  const uid = options.uid ?? process.getuid?.();
  for (let dir = start; ; dir = dirname(dir)) {
    const git = lstatSync(join(dir, '.git'), { throwIfNoEntry: false });
    if (git && (dir === start || uid === undefined || git.uid === uid || git.uid === 0)) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** Whether `path` is `boundary` or inside it (both absolute). */
export function isWithin(path: string, boundary: string): boolean {
  const rel = relative(boundary, path);
  return rel === '' || (rel.split(sep)[0] !== '..' && !isAbsolute(rel));
}
