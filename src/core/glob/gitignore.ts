import { MAX_GLOB_LENGTH } from './configGlob';
import { parseGlob } from './globSyntax';
import { GlobAutomaton } from './nfa';

/** What the rules of one .gitignore say about a path (as the `ignore` package answers). */
export interface IgnoreVerdict {
  /** A rule excludes it. */
  readonly ignored: boolean;
  /** A negated rule (`!x`) brings it back, overriding the rules of the .gitignore files above. */
  readonly unignored: boolean;
}

/** Rules read from one .gitignore at most: far more than any real one holds, few enough to bound each lookup. */
export const MAX_GITIGNORE_RULES = 10_000;

interface Rule {
  readonly negate: boolean;
  readonly dirOnly: boolean;
  /** A pattern without an inner slash is about the last name of a path only, at any depth. */
  readonly basename: boolean;
  readonly matches: (subject: string) => boolean;
}

const GIT = { trailingGlobstarNeedsChild: true };
const NEITHER: IgnoreVerdict = { ignored: false, unignored: false };

/**
 * The rules of one .gitignore, with git's syntax (`#` comments, `!` negation, a trailing `/` for folders
 * only, a pattern without an inner slash matching at any depth, `**`), case-insensitive as the `ignore`
 * package is by default, and matched by the linear-time automaton: a repository's .gitignore is untrusted
 * input, and the regular expressions `ignore` builds backtrack exponentially on `**\/a/**\/a/**\/b` against a
 * deep path. Lines past MAX_GITIGNORE_RULES and longer than MAX_GLOB_LENGTH are left out.
 */
export class GitignoreRules {
  private readonly rules: Rule[] = [];

  constructor(text: string) {
    for (const raw of text.split(/\r?\n|\r/)) {
      if (this.rules.length >= MAX_GITIGNORE_RULES) break;
      const rule = parseRule(raw);
      if (rule) this.rules.push(rule);
    }
  }

  /** The last rule matching the path (POSIX, relative to the .gitignore's folder) decides. */
  test(path: string, isDir: boolean): IgnoreVerdict {
    const folded = path.toLowerCase();
    const name = folded.slice(folded.lastIndexOf('/') + 1);
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i];
      if ((isDir || !rule.dirOnly) && rule.matches(rule.basename ? name : folded)) {
        return { ignored: !rule.negate, unignored: rule.negate };
      }
    }
    return NEITHER;
  }
}

function parseRule(raw: string): Rule | undefined {
  // Trailing blanks go unless escaped with a backslash (`a\ ` keeps one space).
  let line = raw.replace(/(?<!\\)[ \t]+$/, '');
  if (line === '' || line.startsWith('#') || line.length > MAX_GLOB_LENGTH) return undefined;
  const negate = line.startsWith('!');
  if (negate) line = line.slice(1);
  const dirOnly = /(?<!\\)\/$/.test(line);
  line = line.replace(/\/+$/, '');
  if (line === '') return undefined;
  // A slash at the start or in the middle anchors the pattern to the .gitignore's folder; else any depth.
  const basename = !line.includes('/');
  return { negate, dirOnly, basename, matches: matcherOf(basename ? line : line.replace(/^\//, ''), basename) };
}

/**
 * Most lines are a plain name or `*.ext`: compared as strings (`*.ext` only on a last name, which holds no
 * slash for the star to cross); the rest run through the automaton.
 */
function matcherOf(body: string, basename: boolean): (subject: string) => boolean {
  const folded = body.toLowerCase();
  if (!/[*?[\\]/.test(folded)) return (subject) => subject === folded;
  const suffix = folded.slice(1);
  if (basename && folded.startsWith('*') && !/[*?[\\/]/.test(suffix)) return (subject) => subject.endsWith(suffix);
  const glob = new GlobAutomaton();
  glob.add(parseGlob(body, true), GIT);
  return (subject) => glob.matches(subject);
}
