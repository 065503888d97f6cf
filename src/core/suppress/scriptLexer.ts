import type { SourceComment } from './commentLexers';

/** Keywords after which a `/` starts a regular expression (an operand is expected), not a division. */
const BEFORE_OPERAND = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case',
  'do', 'else', 'yield', 'await', 'extends']);

const WORD = /[\w$#\u0080-\uffff]/;

/**
 * The comments of a TypeScript or JavaScript text, without loading the compiler (0.5 s and 70 MB on a thread that
 * otherwise only reads and hashes): strings, template literals (with `${…}` nested to any depth) and regular
 * expressions are skipped, so comment-like text inside them is never taken for a comment. A `/` is a regular
 * expression where an operand is expected: after an operator, an opening bracket, a comma or one of the keywords
 * above; a division after a name, a literal or a closing bracket. JSX text is read as code.
 */
// Every branch below reads or sets the same state (an operand expected, the open template braces, code seen): read
// side by side, its transitions can be checked; handlers per token would scatter them.
// maintenance-team-disable-next-line complexity/cyclomatic -- a lexer is one loop over characters sharing one state
export function scriptComments(text: string): SourceComment[] {
  const comments: SourceComment[] = [];
  /** Per template literal being read: `{` still open inside its current `${…}`. */
  const templates: number[] = [];
  let operand = true;
  let code = false;
  let i = text.startsWith('#!') ? lineEnd(text, 0) : 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && (next === '/' || next === '*')) {
      const block = next === '*';
      const close = block ? text.indexOf('*/', i + 2) : -1;
      const end = block ? (close === -1 ? text.length : close + 2) : lineEnd(text, i);
      comments.push({ start: i, end, bodyStart: i + 2, bodyEnd: block ? Math.max(i + 2, end - 2) : end, leading: !code });
      i = end;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    code = true;
    if (c === '\'' || c === '"') {
      i = quotedEnd(text, i + 1, c);
      operand = false;
    } else if (c === '`' || (c === '}' && templates.at(-1) === 0)) {
      if (c === '}') templates.pop();
      const part = templatePartEnd(text, i + 1);
      if (part.opensExpression) templates.push(0);
      i = part.end;
      operand = part.opensExpression;
    } else if (c === '/' && operand) {
      i = regexEnd(text, i + 1);
      operand = false;
    } else if (WORD.test(c)) {
      const start = i;
      while (i < text.length && WORD.test(text[i])) i++;
      operand = BEFORE_OPERAND.has(text.slice(start, i));
    } else {
      if (templates.length > 0 && c === '{') templates[templates.length - 1]++;
      if (templates.length > 0 && c === '}') templates[templates.length - 1]--;
      const postfix = (c === '+' || c === '-') && next === c;
      operand = !(c === ')' || c === ']' || c === '}' || postfix);
      i += postfix ? 2 : 1;
    }
  }
  return comments;
}

/** Just past a string closed by `quote` (a backslash escapes anything, a line break included). */
export function quotedEnd(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === quote) return i + 1;
    else if (c === '\n') return i;
  }
  return text.length;
}

/** Just past a template literal's text part: at its closing backquote, or past a `${` that opens an expression. */
function templatePartEnd(text: string, from: number): { end: number; opensExpression: boolean } {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '`') return { end: i + 1, opensExpression: false };
    else if (c === '$' && text[i + 1] === '{') return { end: i + 2, opensExpression: true };
  }
  return { end: text.length, opensExpression: false };
}

/** Just past a regular expression's closing `/` and flags (a `/` inside a class `[…]` does not close it). */
function regexEnd(text: string, from: number): number {
  let inClass = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '\n') return i;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      let end = i + 1;
      while (end < text.length && /\w/.test(text[end])) end++;
      return end;
    }
  }
  return text.length;
}

/** The end of the line holding `from`, before its line break (`\r\n` or `\n`). */
export function lineEnd(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  const end = n === -1 ? text.length : n;
  return end > from && text[end - 1] === '\r' ? end - 1 : end;
}
