import type { CommentSyntax } from './commentSyntax';
import { lineEnd, quotedEnd, scriptComments } from './scriptLexer';

/** The marker every suppression directive starts with. */
export const DIRECTIVE_MARKER = 'maintenance-team-disable';

/** One real comment of a file (never text inside a string, template or regular expression). */
export interface SourceComment {
  /** Offsets of the whole comment, markers included (`end` exclusive). */
  readonly start: number;
  readonly end: number;
  /** Offsets of its text between the markers. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** True when no code comes before it (a shebang aside): where a file-level directive is honoured. */
  readonly leading: boolean;
}

/**
 * The comments of `text` that hold the directive marker, found by a lexer of the file's language (scripts and Python
 * have their own; the other text files are read by their syntax), none of which loads the compiler.
 */
export function markedComments(syntax: CommentSyntax, text: string): SourceComment[] {
  const all = syntax.kind === 'script' ? scriptComments(text)
    : syntax.kind === 'python' ? pythonComments(text)
      : textComments(syntax, text);
  return all.filter((c) => text.slice(c.bodyStart, c.bodyEnd).includes(DIRECTIVE_MARKER));
}

/** Python's string openers: an optional prefix (r, b, f, u and pairs) then a quote, triple or single. */
const PY_STRING = /(?:[rRbBuUfF]{1,2})?("""|'''|"|')/y;

/** `#` comments of Python outside strings (triple-quoted ones included, any prefix). */
function pythonComments(text: string): SourceComment[] {
  const comments: SourceComment[] = [];
  let code = false;
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '#') {
      const end = lineEnd(text, i);
      comments.push({ start: i, end, bodyStart: i + 1, bodyEnd: end, leading: !code });
      i = end;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\\') {
      i++;
      continue;
    }
    code = true;
    // A prefix letter only opens a string where no identifier is running into it (`bar'` is not `r'`).
    PY_STRING.lastIndex = i;
    const opener = !/\w/.test(text[i - 1] ?? '') ? PY_STRING.exec(text) : null;
    if (opener) {
      i = pythonStringEnd(text, i + opener[0].length, opener[1]);
      continue;
    }
    i = /\w/.test(c) ? wordEnd(text, i) : i + 1;
  }
  return comments;
}

/** Just past the string closed by `quote` starting at `from` (a backslash always escapes the next character). */
function pythonStringEnd(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (quote.length === 1 && c === '\n') return i;
    else if (text.startsWith(quote, i)) return i + quote.length;
  }
  return text.length;
}

function wordEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\w/.test(text[i])) i++;
  return i;
}

/**
 * Comments of the other text files by their syntax: line and block markers outside one-line strings. A quote opens a
 * string only where no word runs into it, so an apostrophe in prose (`don't # x`) is not a string.
 */
function textComments(syntax: Extract<CommentSyntax, { kind: 'text' }>, text: string): SourceComment[] {
  const comments: SourceComment[] = [];
  let code = false;
  let i = syntax.markup ? markupPreambleEnd(text) : 0;
  while (i < text.length) {
    const c = text[i];
    if (syntax.line && text.startsWith(syntax.line, i)) {
      const end = lineEnd(text, i);
      comments.push({ start: i, end, bodyStart: i + syntax.line.length, bodyEnd: end, leading: !code });
      i = end;
    } else if (syntax.block && text.startsWith(syntax.block[0], i)) {
      const [open, close] = syntax.block;
      const found = text.indexOf(close, i + open.length);
      const end = found === -1 ? text.length : found + close.length;
      comments.push({ start: i, end, bodyStart: i + open.length, bodyEnd: found === -1 ? end : found, leading: !code });
      i = end;
    } else if (syntax.quotes.includes(c) && !/\w/.test(text[i - 1] ?? '')) {
      code = true;
      i = quotedEnd(text, i + 1, c);
    } else {
      if (!/\s/.test(c)) code = true;
      i++;
    }
  }
  return comments;
}

/** Past a markup file's `<?xml …?>` prolog, `<!DOCTYPE …>` and Markdown front matter, which come before comments. */
export function markupPreambleEnd(text: string): number {
  let i = 0;
  for (;;) {
    const rest = text.slice(i, i + 10);
    const skip = /^\s+/.exec(text.slice(i, i + 200))?.[0].length ?? 0;
    if (skip > 0 && i + skip < text.length) {
      i += skip;
      continue;
    }
    if (i === 0 && /^---\r?\n/.test(rest)) {
      const close = /\r?\n---[ \t]*(?:\r?\n|$)/g;
      close.lastIndex = 3;
      const m = close.exec(text);
      if (!m) return i;
      i = m.index + m[0].length;
      continue;
    }
    if (rest.startsWith('<?') || /^<!doctype/i.test(rest)) {
      const end = text.indexOf('>', i);
      if (end === -1) return i;
      i = end + 1;
      continue;
    }
    return i;
  }
}
