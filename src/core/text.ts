import type { Position, Range, TextEdit } from './model';

/**
 * Maps 0-based UTF-16 offsets of one text to 1-based line/column positions.
 * Built once per text; lookups are a binary search over line starts.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    this.lineStarts = text.includes('\r') ? lineStartsWithCr(text) : lineStartsLf(text);
  }

  /** Number of lines (an empty text has one line). */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based offset of the first character of 1-based `line`. */
  lineStart(line: number): number {
    return this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1];
  }

  /** 1-based position of a 0-based offset (clamped to the text). */
  positionAt(offset: number): Position {
    const o = Math.min(Math.max(offset, 0), this.text.length);
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.lineStarts[lo] + 1 };
  }

  /** 0-based offset of a 1-based position. */
  offsetAt(position: Position): number {
    return this.lineStart(position.line) + position.column - 1;
  }

  /** Range covering the offsets `[start, end)`. */
  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** Line starts of a text without "\r": `indexOf` finds each break natively, several times faster than a char loop. */
function lineStartsLf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Line starts where "\r\n" counts as one break and a lone "\r" is a break too, as in VS Code and TypeScript. */
function lineStartsWithCr(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/**
 * The text's dominant line ending, the one every fix that inserts a line break uses: "\r" when lone carriage
 * returns outnumber the other kinds, else "\r\n" when at least half the breaks are CRLF, else "\n" (no break).
 */
export function detectEol(text: string): '\n' | '\r\n' | '\r' {
  let lf = 0;
  let crlf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  let cr = -crlf;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) cr++;
  if (cr > lf && cr > crlf) return '\r';
  return crlf > 0 && crlf >= lf ? '\r\n' : '\n';
}

/** Whether two edits touch overlapping text (two insertions at one offset overlap too). */
export function editsOverlap(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/**
 * Applies non-overlapping edits to `text`. Throws on overlapping edits: callers choose which to keep
 * (see `combineFixes`), so a silent corruption is impossible.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > text.length) {
      throw new RangeError(`edit [${edit.start}, ${edit.end}) overlaps another or lies outside the text`);
    }
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}
