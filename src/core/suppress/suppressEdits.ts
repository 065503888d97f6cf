import type { TextEdit } from '../model';
import { LineIndex } from '../text';
import { DIRECTIVE_MARKER, markupPreambleEnd } from './commentLexers';
import { commentAround, commentSyntaxOf, type CommentSyntax } from './commentSyntax';
import { parseDirectives, type Directive } from './directives';
import { agentOfSuppressible, isEngineRule } from './suppressibleRules';

/**
 * Whether a finding of `rule` in the file at `path` can be suppressed by a comment: the file's type has a comment
 * syntax, and the rule is one of the catalogue's (never an engine rule).
 */
export function canSuppress(path: string, rule: string): boolean {
  return !isEngineRule(rule) && agentOfSuppressible(rule) !== undefined && commentSyntaxOf(path) !== undefined;
}

/**
 * The edit behind "Disable <rule> for this line": a `maintenance-team-disable-next-line <rule> --` comment above
 * 1-based `line`, with that line's indentation and the file's line ending; or `<rule>` added to the next-line
 * directive already there. Undefined when nothing is to be done (the rule is already disabled there, it cannot be
 * suppressed), so applying it twice changes nothing.
 */
export function disableForLineEdit(path: string, text: string, line: number, rule: string): TextEdit | undefined {
  const syntax = commentSyntaxOf(path);
  if (!syntax || !canSuppress(path, rule)) return undefined;
  const above = parseDirectives(path, text).find((d) => d.kind === 'next-line' && d.line === line);
  if (above) return extend(above, rule);
  const lines = new LineIndex(text);
  const start = lines.lineStart(line);
  const indent = /^[ \t]*/.exec(text.slice(start, start + 200))![0];
  return { start, end: start, newText: `${indent}${directiveComment(syntax, `${DIRECTIVE_MARKER}-next-line ${rule}`)}${eolOf(text)}` };
}

/**
 * The edit behind "Disable <rule> for this file": a file-level `maintenance-team-disable <rule> --` comment at the
 * top, after a shebang, a Python encoding line, an XML prolog or Markdown front matter; or `<rule>` added to the
 * file-level directive already there. Undefined when there is nothing to do.
 */
export function disableForFileEdit(path: string, text: string, rule: string): TextEdit | undefined {
  const syntax = commentSyntaxOf(path);
  if (!syntax || !canSuppress(path, rule)) return undefined;
  const existing = parseDirectives(path, text).find((d) => d.kind === 'file' && !d.misplaced);
  if (existing) return extend(existing, rule);
  const at = headerEnd(syntax, text);
  const eol = eolOf(text);
  // A header without a final line break (a lone shebang) gets one before the comment.
  const before = at > 0 && at === text.length && !text.endsWith('\n') ? eol : '';
  return { start: at, end: at, newText: `${before}${directiveComment(syntax, `${DIRECTIVE_MARKER} ${rule}`)}${eol}` };
}

/** `body` as a comment; a line comment ends with ` --`, inviting the reason (no trailing blank to be reported). */
function directiveComment(syntax: CommentSyntax, body: string): string {
  const comment = commentAround(syntax, body);
  return comment.line ? `${comment.text} --` : comment.text;
}

/** `rule` added to `directive`'s list, or undefined when the rule (or its agent) is already in it. */
function extend(directive: Directive, rule: string): TextEdit | undefined {
  const agent = agentOfSuppressible(rule);
  if (directive.rules.some((r) => r.id === rule || r.id === agent)) return undefined;
  const last = directive.rules.at(-1);
  return last ? { start: last.end, end: last.end, newText: `, ${rule}` }
    : { start: directive.keywordEnd, end: directive.keywordEnd, newText: ` ${rule}` };
}

/** The file's first line ending, `\n` when it has none. */
function eolOf(text: string): string {
  const n = text.indexOf('\n');
  return n > 0 && text[n - 1] === '\r' ? '\r\n' : '\n';
}

/** Where a file-level directive goes: past what must stay first in the file. */
function headerEnd(syntax: CommentSyntax, text: string): number {
  if (syntax.kind === 'text' && syntax.markup) {
    const end = markupPreambleEnd(text);
    return end === 0 ? 0 : nextLineStart(text, end - 1);
  }
  let at = text.startsWith('#!') ? nextLineStart(text, 0) : 0;
  if (syntax.kind === 'python') {
    // PEP 263: the encoding declaration must be on the first or second line.
    const encoding = /^[ \t\f]*#.*?coding[:=]/;
    if (encoding.test(text.slice(at, nextLineStart(text, at)))) at = nextLineStart(text, at);
  }
  return at;
}

/** The start of the line after the one holding `offset` (the text's end on its last line). */
function nextLineStart(text: string, offset: number): number {
  const n = text.indexOf('\n', offset);
  return n === -1 ? text.length : n + 1;
}
