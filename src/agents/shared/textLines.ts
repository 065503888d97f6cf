import { ts } from 'ts-morph';
import { flatTree, kindTable } from './astWalk';

/** One line of a text, by 0-based UTF-16 offsets. */
export interface TextLine {
  /** 1-based line number. */
  readonly number: number;
  readonly start: number;
  /** End of the line's content, before its line break. */
  readonly end: number;
  /** Start of the next line (after the line break); equals `end` on the last line. */
  readonly next: number;
}

/** Splits a text into lines, keeping offsets; "\r\n", "\n" and a lone "\r" end a line. */
export function splitLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  if (!text.includes('\r')) {
    // No "\r": `indexOf` finds each break natively, several times faster than looking at every character.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      lines.push({ number: lines.length + 1, start, end: i, next: i + 1 });
      start = i + 1;
    }
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const next = c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      lines.push({ number: lines.length + 1, start, end: i, next });
      start = next;
      i = next - 1;
    }
  }
  lines.push({ number: lines.length + 1, start, end: text.length, next: text.length });
  return lines;
}

/**
 * Offsets ranges where whitespace is content, not layout: template literals and strings continued
 * over lines. Text fixes must not touch them (removing a space there changes the program).
 */
export function literalSpans(sourceFile: ts.SourceFile | undefined): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (!sourceFile || !/[`\\]/.test(sourceFile.text)) return spans;
  // The shared flat tree lists template parts and strings in document order, so the spans come out sorted.
  const { nodes, kinds } = flatTree(sourceFile);
  for (let i = 0; i < kinds.length; i++) {
    if (LITERAL_KINDS[kinds[i]]) spans.push([nodes[i].getStart(sourceFile), nodes[i].end]);
  }
  return spans;
}

const LITERAL_KINDS = kindTable([
  ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead, ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail, ts.SyntaxKind.StringLiteral,
]);

/** Whether offset `at` lies strictly inside one of `spans` (spans sorted by start). */
export function insideSpan(spans: ReadonlyArray<[number, number]>, at: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = spans[mid];
    if (at <= start) hi = mid - 1;
    else if (at >= end) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Whether some match of `marker` (a global regex) is followed, later on its line, by a match of `then`:
 * `/marker[^\n]*then/` without its quadratic worst case (each marker on a long line would rescan the rest of
 * the line). Once a marker's line is read, the search resumes after that line, so each character is read
 * a bounded number of times whatever the text holds.
 */
export function markerFollowedOnLine(text: string, marker: RegExp, then: RegExp): boolean {
  marker.lastIndex = 0;
  for (let match = marker.exec(text); match !== null; match = marker.exec(text)) {
    const from = match.index + match[0].length;
    const lineEnd = endOfLine(text, from);
    if (then.test(text.slice(from, lineEnd))) return true;
    marker.lastIndex = lineEnd;
  }
  return false;
}

/** The offset of the first line terminator (as the regex `.` sees them) at or after `from`, or the text's end. */
function endOfLine(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return i;
  }
  return text.length;
}
