import { ts } from 'ts-morph';
import { compareFindings } from '../../core/files/fileAudit';
import type { Finding, Severity } from '../../core/model';
import { linesOf, type Agent, type AgentInput } from '../../core/agent';
import { identityOf } from '../lineup';
import { abortCheck, flatTree, kindTable } from '../shared/astWalk';
import { namingHit } from './naming';
import { stubHit } from './stubFunctions';
import { appendAll } from '../../core/arrays';

/** Options of {@link createConventionsAgent}. */
export interface ConventionsOptions {
  /**
   * Report exported functions, classes and function-valued constants that have no JSDoc comment
   * (`conventions/missing-jsdoc`). Off by default: many teams document elsewhere, and it would flag most files.
   */
  readonly requireJsDoc?: boolean;
}

/** A finding of one conventions rule before positions are resolved: offsets into the text, `end` exclusive. */
export interface ConventionHit {
  readonly rule: 'conventions/naming' | 'conventions/stub-function' | 'conventions/missing-jsdoc';
  readonly severity: Severity;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

/** What the rules know of the file they look at. */
export interface ConventionContext {
  readonly sourceFile: ts.SourceFile;
  /** Names of the values (functions, variables, classes, enums) declared at the file's top level, computed on first use. */
  topLevelValues(): ReadonlySet<string>;
}

/** Read once: `ts` from ts-morph is a namespace of getters, too slow to go through on every node. */
const { SyntaxKind, NodeFlags, getLeadingCommentRanges } = ts;

/**
 * Builds the `conventions` agent (seeds' 12, semantic corrector, and 02, evaluator): naming styles, stub or empty
 * functions, and (opt-in) exports without JSDoc. Reports only: a rename crosses files, a stub needs its author.
 * A file with syntax errors gets no finding: the parser's recovery invents declarations that vanish with the typo.
 * Test files are the configuration's business: `conventions/stub-function` is off in those `global.tests` names
 * (src/core/config/overrides.ts), where empty functions and mocks are dummies on purpose.
 */
export function createConventionsAgent(options: ConventionsOptions = {}): Agent {
  return {
    ...identityOf('conventions'),
    run(input: AgentInput, signal: AbortSignal): Finding[] {
      signal.throwIfAborted();
      const sourceFile = input.ast();
      // A declaration file only declares: its names and shapes are someone else's, and it has no bodies.
      if (!sourceFile || sourceFile.isDeclarationFile || input.syntaxErrors().length > 0) return [];
      const hits = walk(contextOf(sourceFile), signal);
      if (options.requireJsDoc) appendAll(hits, missingJsDocHits(sourceFile));
      if (hits.length === 0) return [];
      const lines = linesOf(input);
      const findings = hits.map(({ rule, severity, message, start, end }): Finding => (
        { agent: 'conventions', rule, severity, message, range: lines.rangeOf(start, end) }
      ));
      return findings.sort(compareFindings);
    },
  };
}

/** The `conventions` agent with default options (JSDoc not required). */
export const conventionsAgent: Agent = createConventionsAgent();

/** The kinds `namingHit` and `stubHit` judge; every other node is skipped unread. */
const JUDGED_KINDS = kindTable([
  SyntaxKind.ClassDeclaration, SyntaxKind.ClassExpression, SyntaxKind.InterfaceDeclaration, SyntaxKind.TypeAliasDeclaration,
  SyntaxKind.EnumDeclaration, SyntaxKind.FunctionDeclaration, SyntaxKind.FunctionExpression, SyntaxKind.VariableDeclaration,
  SyntaxKind.MethodDeclaration, SyntaxKind.ArrowFunction,
]);

/**
 * Reads the file's shared flat tree once (see `flatTree`), judging only the nodes of `JUDGED_KINDS`. `declare`
 * subtrees are left out: the nodes carrying a `declare` modifier are the parents of its keyword nodes.
 */
function walk(context: ConventionContext, signal: AbortSignal): ConventionHit[] {
  const hits: ConventionHit[] = [];
  const tree = flatTree(context.sourceFile);
  const { nodes, after, kinds } = tree;
  const declared = new Set<ts.Node>();
  for (const index of tree.ofKind(SyntaxKind.DeclareKeyword)) {
    const keyword = nodes[index];
    if (hasModifier(keyword.parent, SyntaxKind.DeclareKeyword)) declared.add(keyword.parent);
  }
  const checkAbort = abortCheck(signal);
  for (let i = 0; i < nodes.length;) {
    checkAbort();
    const node = nodes[i];
    // `declare` (a global, a module, a namespace) describes someone else's code, and has no bodies.
    if (declared.size > 0 && declared.has(node)) {
      i = after[i];
      continue;
    }
    if (JUDGED_KINDS[kinds[i]] === 1) {
      const naming = namingHit(node, context);
      if (naming) hits.push(naming);
      const stub = stubHit(node, context);
      if (stub) hits.push(stub);
    }
    i++;
  }
  return hits;
}

function contextOf(sourceFile: ts.SourceFile): ConventionContext {
  let values: Set<string> | undefined;
  return {
    sourceFile,
    topLevelValues: () => (values ??= topLevelValues(sourceFile)),
  };
}

function topLevelValues(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    switch (statement.kind) {
      case SyntaxKind.FunctionDeclaration: case SyntaxKind.ClassDeclaration: case SyntaxKind.EnumDeclaration: {
        const { name } = statement as ts.FunctionDeclaration | ts.ClassDeclaration | ts.EnumDeclaration;
        if (name) names.add(name.text);
        break;
      }
      case SyntaxKind.VariableStatement:
        for (const { name } of (statement as ts.VariableStatement).declarationList.declarations) {
          if (name.kind === SyntaxKind.Identifier) names.add(name.text);
        }
        break;
    }
  }
  return names;
}

