import { ts } from 'ts-morph';

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
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    const next = c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    lines.push({ number: lines.length + 1, start, end: i, next });
    start = next;
    i = next - 1;
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
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.TemplateHead:
      case ts.SyntaxKind.TemplateMiddle:
      case ts.SyntaxKind.TemplateTail:
      case ts.SyntaxKind.StringLiteral:
        spans.push([node.getStart(sourceFile), node.end]);
        return;
      case ts.SyntaxKind.TemplateExpression: {
        const template = node as ts.TemplateExpression;
        visit(template.head);
        for (const span of template.templateSpans) {
          visit(span.expression);
          visit(span.literal);
        }
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return spans;
}

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
