import { ts } from 'ts-morph';
import type { ConventionContext, ConventionHit } from './';

/** Read once: `ts` from ts-morph is a namespace of getters, too slow to go through on every node. */
const { SyntaxKind, NodeFlags, ModifierFlags, getCombinedModifierFlags, getLeadingCommentRanges } = ts;

/** A named function with a body, and whether an empty body would be worth saying. */
interface Candidate {
  /** "Function" or "Method", as the message says it. */
  readonly kind: string;
  readonly name: ts.Node;
  readonly fn: ts.FunctionLikeDeclaration;
  readonly body: ts.Block;
  /** The node whose leading comments are the function's (its statement for `const f = () => {}`). */
  readonly holder: ts.Node;
  /**
   * False where doing nothing is a legitimate implementation: members of object literals (callbacks,
   * `{ dispose() {} }`), methods that may override or implement a contract, hooks of base classes, and
   * placeholders (`let resolve = () => {}`, class fields, assignments) meant to be replaced. Their bodies are
   * still reported when they throw "not implemented" or hold only a TODO.
   */
  readonly emptyCounts: boolean;
}

/** What a body says about its function being unfinished. */
type Verdict = { readonly kind: 'empty' } | { readonly kind: 'throws' } | { readonly kind: 'todo'; readonly tag: string };