/**
 * `conventions/missing-jsdoc`: top-level exported function declarations (the first of overloads), classes and
 * `const` arrow/function expressions without a JSDoc comment before them.
 */
function missingJsDocHits(sourceFile: ts.SourceFile): ConventionHit[] {
  const hits: ConventionHit[] = [];
  const seenFunctions = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!hasModifier(statement, SyntaxKind.ExportKeyword) || hasModifier(statement, SyntaxKind.DeclareKeyword)) continue;
    if (statement.kind === SyntaxKind.FunctionDeclaration || statement.kind === SyntaxKind.ClassDeclaration) {
      const declaration = statement as ts.FunctionDeclaration | ts.ClassDeclaration;
      const kind = statement.kind === SyntaxKind.FunctionDeclaration ? 'function' : 'class';
      const name = declaration.name?.text;
      // Overloads share one doc, written on the first signature.
      if (kind === 'function' && name !== undefined) {
        if (seenFunctions.has(name)) continue;
        seenFunctions.add(name);
      }
      if (!hasJsDoc(statement, sourceFile)) hits.push(declarationHit(declaration, kind, sourceFile));
    } else if (statement.kind === SyntaxKind.VariableStatement) {
      const { declarationList } = statement as ts.VariableStatement;
      if (!(declarationList.flags & NodeFlags.Const) || hasJsDoc(statement, sourceFile)) continue;
      for (const { name, initializer } of declarationList.declarations) {
        if (name.kind !== SyntaxKind.Identifier || !initializer || !isFunctionExpression(initializer)) continue;
        hits.push(jsDocHit(`Exported function '${name.text}'`, name.getStart(sourceFile), name.end));
      }
    }
  }
  return hits;
}

function declarationHit(
  declaration: ts.FunctionDeclaration | ts.ClassDeclaration, kind: string, sourceFile: ts.SourceFile,
): ConventionHit {
  const { name } = declaration;
  if (name) return jsDocHit(`Exported ${kind} '${name.text}'`, name.getStart(sourceFile), name.end);
  // `export default function () {}` has no name: the range covers `export default`.
  const modifiers = declaration.modifiers ?? [];
  const exported = modifiers.find((m) => m.kind === SyntaxKind.ExportKeyword);
  const byDefault = modifiers.find((m) => m.kind === SyntaxKind.DefaultKeyword);
  const start = (exported ?? declaration).getStart(sourceFile);
  return jsDocHit(`Exported default ${kind}`, start, byDefault?.end ?? start);
}

function jsDocHit(subject: string, start: number, end: number): ConventionHit {
  return { rule: 'conventions/missing-jsdoc', severity: 'info', message: `${subject} has no JSDoc comment`, start, end };
}

/**
 * Whether a `/** … *\/` comment precedes the node. Like TypeScript's hover, any JSDoc among the leading comments
 * counts, so a `// eslint-disable-next-line` between the doc and the declaration does not hide it.
 */
function hasJsDoc(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  const { text } = sourceFile;
  const comments = getLeadingCommentRanges(text, node.pos) ?? [];
  return comments.some((c) => c.kind === SyntaxKind.MultiLineCommentTrivia
    && text.startsWith('/**', c.pos) && c.end - c.pos > '/**/'.length);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const { modifiers } = node as { readonly modifiers?: ts.NodeArray<ts.ModifierLike> };
  return modifiers !== undefined && modifiers.some((m) => m.kind === kind);
}

function isFunctionExpression(expression: ts.Expression): boolean {
  let e = expression;
  while (e.kind === SyntaxKind.ParenthesizedExpression) e = (e as ts.ParenthesizedExpression).expression;
  return e.kind === SyntaxKind.ArrowFunction || e.kind === SyntaxKind.FunctionExpression;
}
