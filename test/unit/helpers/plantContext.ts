import type { ts } from 'ts-morph';
import { createAgentInput } from '../../../src/core/files/fileAudit';
import type { TextEdit } from '../../../src/core/model';
import type { Random } from './random';
import { isLiteral, scanTokens, type Token } from './tokens';

/** The defects the property test knows how to plant; each has a fix in the team (hygiene/*, imports/*). */
export type DefectKind =
  | 'trailing-whitespace' | 'indentation' | 'blank-lines' | 'final-newline'
  | 'unused-import' | 'unused-binding' | 'duplicate-import';

/** One defect planted in a file. */
export interface PlantedDefect {
  readonly kind: DefectKind;
  /** 1-based line in the original text. */
  readonly line: number;
  /** The identifier planted, for the import kinds: it must be gone from the fixed text. */
  readonly name?: string;
}

/** A defect ready to plant: its edits on the original text, and whether the fixed layout is predictable. */
export interface Planting {
  readonly edits: readonly TextEdit[];
  readonly defect: PlantedDefect;
  /** False when fixing it may legitimately leave different blanks within a line than the original had. */
  readonly exactLayout: boolean;
}

/** A place where a defect can be planted: the 0-based lines it touches, and how to make it. */
export interface Site {
  readonly lines: readonly number[];
  make(random: Random, serial: number): Planting;
}

/** One line of the original text by offsets (`end` before its line break, `next` after it). */
export interface Line {
  readonly start: number;
  readonly end: number;
  readonly next: number;
}

/** What the site finders need to know about the original file. */
export interface PlantContext {
  readonly path: string;
  readonly text: string;
  readonly sourceFile: ts.SourceFile;
  readonly lines: readonly Line[];
  readonly eol: '\n' | '\r\n';
  /** Tokens and comments, sorted, for "is this offset inside a token?" questions. */
  readonly tokens: readonly Token[];
  /** Whether the imports agent looks at this file (it parses cleanly and is not a declaration file). */
  readonly importsAudited: boolean;
}

/** Builds the context of one original text. */
export function createPlantContext(path: string, text: string): PlantContext {
  const input = createAgentInput(path, text);
  const sourceFile = input.ast()!;
  return {
    path,
    text,
    sourceFile,
    lines: splitLines(text),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    tokens: scanTokens(path, text, sourceFile),
    importsAudited: input.syntaxErrors().length === 0 && !/\.d\.[cm]?ts$/.test(path),
  };
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    const next = c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    lines.push({ start, end: i, next });
    start = next;
    i = next - 1;
  }
  lines.push({ start, end: text.length, next: text.length });
  return lines;
}

/** 0-based index of the line holding `offset`. */
export function lineIndexAt(context: PlantContext, offset: number): number {
  let lo = 0;
  let hi = context.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (context.lines[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The token or comment strictly around `offset` (starting before it and ending after it), if any. */
export function tokenAround(context: PlantContext, offset: number): Token | undefined {
  const tokens = context.tokens;
  let lo = 0;
  let hi = tokens.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  const token = tokens[found];
  return token && token.end > offset ? token : undefined;
}

/** Whether `offset` lies inside a string or template literal, where whitespace is content. */
export function insideLiteral(context: PlantContext, offset: number): boolean {
  const token = tokenAround(context, offset);
  return token !== undefined && isLiteral(token);
}

/** Whether `offset` lies inside any token or comment: inserting code there would not add a statement. */
export function insideToken(context: PlantContext, offset: number): boolean {
  return tokenAround(context, offset) !== undefined;
}

/** An edit inserting `newText` at `offset`. */
export function insertion(offset: number, newText: string): TextEdit {
  return { start: offset, end: offset, newText };
}

/**
 * Start offsets of line starts just after a top-level statement (and before the next one), where a new
 * line can be inserted between two statements; with the index of the statement that follows.
 */
export function linesBetweenStatements(context: PlantContext): { line: number; statement: number }[] {
  const statements = context.sourceFile.statements;
  const result: { line: number; statement: number }[] = [];
  for (let i = 1; i < statements.length; i++) {
    const line = lineIndexAt(context, statements[i - 1].end) + 1;
    if (line > lineIndexAt(context, statements[i].getStart(context.sourceFile))) continue;
    if (insideToken(context, context.lines[line].start)) continue;
    result.push({ line, statement: i });
  }
  return result;
}
