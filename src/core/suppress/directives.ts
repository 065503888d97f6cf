import type { Range } from '../model';
import { LineIndex } from '../text';
import { DIRECTIVE_MARKER, markedComments, type SourceComment } from './commentLexers';
import { commentSyntaxOf } from './commentSyntax';

/** `next-line`: the line after the comment; `line`: the comment's own line; `file`: the whole file. */
export type DirectiveKind = 'next-line' | 'line' | 'file';

/** One rule id (or agent name) as written in a directive. */
export interface DirectiveRule {
  readonly id: string;
  /** Offsets of the id in the file's text, and its range. */
  readonly start: number;
  readonly end: number;
  readonly range: Range;
}

/** A suppression comment: `maintenance-team-disable[-next-line|-line] <rule>[, <rule>] [-- <reason>]`. */
export interface Directive {
  readonly kind: DirectiveKind;
  readonly rules: readonly DirectiveRule[];
  /** The reason after ` -- `, when one is written. */
  readonly justification?: string;
  /** The comment's offsets and range. */
  readonly start: number;
  readonly end: number;
  readonly range: Range;
  /** Just past the directive's keyword (where a rule is added to a directive that names none). */
  readonly keywordEnd: number;
  /** The 1-based line it covers (`next-line`, `line`); 0 for `file`. */
  readonly line: number;
  /** A file-level directive after code: not honoured (an invalid suppression says so). */
  readonly misplaced: boolean;
}

const KEYWORDS: readonly (readonly [string, DirectiveKind])[] = [
  [`${DIRECTIVE_MARKER}-next-line`, 'next-line'], [`${DIRECTIVE_MARKER}-line`, 'line'], [DIRECTIVE_MARKER, 'file'],
];

/** The marker as bytes (ASCII, so the same in UTF-8): a byte needle searches ~2× faster than a string one. */
const MARKER_BYTES = Buffer.from(DIRECTIVE_MARKER, 'latin1');

/**
 * Whether `content` (a text, or a file's raw bytes) may hold a directive: a search for the marker, before any
 * decoding or lexing (about 3 % of a warm run's read-and-hash floor).
 */
export function mayHoldDirectives(content: string | Uint8Array): boolean {
  if (typeof content === 'string') return content.includes(DIRECTIVE_MARKER);
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  return bytes.indexOf(MARKER_BYTES) !== -1;
}

/**
 * The suppression directives of `text` (the file at `path`, without BOM), in file order. Only real comments of the
 * file's language count; a file whose type has no comment syntax has none. Cheap when the marker is absent.
 */
export function parseDirectives(path: string, text: string): Directive[] {
  if (!mayHoldDirectives(text)) return [];
  const syntax = commentSyntaxOf(path);
  if (!syntax) return [];
  const comments = markedComments(syntax, text);
  if (comments.length === 0) return [];
  const lines = new LineIndex(text);
  const directives: Directive[] = [];
  for (const comment of comments) {
    const directive = directiveOf(text, comment, lines);
    if (directive) directives.push(directive);
  }
  return directives;
}

function directiveOf(text: string, comment: SourceComment, lines: LineIndex): Directive | undefined {
  const body = text.slice(comment.bodyStart, comment.bodyEnd);
  // Leading blanks, and the `*` of a `/** … */` comment.
  const lead = /^[\s*]*/.exec(body)![0].length;
  const at = comment.bodyStart + lead;
  const found = KEYWORDS.find(([keyword]) => text.startsWith(keyword, at) && !/[^\s,]/.test(text[at + keyword.length] ?? ' '));
  if (!found) return undefined;
  const [keyword, kind] = found;
  const keywordEnd = at + keyword.length;
  const rest = text.slice(keywordEnd, comment.bodyEnd);
  const reason = /\s--(?:\s|$)/.exec(rest);
  const listEnd = reason ? keywordEnd + reason.index : comment.bodyEnd;
  const justification = reason ? rest.slice(reason.index + reason[0].length).trim() : '';
  const rules: DirectiveRule[] = [];
  for (const m of text.slice(keywordEnd, listEnd).matchAll(/[^\s,]+/g)) {
    const start = keywordEnd + m.index;
    const end = start + m[0].length;
    rules.push({ id: m[0], start, end, range: lines.rangeOf(start, end) });
  }
  const range = lines.rangeOf(comment.start, comment.end);
  const line = kind === 'next-line' ? range.end.line + 1 : kind === 'line' ? range.start.line : 0;
  return {
    kind, rules, ...(justification ? { justification } : {}), start: comment.start, end: comment.end, range,
    keywordEnd, line, misplaced: kind === 'file' && !comment.leading,
  };
}