/** Functions that do nothing on purpose. */
const NO_OP_NAME = /noop|^nop$|^ignore|nothing/i;
/** A thrown message or error class saying the work is not done (`NotImplementedError`, "Method not implemented."). */
const NOT_IMPLEMENTED = /not[\s_-]*(?:yet[\s_-]*)?implemented|unimplemented|\btodo\b/i;
const TODO_TAG = /\b(todo|fixme)\b/i;
const ABSTRACT_TAG = /@(?:abstract|virtual)\b/;
/** Comments addressed to a tool rather than a reader: linters, coverage, the type checker, formatters. */
const DIRECTIVE = /^(?:\/\/|\/\*)\s*(?:eslint|tslint|jshint|biome-|prettier-|c8\s|istanbul\s|v8\s|@ts-|#region|#endregion)/;

/**
 * `conventions/stub-function` for one node: a named function whose body is empty, only throws "not implemented",
 * or holds only a TODO/FIXME comment. Callbacks (arguments), constructors, accessors, bodiless signatures,
 * `override` methods and no-op helpers are never reported; a comment explaining the body makes it deliberate.
 */
export function stubHit(node: ts.Node, context: ConventionContext): ConventionHit | undefined {
  const candidate = candidateOf(node);
  if (!candidate) return undefined;
  const { sourceFile } = context;
  const label = nameText(candidate.name, sourceFile);
  if (NO_OP_NAME.test(label)) return undefined;
  const verdict = verdictOf(candidate, sourceFile);
  if (!verdict || (verdict.kind === 'empty' && !emptyIsStub(candidate))) return undefined;
  const subject = `${candidate.kind} '${label}'`;
  const hit = { rule: 'conventions/stub-function' as const, start: candidate.name.getStart(sourceFile), end: candidate.name.end };
  switch (verdict.kind) {
    case 'empty': return { ...hit, severity: 'info', message: `${subject} has an empty body` };
    case 'throws': return { ...hit, severity: 'warning', message: `${subject} is a stub: it only throws 'not implemented'` };
    case 'todo': return { ...hit, severity: 'warning', message: `${subject} is a stub: its body is only a ${verdict.tag} comment` };
  }
}

function candidateOf(node: ts.Node): Candidate | undefined {
  switch (node.kind) {
    case SyntaxKind.FunctionDeclaration: {
      const fn = node as ts.FunctionDeclaration;
      const { name, body } = fn;
      if (!name || !body) return undefined;
      // An empty PascalCase function is a constructor of legacy scripts (`function F() {}; F.prototype = …`).
      return { kind: 'Function', name, fn, body, holder: fn, emptyCounts: !/^[A-Z]/.test(name.text) };
    }
    case SyntaxKind.MethodDeclaration:
      return methodCandidate(node as ts.MethodDeclaration);
    case SyntaxKind.ArrowFunction: case SyntaxKind.FunctionExpression:
      return expressionCandidate(node as ts.ArrowFunction | ts.FunctionExpression);
    default:
      return undefined;
  }
}

function methodCandidate(method: ts.MethodDeclaration): Candidate | undefined {
  const { name, body, parent } = method;
  const flags = getCombinedModifierFlags(method);
  if (!body || flags & ModifierFlags.Override) return undefined;
  let emptyCounts = false;
  if (parent.kind === SyntaxKind.ClassDeclaration || parent.kind === SyntaxKind.ClassExpression) {
    const owner = parent as ts.ClassLikeDeclaration;
    // Without `override` (JS, or TS without noImplicitOverride) a method of a derived or implementing class may
    // be overriding a hook with "do nothing"; abstract classes and protected methods offer such hooks.
    emptyCounts = !owner.heritageClauses?.length && !(flags & ModifierFlags.Protected)
      && !(getCombinedModifierFlags(owner) & ModifierFlags.Abstract);
  }
  return { kind: 'Method', name, fn: method, body, holder: method, emptyCounts };
}

/** An arrow or function expression held by a name: a variable, a property, an assignment's target. */
function expressionCandidate(fn: ts.ArrowFunction | ts.FunctionExpression): Candidate | undefined {
  const body = fn.body;
  if (body.kind !== SyntaxKind.Block) return undefined;
  const parent = fn.parent;
  switch (parent.kind) {
    case SyntaxKind.VariableDeclaration: {
      const { name, initializer } = parent as ts.VariableDeclaration;
      if (initializer !== fn || name.kind !== SyntaxKind.Identifier) return undefined;
      // `let resolve = () => {}` is a placeholder meant to be replaced; a `const` that does nothing is a stub.
      const isConst = (parent.parent.flags & NodeFlags.Const) !== 0;
      return { kind: 'Function', name, fn, body: body as ts.Block, holder: parent.parent.parent, emptyCounts: isConst };
    }
    case SyntaxKind.PropertyDeclaration: case SyntaxKind.PropertyAssignment: {
      const { name, initializer } = parent as ts.PropertyDeclaration | ts.PropertyAssignment;
      return initializer === fn ? { kind: 'Function', name, fn, body: body as ts.Block, holder: parent, emptyCounts: false } : undefined;
    }
    case SyntaxKind.BinaryExpression: {
      const { left, right, operatorToken } = parent as ts.BinaryExpression;
      if (right !== fn || operatorToken.kind !== SyntaxKind.EqualsToken) return undefined;
      const name = left.kind === SyntaxKind.Identifier ? left
        : left.kind === SyntaxKind.PropertyAccessExpression ? (left as ts.PropertyAccessExpression).name : undefined;
      return name ? { kind: 'Function', name, fn, body: body as ts.Block, holder: parent.parent, emptyCounts: false } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * An empty body is deliberate when the function's parameters are all marked unused (`assertIs<T>(_value: T) {}`)
 * or it asserts a type (`asserts x is T`): both exist for the type checker alone.
 */
function emptyIsStub({ fn, emptyCounts }: Candidate): boolean {
  if (!emptyCounts) return false;
  const { parameters, type } = fn;
  if (parameters.length > 0 && parameters.every((p) => p.name.kind === SyntaxKind.Identifier && p.name.text.startsWith('_'))) {
    return false;
  }
  return !(type?.kind === SyntaxKind.TypePredicate && (type as ts.TypePredicateNode).assertsModifier);
}

function verdictOf({ body, holder }: Candidate, sourceFile: ts.SourceFile): Verdict | undefined {
  const { statements } = body;
  if (statements.length === 0) {
    // Between the braces of a block without statements there is only whitespace and comments.
    const inside = sourceFile.text.slice(body.getStart(sourceFile) + 1, body.end - 1);
    // Any comment inside or just before an empty function explains it (or, with TODO, owns up to a stub).
    const comments = inside.trim() !== '' ? [inside] : leadingComments(holder, sourceFile);
    if (comments.length === 0) return { kind: 'empty' };
    const tag = comments.map((comment) => TODO_TAG.exec(comment)).find((match) => match !== null);
    return tag ? { kind: 'todo', tag: tag[1].toUpperCase() } : undefined;
  }
  if (statements.length !== 1 || statements[0].kind !== SyntaxKind.ThrowStatement) return undefined;
  if (!throwsNotImplemented((statements[0] as ts.ThrowStatement).expression, sourceFile)) return undefined;
  const comments = [...leadingComments(holder, sourceFile), ...leadingComments(statements[0], sourceFile)];
  return comments.some(isDeliberate) ? undefined : { kind: 'throws' };
}

/**
 * Whether a comment by a function that only throws "not implemented" says it is meant: `@abstract` is how JSDoc
 * marks what subclasses implement, and a plain comment says why (`// Not needed on Node`). Other JSDoc only
 * describes what the function should do, and a directive (`// eslint-disable…`) speaks to a tool.
 */
function isDeliberate(comment: string): boolean {
  if (comment.startsWith('/**')) return ABSTRACT_TAG.test(comment);
  return !DIRECTIVE.test(comment) && !TODO_TAG.test(comment);
}

/** `throw new Error('not implemented')`, `throw Error('TODO')`, `throw new NotImplementedError()`, `throw 'unimplemented'`. */
function throwsNotImplemented(thrown: ts.Expression, sourceFile: ts.SourceFile): boolean {
  if (thrown.kind === SyntaxKind.NewExpression || thrown.kind === SyntaxKind.CallExpression) {
    const { expression: callee, arguments: args } = thrown as ts.NewExpression | ts.CallExpression;
    if (NOT_IMPLEMENTED.test(callee.getText(sourceFile))) return true;
    return args !== undefined && args.length > 0 && isNotImplementedMessage(args[0], sourceFile);
  }
  return isNotImplementedMessage(thrown, sourceFile);
}

function isNotImplementedMessage(message: ts.Expression, sourceFile: ts.SourceFile): boolean {
  switch (message.kind) {
    case SyntaxKind.StringLiteral: case SyntaxKind.NoSubstitutionTemplateLiteral:
      return NOT_IMPLEMENTED.test((message as ts.StringLiteralLike).text);
    case SyntaxKind.TemplateExpression: case SyntaxKind.BinaryExpression:
      // `Method ${name} not implemented`, 'Method ' + name + ' not implemented'
      return NOT_IMPLEMENTED.test(message.getText(sourceFile));
    default:
      return false;
  }
}

function leadingComments(node: ts.Node, sourceFile: ts.SourceFile): string[] {
  const { text } = sourceFile;
  return (getLeadingCommentRanges(text, node.pos) ?? []).map((range) => text.slice(range.pos, range.end));
}

function nameText(name: ts.Node, sourceFile: ts.SourceFile): string {
  switch (name.kind) {
    case SyntaxKind.Identifier: case SyntaxKind.PrivateIdentifier:
    case SyntaxKind.StringLiteral: case SyntaxKind.NumericLiteral:
      return (name as ts.Identifier).text;
    default:
      // A computed name such as `[Symbol.iterator]` is short: its source is the clearest label.
      return name.getText(sourceFile);
  }
}
