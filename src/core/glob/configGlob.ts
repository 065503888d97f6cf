import { expandBraces, GlobSyntaxError, parseGlob } from './globSyntax';
import { GlobAutomaton } from './nfa';

/** Longest glob a configuration may hold (a path glob longer than this is a mistake or an attack). */
export const MAX_GLOB_LENGTH = 1000;

const PICOMATCH = { trailingGlobstarNeedsChild: false };

/**
 * `**\/<name>` and `**\/<name>/**` where the name holds letters and `*` only (`**\/*.spec.*`, `**\/test/**`), short:
 * the usual test and exclude globs. Matched segment by segment without the automaton, whose simulation of a leading
 * `**\/*` keeps many states alive (25 µs a path for the default test globs, more than reading a cached file).
 */
const SEGMENT_GLOB = /^\*\*\/((?:[^/*?[\]\\(){}|+@!]|\*(?!\*)){1,64}?)(\/\*\*)?$/;

/** A segment glob: its name cut at the stars, and whether it ends in `/**` (then a folder of that name counts). */
interface SegmentGlob {
  readonly parts: readonly string[];
  readonly folder: boolean;
}

/** Whether `name` matches the star-only pattern cut into `parts`: linear, for a pattern of at most 64 characters. */
function segmentMatches(parts: readonly string[], name: string): boolean {
  if (parts.length === 1) return name === parts[0];
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  const end = name.length - last.length;
  let at = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = name.indexOf(parts[i], at);
    if (found === -1 || found + parts[i].length > end) return false;
    at = found + parts[i].length;
  }
  return true;
}

/**
 * Why a configuration glob cannot be used, or undefined when it can. The matcher takes picomatch's
 * syntax but extglobs (`+(a|b)`, `!(x)`, ...), which it does not implement: such a pattern is refused
 * with this message rather than matched differently from what its author meant.
 */
export function globProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_GLOB_LENGTH) return `a glob of ${pattern.length} characters (at most ${MAX_GLOB_LENGTH})`;
  if (/(^|[^\\])[@!+*?]\(/.test(pattern)) return 'extglobs such as +(a|b) or !(x) are not supported; use {a,b} or exclude';
  try {
    expandBraces(stripPrefix(pattern).body);
    return undefined;
  } catch (error) {
    if (error instanceof GlobSyntaxError) return error.message;
    throw error;
  }
}

/**
 * Config globs compiled once: picomatch's meaning with `dot: true`, matched in linear time (checked against
 * picomatch on thousands of pairs in test/unit/hostileBounds.test.ts). Where picomatch 4 differs from shells
 * and git this follows them: `[!a]` is a negated class (picomatch reads the class of `!` and `a`), `\b` is the
 * letter b (picomatch leaves a regex word boundary), and `**{a,b}` is `*a` or `*b` within one segment.
 */
export class GlobSet {
  private readonly positive = new GlobAutomaton();
  private hasPositive = false;
  /** Globs without a wildcard (`dist`, `test/fixtures`), the usual excludes: compared as strings. */
  private readonly literals = new Set<string>();
  /** `**\/<name>` and `**\/<name>/**` globs (see SEGMENT_GLOB): compared segment by segment. */
  private readonly segments: SegmentGlob[] = [];
  private readonly negated: GlobAutomaton[] = [];
  /** Patterns refused by globProblem (already reported by the config loader): they match nothing. */
  readonly refused: string[] = [];

  constructor(patterns: readonly string[]) {
    for (const pattern of patterns) {
      if (globProblem(pattern) !== undefined) {
        this.refused.push(pattern);
        continue;
      }
      const { body, negate } = stripPrefix(pattern);
      const target = negate ? new GlobAutomaton() : this.positive;
      for (const expanded of expandBraces(body)) {
        if (!negate && !/[*?[\\]/.test(expanded)) {
          this.literals.add(expanded);
          continue;
        }
        const segment = negate ? null : SEGMENT_GLOB.exec(expanded);
        if (segment) {
          this.segments.push({ parts: segment[1].split('*'), folder: segment[2] !== undefined });
          continue;
        }
        target.add(parseGlob(expanded), PICOMATCH);
        this.hasPositive ||= !negate;
      }
      if (negate) this.negated.push(target);
    }
  }

  /** Whether a glob matches the path (picomatch semantics: a `!x` glob matches whatever x does not). */
  matches(path: string): boolean {
    return this.literals.has(path) || this.segmentMatches(path, false) || (this.hasPositive && this.positive.matches(path))
      || this.negated.some((glob) => !glob.matches(path));
  }

  /** Whether a glob matches the path or one of its folders. */
  matchesSelfOrAncestor(path: string): boolean {
    if (this.literals.size > 0 && this.literalMatchesSelfOrAncestor(path)) return true;
    if (this.segmentMatches(path, true)) return true;
    if (this.hasPositive && this.positive.matchesSelfOrAncestor(path)) return true;
    if (this.negated.length === 0) return false;
    for (let p = path; p !== ''; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
      if (this.negated.some((glob) => !glob.matches(p))) return true;
    }
    return false;
  }

  /**
   * Whether a segment glob matches. `**\/<name>`: the last segment is such a name, or with `orAncestor` any one (an
   * ancestor's last). `**\/<name>/**`: a folder of the path is, or the path itself when the name has no star (as
   * picomatch: `**\/test/**` matches `test`, `**\/a*\/**` does not match `ab`), with or without `orAncestor`.
   */
  private segmentMatches(path: string, orAncestor: boolean): boolean {
    if (this.segments.length === 0) return false;
    const names = path.split('/');
    const last = names.length - 1;
    for (let i = 0; i <= last; i++) {
      const name = names[i];
      for (const { parts, folder } of this.segments) {
        const applies = folder ? i < last || parts.length === 1 : i === last || orAncestor;
        if (applies && segmentMatches(parts, name)) return true;
      }
    }
    return false;
  }

  private literalMatchesSelfOrAncestor(path: string): boolean {
    for (let end = path.indexOf('/'); end !== -1; end = path.indexOf('/', end + 1)) {
      if (this.literals.has(path.slice(0, end))) return true;
    }
    return this.literals.has(path);
  }
}

/** picomatch's leading `!` (negation, unless it starts an extglob) and `./`, which it ignores. */
function stripPrefix(pattern: string): { body: string; negate: boolean } {
  let body = pattern;
  let negate = false;
  while (body.startsWith('!') && !body.startsWith('!(')) {
    negate = !negate;
    body = body.slice(1);
  }
  while (body.startsWith('./')) body = body.slice(2);
  return { body, negate };
}
