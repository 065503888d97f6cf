import { GlobSet } from '../glob/configGlob';

/** Decides which paths of the workspace the team audits, from the config's include/exclude globs. */
export interface PathFilter {
  /** Whether a file (POSIX path relative to the root) is audited. */
  includes(path: string): boolean;
  /** Whether a whole directory can be skipped by the walker (an exclude glob matches it). */
  excludesDir(path: string): boolean;
}

/**
 * Globs are picomatch globs on POSIX paths relative to the root, dotfiles included, matched by a
 * non-backtracking automaton (src/core/glob), so a repository's pattern cannot hang the walk. A glob that
 * matches a directory applies to everything below it, as in .gitignore, so `dist` and `test/fixtures` need
 * no `/**`. An empty include list includes everything; exclude wins over include.
 */
export function createPathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const included = include.length === 0 ? undefined : new GlobSet(include);
  const excluded = new GlobSet(exclude);
  return {
    includes: (path) => !excluded.matchesSelfOrAncestor(path) && (!included || included.matchesSelfOrAncestor(path)),
    excludesDir: (path) => excluded.matchesSelfOrAncestor(path),
  };
}

/** The filter of an empty config: everything is audited. */
export const INCLUDE_EVERYTHING: PathFilter = { includes: () => true, excludesDir: () => false };
