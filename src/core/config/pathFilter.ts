import picomatch from 'picomatch';

/** Decides which paths of the workspace the team audits, from the config's include/exclude globs. */
export interface PathFilter {
  /** Whether a file (POSIX path relative to the root) is audited. */
  includes(path: string): boolean;
  /** Whether a whole directory can be skipped by the walker (an exclude glob matches it). */
  excludesDir(path: string): boolean;
}

/**
 * Globs are picomatch globs on POSIX paths relative to the root, dotfiles included. A glob that matches a
 * directory applies to everything below it, as in .gitignore, so `dist` and `test/fixtures` need no `/**`.
 * An empty include list includes everything; exclude wins over include.
 */
export function createPathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const options = { dot: true };
  const included = include.length === 0 ? () => true : picomatch([...include], options);
  const excluded = exclude.length === 0 ? () => false : picomatch([...exclude], options);
  const selfOrAncestor = (path: string, test: (p: string) => boolean): boolean => {
    for (let p = path; p !== ''; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
      if (test(p)) return true;
    }
    return false;
  };
  return {
    includes: (path) => !selfOrAncestor(path, excluded) && selfOrAncestor(path, included),
    excludesDir: (path) => selfOrAncestor(path, excluded),
  };
}

/** The filter of an empty config: everything is audited. */
export const INCLUDE_EVERYTHING: PathFilter = { includes: () => true, excludesDir: () => false };
