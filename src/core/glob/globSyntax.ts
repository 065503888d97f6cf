import { notSlash, type Atom, type Segment } from './nfa';

/** A glob the matcher will not take, with the reason (shown to the user with the pattern). */
export class GlobSyntaxError extends Error {}

const SLASH = 47;

/**
 * Cuts a brace-free glob into segments: `*`, `?`, `[...]` classes (`!`/`^` negation, ranges, POSIX
 * `[:alpha:]`-style names), `\` escapes, and `**` when it is a whole segment (elsewhere it is one `*`).
 * `fold` lowercases pattern and path alike (git's default on case-insensitive checkouts, as `ignore` does).
 */
export function parseGlob(pattern: string, fold = false): Segment[] {
  const segments: Segment[] = [];
  let atoms: Atom[] = [];
  let i = 0;
  const source = fold ? pattern.toLowerCase() : pattern;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '/') {
      segments.push(atoms);
      atoms = [];
      i++;
    } else if (ch === '*') {
      let end = i;
      while (source[end] === '*') end++;
      // Only `**` alone in its segment spans folders; `***` or `a**` are one `*`, as in picomatch.
      const whole = atoms.length === 0 && (end === source.length || source[end] === '/');
      if (end - i === 2 && whole) {
        // `**/**` means what `**` means; collapsing keeps a trailing one from demanding a child folder.
        if (segments.at(-1) !== 'globstar') segments.push('globstar');
        atoms = [];
        i = end + 1;
        if (end === source.length) return segments;
        continue;
      }
      if (atoms.at(-1)?.kind !== 'star') atoms.push({ kind: 'star' });
      i = end;
    } else if (ch === '?') {
      atoms.push({ kind: 'one', test: notSlash });
      i++;
    } else if (ch === '[') {
      const parsed = parseClass(source, i);
      atoms.push(parsed ? { kind: 'one', test: parsed.test } : literal('['));
      i = parsed ? parsed.end : i + 1;
    } else if (ch === '\\' && i + 1 < source.length) {
      atoms.push(literal(source[i + 1]));
      i += 2;
    } else {
      atoms.push(literal(ch));
      i++;
    }
  }
  segments.push(atoms);
  return segments;
}

function literal(ch: string): Atom {
  const wanted = ch.charCodeAt(0);
  return { kind: 'one', test: (code) => code === wanted, code: wanted };
}

const POSIX: Record<string, (c: string) => boolean> = {
  alpha: (c) => /[A-Za-z]/.test(c), digit: (c) => /[0-9]/.test(c), alnum: (c) => /[A-Za-z0-9]/.test(c),
  upper: (c) => /[A-Z]/.test(c), lower: (c) => /[a-z]/.test(c), space: (c) => /\s/.test(c),
  xdigit: (c) => /[0-9A-Fa-f]/.test(c), word: (c) => /\w/.test(c),
  punct: (c) => /[!-/:-@[-`{-~]/.test(c),
};

/** A `[...]` class from `start` (at the `[`); undefined when unterminated (the `[` is then a literal). */
function parseClass(source: string, start: number): { test: (code: number) => boolean; end: number } | undefined {
  let i = start + 1;
  const negated = source[i] === '!' || source[i] === '^';
  if (negated) i++;
  const ranges: [number, number][] = [];
  const named: ((c: string) => boolean)[] = [];
  let first = true;
  while (i < source.length && (source[i] !== ']' || first)) {
    first = false;
    const posix = /^\[:([a-z]+):\]/.exec(source.slice(i, i + 10));
    if (posix && POSIX[posix[1]]) {
      named.push(POSIX[posix[1]]);
      i += posix[0].length;
      continue;
    }
    let low = source[i] === '\\' && i + 1 < source.length ? source[++i] : source[i];
    i++;
    let high = low;
    if (source[i] === '-' && i + 1 < source.length && source[i + 1] !== ']') {
      high = source[i + 1];
      i += 2;
    }
    if (low > high) [low, high] = [high, low];
    ranges.push([low.charCodeAt(0), high.charCodeAt(0)]);
  }
  if (i >= source.length) return undefined;
  const member = (code: number): boolean =>
    ranges.some(([low, high]) => code >= low && code <= high) || named.some((test) => test(String.fromCharCode(code)));
  return { test: (code) => code !== SLASH && member(code) !== negated, end: i + 1 };
}

/** Most patterns one glob may expand to through its braces (`{a,b}{c,d}` is four). */
export const MAX_BRACE_EXPANSIONS = 256;

/**
 * Expands `{a,b}` sets (nested too) and `{1..9}` / `{a..e}` ranges, as picomatch does; a brace holding
 * neither a comma nor a range stays literal. Throws GlobSyntaxError past MAX_BRACE_EXPANSIONS, so a
 * pattern such as `{a,b}{a,b}{a,b}...` cannot blow up time or memory.
 */
export function expandBraces(pattern: string): string[] {
  const found = firstBrace(pattern);
  if (!found) return [pattern];
  const { open, close, options } = found;
  const results: string[] = [];
  for (const option of options) {
    for (const expanded of expandBraces(pattern.slice(0, open) + option + pattern.slice(close + 1))) {
      results.push(expanded);
      if (results.length > MAX_BRACE_EXPANSIONS) {
        throw new GlobSyntaxError(`its braces expand to more than ${MAX_BRACE_EXPANSIONS} patterns`);
      }
    }
  }
  return results;
}

/** The first brace group that expands: its offsets and its options. */
function firstBrace(pattern: string): { open: number; close: number; options: string[] } | undefined {
  for (let open = 0; open < pattern.length; open++) {
    if (pattern[open] === '\\') open++;
    else if (pattern[open] === '{') {
      const group = braceGroup(pattern, open);
      if (group) return group;
    }
  }
  return undefined;
}

function braceGroup(pattern: string, open: number): { open: number; close: number; options: string[] } | undefined {
  let depth = 0;
  let from = open + 1;
  const options: string[] = [];
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') i++;
    else if (ch === '{') depth++;
    else if (ch === ',' && depth === 1) {
      options.push(pattern.slice(from, i));
      from = i + 1;
    } else if (ch === '}' && --depth === 0) {
      if (options.length === 0) {
        const range = rangeOptions(pattern.slice(open + 1, i));
        return range ? { open, close: i, options: range } : undefined;
      }
      options.push(pattern.slice(from, i));
      return { open, close: i, options };
    }
  }
  return undefined;
}

function rangeOptions(body: string): string[] | undefined {
  const numeric = /^(-?\d+)\.\.(-?\d+)$/.exec(body);
  const alpha = /^([a-zA-Z])\.\.([a-zA-Z])$/.exec(body);
  if (!numeric && !alpha) return undefined;
  const [from, to] = numeric ? [Number(numeric[1]), Number(numeric[2])] : [alpha![1].charCodeAt(0), alpha![2].charCodeAt(0)];
  if (Math.abs(to - from) >= MAX_BRACE_EXPANSIONS) {
    throw new GlobSyntaxError(`its range {${body}} expands to more than ${MAX_BRACE_EXPANSIONS} patterns`);
  }
  const step = from <= to ? 1 : -1;
  const values: string[] = [];
  for (let v = from; v !== to + step; v += step) values.push(numeric ? String(v) : String.fromCharCode(v));
  return values;
}
