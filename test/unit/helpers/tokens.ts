import { ts } from 'ts-morph';
import { scriptKindOf } from '../../../src/core/files/fileAudit';

/** One token of a script, or one comment (comments are compared too: a fix must not eat them). */
export interface Token {
  readonly kind: ts.SyntaxKind;
  readonly start: number;
  readonly end: number;
  /** The token's text; a comment's with its whitespace runs collapsed, since layout fixes may touch them. */
  readonly text: string;
}

const LITERALS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle, ts.SyntaxKind.TemplateTail,
]);

const COMMENTS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.SingleLineCommentTrivia, ts.SyntaxKind.MultiLineCommentTrivia, ts.SyntaxKind.ShebangTrivia,
]);

/**
 * The token stream of a TypeScript (not JSX) text, whitespace and line breaks left out. A bare scanner cannot
 * tell a regular expression from a division nor a template's `}` from a block's; the parser can, so the
 * positions where it rescans are taken from a parse of the same text (`parsed` when the caller has one) and
 * the scanner rescans there too.
 */
export function scanTokens(path: string, text: string, parsed?: ts.SourceFile): Token[] {
  const rescans = rescanPositions(parsed ?? ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, scriptKindOf(path)));
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const tokens: Token[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const start = scanner.getTokenStart();
    const rescan = rescans.get(start);
    if (rescan === 'regex' && (kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken)) {
      kind = scanner.reScanSlashToken();
    } else if (rescan === 'template' && kind === ts.SyntaxKind.CloseBraceToken) {
      kind = scanner.reScanTemplateToken(false);
    }
    if (kind === ts.SyntaxKind.WhitespaceTrivia || kind === ts.SyntaxKind.NewLineTrivia) continue;
    const raw = scanner.getTokenText();
    const tokenText = COMMENTS.has(kind) ? raw.replace(/\s+/g, ' ').trim() : raw;
    tokens.push({ kind, start, end: scanner.getTokenEnd(), text: tokenText });
  }
  return tokens;
}

/** Whether `token` is a string or template piece, where whitespace is content. */
export function isLiteral(token: Token): boolean {
  return LITERALS.has(token.kind);
}

/** Whether `token` is a comment. */
export function isComment(token: Token): boolean {
  return COMMENTS.has(token.kind);
}

function rescanPositions(sourceFile: ts.SourceFile): Map<number, 'regex' | 'template'> {
  const positions = new Map<number, 'regex' | 'template'>();
  const stack: ts.Node[] = [sourceFile];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) positions.set(node.getStart(sourceFile), 'regex');
    else if (node.kind === ts.SyntaxKind.TemplateMiddle || node.kind === ts.SyntaxKind.TemplateTail) {
      positions.set(node.getStart(sourceFile), 'template');
    }
    ts.forEachChild(node, (child) => void stack.push(child));
  }
  return positions;
}

/**
 * `undefined` when both streams are equal, else a description of the first difference with a few tokens of
 * context and their 1-based lines in each text.
 */
export function describeTokenDifference(
  expected: readonly Token[], expectedText: string, actual: readonly Token[], actualText: string,
): string | undefined {
  const length = Math.max(expected.length, actual.length);
  let at = 0;
  while (at < length && expected[at]?.kind === actual[at]?.kind && expected[at]?.text === actual[at]?.text) at++;
  if (at === length) return undefined;
  const show = (tokens: readonly Token[], text: string): string => {
    const around = tokens.slice(Math.max(0, at - 4), at + 4);
    const line = tokens[at] ? lineOf(text, tokens[at].start) : 'end';
    return `line ${line}: ${around.map((t) => JSON.stringify(t.text)).join(' ')}`;
  };
  return `token ${at} of ${expected.length} differs\n`
    + `    expected ${show(expected, expectedText)}\n    actual   ${show(actual, actualText)}`;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
