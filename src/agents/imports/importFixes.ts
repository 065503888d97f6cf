import { ts } from 'ts-morph';
import type { TextEdit } from '../../core/model';
import type { BindingVerdict, ImportBinding } from './importUsage';

/**
 * Text edits for the imports agent's fixes. Edits only ever remove whole tokens and the separators or trivia
 * between them, so they cannot split a token or a comment; the tests re-parse every result.
 *
 * Fixes of several findings in one declaration are built to compose: each is correct alone, and together their
 * edits either do not overlap or are identical (when a whole declaration or list goes, every finding's fix
 * carries that same edit), so the adapter can apply them in one pass after dropping duplicates.
 */

/**
 * The edit removing the unused `binding`, knowing every verdict of the file (the binding's neighbours decide
 * which comma goes). `undefined` when no safe edit exists.
 */
export function removeBindingEdit(
  sourceFile: ts.SourceFile,
  binding: ImportBinding,
  verdicts: readonly BindingVerdict[],
): TextEdit | undefined {
  const siblings = verdicts.filter((verdict) => verdict.binding.declaration === binding.declaration);
  const isUnused = (node: ts.Node): boolean =>
    siblings.some((verdict) => verdict.binding.node === node && verdict.usage === 'unused');
  if (siblings.every((verdict) => verdict.usage === 'unused')) {
    return removeStatementEdit(sourceFile, binding.declaration);
  }
  // Something of the declaration is kept: only part of its clause goes.
  const clause = (binding.declaration as ts.ImportDeclaration).importClause;
  const named = clause?.namedBindings;
  if (!clause || !named) return undefined;
  if (clause.name && binding.kind === 'default') {
    return edit(clause.name.getStart(sourceFile), named.getStart(sourceFile)); // `D, { a }` → `{ a }`
  }
  const everyNamedUnused = ts.isNamedImports(named) && named.elements.every(isUnused);
  if (clause.name && (binding.kind === 'namespace' || everyNamedUnused)) {
    return edit(clause.name.end, named.end); // `D, { a, b }` or `D, * as ns` → `D`
  }
  return binding.kind === 'named' && ts.isNamedImports(named)
    ? removeSpecifierEdit(sourceFile, binding.node as ts.ImportSpecifier, named, isUnused)
    : undefined;
}

/**
 * Removes one specifier of a list that keeps at least one. The comma that goes is the one before the specifier
 * when a kept specifier precedes it, else the one after it: removals of neighbours then never overlap.
 */
function removeSpecifierEdit(
  sourceFile: ts.SourceFile,
  specifier: ts.ImportSpecifier,
  list: ts.NamedImports,
  isUnused: (node: ts.Node) => boolean,
): TextEdit | undefined {
  const elements = list.elements;
  const index = elements.indexOf(specifier);
  const keptBefore = elements.slice(0, index).some((element) => !isUnused(element));
  const previous = elements[index - 1];
  if (keptBefore && previous) return edit(previous.end, specifier.end);
  const next = elements[index + 1];
  return next ? edit(specifier.getStart(sourceFile), next.getStart(sourceFile)) : undefined;
}

/**
 * Removes a whole statement. Alone on its lines it goes with its indentation, a trailing `//` comment and its
 * line break (so CRLF files stay CRLF: no line break is ever written); sharing a line, only it and the blanks
 * after it go. `undefined` when removing it would let the previous statement run into the next one (ASI).
 */
export function removeStatementEdit(sourceFile: ts.SourceFile, statement: ts.Statement): TextEdit | undefined {
  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  const lineStart = skipBlanksBackward(text, start);
  const ownsLineStart = lineStart === 0 || isLineBreak(text.charCodeAt(lineStart - 1));
  let end = skipBlanks(text, statement.end);
  if (ownsLineStart && text.startsWith('//', end)) end = lineEnd(text, end);
  let removeStart = start;
  if (end >= text.length || isLineBreak(text.charCodeAt(end))) {
    removeStart = lineStart; // Leave no trailing blanks behind.
    if (ownsLineStart) end = afterLineBreak(text, end);
  } else if (!ownsLineStart) {
    end = statement.end; // Code on both sides: keep the blanks that separate them.
  }
  if (!isSafeToJoin(sourceFile, statement, end)) return undefined;
  return edit(removeStart, end);
}

/** Statements that end where they end: what follows them can never continue them. */
const SELF_TERMINATED: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.ImportDeclaration, ts.SyntaxKind.ImportEqualsDeclaration, ts.SyntaxKind.ExportDeclaration,
  ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration, ts.SyntaxKind.EnumDeclaration, ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.Block,
]);

/** Blanks, line breaks and comments before the next token. */
const TRIVIA = /(?:\s+|\/\/[^\r\n\u2028\u2029]*|\/\*[\s\S]*?\*\/)*/y;
/** Characters that may continue an expression from the previous line. */
const CONTINUATION = /[([`+\-/*%,.=<>?:!&|^]/;

/**
 * ASI hazard check: `a\nimport x from 'x'\n(b)` must not become `a\n(b)`, which calls `a`. Safe when the
 * previous statement is terminated (`;` or a declaration that cannot continue) or the next token cannot
 * continue an expression. A previous `}` is not enough: `const f = function () {}` would swallow `(b)`.
 */
function isSafeToJoin(sourceFile: ts.SourceFile, statement: ts.Statement, end: number): boolean {
  const statements = (statement.parent as ts.SourceFile | ts.ModuleBlock).statements;
  const previous = statements[statements.indexOf(statement) - 1];
  if (!previous || SELF_TERMINATED.has(previous.kind)) return true;
  if (sourceFile.text.charAt(previous.end - 1) === ';') return true;
  TRIVIA.lastIndex = end; // Sticky: matches from `end` without copying the rest of the file.
  TRIVIA.exec(sourceFile.text);
  return !CONTINUATION.test(sourceFile.text.charAt(TRIVIA.lastIndex));
}

function skipBlanksBackward(text: string, position: number): number {
  let at = position;
  while (at > 0 && isBlank(text.charCodeAt(at - 1))) at--;
  return at;
}

function skipBlanks(text: string, position: number): number {
  let at = position;
  while (at < text.length && isBlank(text.charCodeAt(at))) at++;
  return at;
}

function lineEnd(text: string, position: number): number {
  let at = position;
  while (at < text.length && !isLineBreak(text.charCodeAt(at))) at++;
  return at;
}

/** Position after the line break at `position` (`\r\n` counts as one). */
function afterLineBreak(text: string, position: number): number {
  if (text.startsWith('\r\n', position)) return position + 2;
  return position < text.length ? position + 1 : position;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c || code === 0xa0 || code === 0xfeff;
}

function isLineBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

function edit(start: number, end: number, newText = ''): TextEdit {
  return { start, end, newText };
}
