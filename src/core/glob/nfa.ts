/**
 * A glob compiled to a small nondeterministic automaton over the characters of a path, run by keeping the
 * set of live states (Thompson's simulation) instead of backtracking. A match therefore costs at most
 * (states × characters) steps whatever the pattern, where a regular expression built from a glob such as
 * `*a*a*a*a*a*a*a*a*b` or `**\/a/**\/a/**\/b` backtracks for minutes on a name of a few dozen characters.
 */

/** One character of a pattern: a literal, `?`, a class, or `*` (any run of characters but `/`). */
export type Atom =
  | { readonly kind: 'one'; readonly test: (code: number) => boolean }
  | { readonly kind: 'star' };

/** A pattern cut at its slashes: a segment is `**` (any number of whole segments) or a row of atoms. */
export type Segment = 'globstar' | readonly Atom[];

/** How a trailing `/**` behaves: picomatch also matches the folder itself, git only what is inside it. */
export interface BuildOptions {
  readonly trailingGlobstarNeedsChild: boolean;
}

const ONE = 0;
const MANY = 1;
const SPLIT = 2;
const ACCEPT = 3;
const SLASH = 47;

const anyChar = (): boolean => true;
const notSlash = (code: number): boolean => code !== SLASH;
const isSlash = (code: number): boolean => code === SLASH;

/** Compiled patterns: matches when any of them matches (a union shares one simulation). */
export class GlobAutomaton {
  private readonly kinds: number[] = [];
  private readonly tests: ((code: number) => boolean)[] = [];
  /** SPLIT: the state reached without consuming, besides the next one. */
  private readonly jumps: number[] = [];
  private readonly starts: number[] = [];
  private marks = new Int32Array(0);
  private generation = 0;

  /** Adds one pattern; the automaton then also matches what it matches. */
  add(segments: readonly Segment[], options: BuildOptions): void {
    this.starts.push(this.kinds.length);
    const accepts: number[] = [];
    let separatorOwed = false;
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      if (segment === 'globstar') {
        if (segments.length === 1) {
          this.push(MANY, anyChar);
        } else if (last) {
          // `a/**`: the folder itself (picomatch only), or a slash and anything below it.
          if (!options.trailingGlobstarNeedsChild) accepts.push(this.push(SPLIT, anyChar));
          this.push(ONE, isSlash);
          this.push(options.trailingGlobstarNeedsChild ? ONE : MANY, anyChar);
          if (options.trailingGlobstarNeedsChild) this.push(MANY, anyChar);
        } else {
          if (separatorOwed) this.push(ONE, isSlash);
          // Zero segments (jump past the block) or any characters ending with a slash.
          const split = this.push(SPLIT, anyChar);
          this.push(MANY, anyChar);
          this.push(ONE, isSlash);
          this.jumps[split] = this.kinds.length;
        }
        separatorOwed = false;
        return;
      }
      if (separatorOwed) this.push(ONE, isSlash);
      for (const atom of segment) {
        if (atom.kind === 'star') this.push(MANY, notSlash);
        else this.push(ONE, atom.test);
      }
      separatorOwed = true;
    });
    const accept = this.push(ACCEPT, anyChar);
    for (const split of accepts) this.jumps[split] = accept;
    this.marks = new Int32Array(this.kinds.length);
  }

  /** Whether a pattern matches the whole of `path`. */
  matches(path: string): boolean {
    return this.run(path, false);
  }

  /** Whether a pattern matches `path` or one of its folders (a prefix ending before a slash). */
  matchesSelfOrAncestor(path: string): boolean {
    return this.run(path, true);
  }

  private run(path: string, atFolders: boolean): boolean {
    if (this.starts.length === 0) return false;
    let live: number[] = [];
    let accepted = false;
    const gen = this.nextGeneration();
    for (const start of this.starts) accepted = this.close(start, live, gen) || accepted;
    for (let i = 0; i < path.length; i++) {
      const code = path.charCodeAt(i);
      if (atFolders && accepted && code === SLASH) return true;
      if (live.length === 0) return false;
      const next: number[] = [];
      const nextGen = this.nextGeneration();
      accepted = false;
      for (const state of live) {
        if (!this.tests[state](code)) continue;
        const target = this.kinds[state] === MANY ? state : state + 1;
        accepted = this.close(target, next, nextGen) || accepted;
      }
      live = next;
      if (i === path.length - 1) return accepted;
    }
    return path.length === 0 && accepted;
  }

  /** Adds `state` and what it reaches without consuming to `into`; true when that includes an accept. */
  private close(state: number, into: number[], gen: number): boolean {
    const stack = [state];
    let accepted = false;
    while (stack.length > 0) {
      const s = stack.pop() as number;
      if (this.marks[s] === gen) continue;
      this.marks[s] = gen;
      const kind = this.kinds[s];
      if (kind === ACCEPT) accepted = true;
      else if (kind === SPLIT) stack.push(s + 1, this.jumps[s]);
      else {
        into.push(s);
        if (kind === MANY) stack.push(s + 1);
      }
    }
    return accepted;
  }

  private nextGeneration(): number {
    this.generation = this.generation === 0x7fffffff ? 1 : this.generation + 1;
    if (this.generation === 1) this.marks.fill(0);
    return this.generation;
  }

  private push(kind: number, test: (code: number) => boolean): number {
    this.kinds.push(kind);
    this.tests.push(test);
    this.jumps.push(-1);
    return this.kinds.length - 1;
  }
}
