/**
 * A glob compiled to a small nondeterministic automaton over the characters of a path, run by keeping the
 * set of live states (Thompson's simulation) instead of backtracking. A match therefore costs at most
 * (states × characters) steps whatever the pattern, where a regular expression built from a glob such as
 * `*a*a*a*a*a*a*a*a*b` or `**\/a/**\/a/**\/b` backtracks for minutes on a name of a few dozen characters.
 */

/** One character of a pattern: a literal, `?`, a class, or `*` (any run of characters but `/`). */
export type Atom =
  | { readonly kind: 'one'; readonly test: (code: number) => boolean; readonly code?: number }
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

const ANY = -1;
const NOT_SLASH = -2;
const CUSTOM = -3;

const anyChar = (): boolean => true;
/** Any character but a slash (`?`, and each character of `*`). */
export const notSlash = (code: number): boolean => code !== SLASH;
const isSlash = (code: number): boolean => code === SLASH;

/** The fast-path code of the common tests (a literal atom carries its own, see `Atom`). */
function codeOf(test: (code: number) => boolean): number {
  if (test === anyChar) return ANY;
  if (test === notSlash) return NOT_SLASH;
  if (test === isSlash) return SLASH;
  return CUSTOM;
}

/** The automaton prepared for matching: closures computed once, buffers reused by every match. */
interface Compiled {
  readonly closures: Int32Array[];
  /** 1 where an accept state is reached from that state without consuming. */
  readonly acceptable: Uint8Array;
  readonly start: Int32Array;
  readonly startAccepts: boolean;
  readonly marks: Int32Array;
  readonly live: Int32Array;
  readonly next: Int32Array;
}

/** Compiled patterns: matches when any of them matches (a union shares one simulation). */
export class GlobAutomaton {
  private readonly kinds: number[] = [];
  private readonly tests: ((code: number) => boolean)[] = [];
  /** SPLIT: the state reached without consuming, besides the next one. */
  private readonly jumps: number[] = [];
  private readonly starts: number[] = [];
  /** Per state: the character it consumes (>= 0), or ANY, NOT_SLASH, or CUSTOM (see `tests`). */
  private readonly codes: number[] = [];
  private compiled: Compiled | undefined;
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
        else this.push(ONE, atom.test, atom.code ?? codeOf(atom.test));
      }
      separatorOwed = true;
    });
    const accept = this.push(ACCEPT, anyChar);
    for (const split of accepts) this.jumps[split] = accept;
    this.compiled = undefined;
  }

  /** Whether a pattern matches the whole of `path`. */
  matches(path: string): boolean {
    return this.run(path, false);
  }

  /** Whether a pattern matches `path` or one of its folders (a prefix ending before a slash). */
  matchesSelfOrAncestor(path: string): boolean {
    return this.run(path, true);
  }

  /**
   * Thompson's simulation: the live states after each character, each state at most once (marked with the
   * character's generation), so a step costs at most the number of states and nothing is ever retried.
   */
  private run(path: string, atFolders: boolean): boolean {
    const compiled = this.compiled ??= this.compile();
    const { closures, acceptable, marks } = compiled;
    let live = compiled.live;
    let next = compiled.next;
    let liveCount = 0;
    let gen = this.nextGeneration(marks);
    for (const state of compiled.start) {
      if (marks[state] === gen) continue;
      marks[state] = gen;
      live[liveCount++] = state;
    }
    let accepted = compiled.startAccepts;
    for (let i = 0; i < path.length; i++) {
      const code = path.charCodeAt(i);
      if (atFolders && accepted && code === SLASH) return true;
      if (liveCount === 0) return false;
      gen = this.nextGeneration(marks);
      let nextCount = 0;
      accepted = false;
      for (let k = 0; k < liveCount; k++) {
        const state = live[k];
        if (!this.test(state, code)) continue;
        const target = this.kinds[state] === MANY ? state : state + 1;
        if (acceptable[target] === 1) accepted = true;
        for (const reached of closures[target]) {
          if (marks[reached] !== gen) {
            marks[reached] = gen;
            next[nextCount++] = reached;
          }
        }
      }
      [live, next] = [next, live];
      liveCount = nextCount;
    }
    return accepted;
  }

  private test(state: number, code: number): boolean {
    const wanted = this.codes[state];
    if (wanted >= 0) return code === wanted;
    if (wanted === NOT_SLASH) return code !== SLASH;
    if (wanted === ANY) return true;
    return this.tests[state](code);
  }

  /** For each state, the consuming states reached from it without consuming (and whether an accept is). */
  private compile(): Compiled {
    const count = this.kinds.length;
    const closures: Int32Array[] = [];
    const acceptable = new Uint8Array(count + 1);
    for (let state = 0; state < count; state++) {
      const { states, accepts } = this.closure([state]);
      closures.push(states);
      acceptable[state] = accepts ? 1 : 0;
    }
    const start = this.closure(this.starts);
    return {
      closures, acceptable, start: start.states, startAccepts: start.accepts,
      marks: new Int32Array(count), live: new Int32Array(count), next: new Int32Array(count),
    };
  }

  private closure(from: readonly number[]): { states: Int32Array; accepts: boolean } {
    const seen = new Set<number>();
    const states: number[] = [];
    const stack = [...from];
    let accepts = false;
    while (stack.length > 0) {
      const s = stack.pop() as number;
      if (seen.has(s)) continue;
      seen.add(s);
      const kind = this.kinds[s];
      if (kind === ACCEPT) accepts = true;
      else if (kind === SPLIT) stack.push(s + 1, this.jumps[s]);
      else {
        states.push(s);
        if (kind === MANY) stack.push(s + 1);
      }
    }
    return { states: Int32Array.from(states), accepts };
  }

  private nextGeneration(marks: Int32Array): number {
    this.generation = this.generation === 0x7fffffff ? 1 : this.generation + 1;
    if (this.generation === 1) marks.fill(0);
    return this.generation;
  }

  private push(kind: number, test: (code: number) => boolean, code = codeOf(test)): number {
    this.kinds.push(kind);
    this.tests.push(test);
    this.codes.push(code);
    this.jumps.push(-1);
    return this.kinds.length - 1;
  }
}
