/**
 * `imports/wildcard` for Python: `from x import *` statements, found by a small tokenizer that knows strings
 * (triple-quoted and prefixed ones included), comments, brackets and line continuations, so that docstrings and
 * comments quoting the statement are never reported.
 */

/** One `from x import *` statement. */
export interface StarImport {
  /** The module as written without blanks: `os.path`, `.`, `..models`. */
  readonly module: string;
  /** Offsets of the `*`. */
  readonly start: number;
  readonly end: number;
}

interface Token {
  readonly kind: 'name' | 'op' | 'boundary';
  readonly value: string;
  readonly start: number;
}

/** A `# noqa` without codes, or one naming F403 (pyflakes' and Ruff's code for this), silences the line. */
const NOQA = /#\s*noqa(?!:)|#\s*noqa:[\s\w,]*\bF403\b/i;
const NAME = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const STRING_PREFIX = /^[rbuftRBUFT]{1,2}$/;

/** Every `from x import *` statement of a Python text, at any indentation. */
export function findStarImports(text: string): StarImport[] {
  const found: StarImport[] = [];
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const from = tokens[i];
    const previous = tokens[i - 1];
    if (from?.kind !== 'name' || from.value !== 'from' || (previous && previous.kind !== 'boundary')) continue;
    let j = i + 1;
    let module = '';
    for (; tokens[j] && tokens[j]?.value !== 'import' && isModulePart(tokens[j] as Token); j++) module += tokens[j]?.value;
    const star = tokens[j + 1];
    if (module === '' || tokens[j]?.value !== 'import' || star?.kind !== 'op' || star.value !== '*') continue;
    if (NOQA.test(text.slice(star.start, lineEnd(text, star.start)))) continue;
    found.push({ module, start: star.start, end: star.start + 1 });
  }
  return found;
}

function isModulePart(token: Token): boolean {
  return token.kind === 'name' || (token.kind === 'op' && token.value === '.');
}

/**
 * Names, one-character operators and statement boundaries (a logical line's end, `;`, and a `:` outside brackets,
 * after which a compound statement's body may follow on the same line). Strings and comments produce nothing.
 */
function tokenize(text: string): Token[] {
  const state: TokenizerState = { text, tokens: [], depth: 0 };
  let i = 0;
  while (i < text.length) i = skipTrivia(text, i) ?? readToken(state, i);
  return state.tokens;
}

/** The tokens so far, and the bracket depth: a line break or `:` inside brackets ends no statement. */
interface TokenizerState {
  readonly text: string;
  readonly tokens: Token[];
  depth: number;
}

/** The offset after what yields no token at `i` (a comment, a line continuation, a blank, a string); else undefined. */
function skipTrivia(text: string, i: number): number | undefined {
  const c = text[i];
  if (c === '#') return lineEnd(text, i);
  // A continued line is the same logical line.
  if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) return i + (text.startsWith('\r\n', i + 1) ? 3 : 2);
  if (c === ' ' || c === '\t' || c === '\f') return i + 1;
  if (c === '"' || c === "'") return skipString(text, i);
  return undefined;
}

/** Reads the token at `i` (a line break, a name or a one-character operator); returns the offset after it. */
function readToken(state: TokenizerState, i: number): number {
  const c = state.text[i] as string;
  if (c === '\n' || c === '\r') {
    if (state.depth === 0) state.tokens.push({ kind: 'boundary', value: c, start: i });
    return i + 1;
  }
  NAME.lastIndex = i;
  const name = NAME.exec(state.text)?.[0];
  return name === undefined ? readOperator(state, c, i) : readName(state, name, i);
}

/** A name, or the prefix of a string (`r"…"`, `f'…'`), skipped with its string. */
function readName(state: TokenizerState, name: string, i: number): number {
  const quote = state.text[i + name.length];
  if ((quote === '"' || quote === "'") && STRING_PREFIX.test(name)) return skipString(state.text, i + name.length);
  state.tokens.push({ kind: 'name', value: name, start: i });
  return i + name.length;
}

function readOperator(state: TokenizerState, c: string, i: number): number {
  if ('([{'.includes(c)) state.depth++;
  else if (')]}'.includes(c)) state.depth = Math.max(0, state.depth - 1);
  const boundary = state.depth === 0 && (c === ';' || c === ':');
  state.tokens.push({ kind: boundary ? 'boundary' : 'op', value: c, start: i });
  return i + 1;
}

/**
 * The offset after the string starting with the quote at `start`. A backslash escapes the next character (in raw
 * strings too, as far as finding the end goes); a single-quoted string ends at an unescaped line break at the
 * latest, so an unterminated one cannot swallow the file.
 */
function skipString(text: string, start: number): number {
  const quote = text[start] as string;
  const triple = text.startsWith(quote.repeat(3), start);
  const closing = triple ? quote.repeat(3) : quote;
  for (let i = start + closing.length; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (text.startsWith(closing, i)) return i + closing.length;
    else if (!triple && (c === '\n' || c === '\r')) return i;
  }
  return text.length;
}

function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') return i;
  return text.length;
}
