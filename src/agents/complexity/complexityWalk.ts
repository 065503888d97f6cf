import { ts } from 'ts-morph';
import { abortCheck, flatTree, kindTable } from '../shared/astWalk';

/**
 * The complexity agent's walk: one pass over the file's flat tree measuring each function (decisions, nesting)
 * and collecting awaits that run once per loop iteration. The agent (`complexity.ts`) turns it into findings.
 */

export type FunctionLike =
  | ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression
  | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

/** What is measured of one function while walking it (the file itself is a frame without `fn`). */
export interface Frame {
  readonly fn?: FunctionLike;
  decisions: number;
  maxDepth: number;
}

/** The walk's state over a subtree: the function it belongs to, its nesting level, whether it runs per iteration. */
interface Scope {
  readonly frame: Frame;
  /** Nesting level inside its function. */
  readonly depth: number;
  /** Whether it runs once per iteration of a loop of its own function. */
  readonly inLoop: boolean;
  /** Index (in the flat tree) just past the subtree it covers. */
  readonly end: number;
  /** Set on a function's scope: the frame is complete when the scope closes. */
  readonly closes?: Frame;
}

/** A child that starts a scope of its own: an `else if` (same level as its `if`) or a loop body. */
type Override = Partial<Pick<Scope, 'depth' | 'inLoop'>>;

export interface WalkResult {
  readonly functions: Frame[];
  readonly awaits: ts.AwaitExpression[];
}

const { SyntaxKind } = ts;

const FUNCTION_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  SyntaxKind.FunctionDeclaration, SyntaxKind.MethodDeclaration, SyntaxKind.ArrowFunction,
  SyntaxKind.FunctionExpression, SyntaxKind.Constructor, SyntaxKind.GetAccessor, SyntaxKind.SetAccessor,
]);

const DECISION_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  SyntaxKind.IfStatement, SyntaxKind.ConditionalExpression, SyntaxKind.CaseClause, SyntaxKind.ForStatement,
  SyntaxKind.ForInStatement, SyntaxKind.ForOfStatement, SyntaxKind.WhileStatement, SyntaxKind.DoStatement,
  SyntaxKind.CatchClause,
]);

const LOGICAL_OPERATORS: ReadonlySet<ts.SyntaxKind> = new Set([
  SyntaxKind.AmpersandAmpersandToken, SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken,
  SyntaxKind.AmpersandAmpersandEqualsToken, SyntaxKind.BarBarEqualsToken, SyntaxKind.QuestionQuestionEqualsToken,
]);

/** Statements whose bodies add a nesting level; `catch` and `else` belong to their `try` and `if`. */
const NESTING_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  SyntaxKind.IfStatement, SyntaxKind.ForStatement, SyntaxKind.ForInStatement, SyntaxKind.ForOfStatement,
  SyntaxKind.WhileStatement, SyntaxKind.DoStatement, SyntaxKind.SwitchStatement, SyntaxKind.TryStatement,
]);

/** Every kind the walk acts on; the others (most nodes: identifiers, tokens, expressions) are skipped unread. */
const MEASURED_KINDS = kindTable([
  ...FUNCTION_KINDS, ...DECISION_KINDS, ...NESTING_KINDS, SyntaxKind.BinaryExpression, SyntaxKind.AwaitExpression,
]);

/** The walk's state: the flat tree, the open scopes, and the children that open a scope of their own. */
interface Walk {
  readonly nodes: readonly ts.Node[];
  readonly after: Int32Array;
  readonly scopes: Scope[];
  /** By flat-tree index; `overridden[i]` says there is one, so skipped nodes need no map lookup. */
  readonly overrides: Map<number, Override>;
  readonly overridden: Uint8Array;
  readonly result: WalkResult;
}

/**
 * Reads the file's shared flat tree once (see `flatTree`), measuring each function and collecting awaits that run
 * once per loop iteration. Only nodes of `MEASURED_KINDS` (and scope overrides) are read; scopes close when the
 * walk passes the end of their subtree.
 */
export function walk(sourceFile: ts.SourceFile, signal: AbortSignal): WalkResult {
  const { nodes, after, kinds } = flatTree(sourceFile);
  const state: Walk = {
    nodes, after, overrides: new Map(), overridden: new Uint8Array(nodes.length), result: { functions: [], awaits: [] },
    scopes: [{ frame: { decisions: 0, maxDepth: 0 }, depth: 0, inLoop: false, end: nodes.length }],
  };
  const { scopes, overrides, overridden, result } = state;
  const checkAbort = abortCheck(signal);
  for (let i = 0; i < nodes.length;) {
    checkAbort();
    if (MEASURED_KINDS[kinds[i]] === 0 && overridden[i] === 0) {
      i++;
      continue;
    }
    while (scopes[scopes.length - 1].end <= i) close(scopes.pop()!, result);
    const override = overridden[i] === 1 ? overrides.get(i) : undefined;
    if (override) {
      const outer = scopes[scopes.length - 1];
      scopes.push({ frame: outer.frame, depth: override.depth ?? outer.depth, inLoop: override.inLoop ?? outer.inLoop, end: after[i] });
    }
    i = MEASURED_KINDS[kinds[i]] === 1 ? visit(nodes[i], i, state) : i + 1;
  }
  while (scopes.length > 0) close(scopes.pop()!, result);
  return result;
}

function close(scope: Scope, result: WalkResult): void {
  if (scope.closes) result.functions.push(scope.closes);
}

/** Measures one node in the innermost scope; returns the index of the next node to visit. */
function visit(node: ts.Node, index: number, state: Walk): number {
  const { scopes, result } = state;
  const end = state.after[index];
  const { frame, depth, inLoop } = scopes[scopes.length - 1];
  if (FUNCTION_KINDS.has(node.kind)) {
    const fn = node as FunctionLike;
    // Overload signatures and abstract members have no body: nothing runs, the implementation is measured.
    if (!fn.body) return end;
    const inner: Frame = { fn, decisions: 0, maxDepth: 0 };
    scopes.push({ frame: inner, depth: 0, inLoop: false, end, closes: inner });
    return index + 1;
  }
  if (DECISION_KINDS.has(node.kind) || (ts.isBinaryExpression(node) && LOGICAL_OPERATORS.has(node.operatorToken.kind))) {
    frame.decisions++;
  }
  if (inLoop && ts.isAwaitExpression(node)) result.awaits.push(node);
  if (!NESTING_KINDS.has(node.kind)) return index + 1;
  const level = depth + 1;
  frame.maxDepth = Math.max(frame.maxDepth, level);
  scopes.push({ frame, depth: level, inLoop, end });
  // An `else if` continues its chain at the same level instead of nesting inside the first `if`.
  if (ts.isIfStatement(node) && node.elseStatement && ts.isIfStatement(node.elseStatement)) {
    override(state, index, node.elseStatement, { depth });
  }
  // A `for await` body awaits by design; only the innermost loop decides whether an await is serialized.
  if (ts.isIterationStatement(node, false)) {
    override(state, index, node.statement, { inLoop: !(ts.isForOfStatement(node) && node.awaitModifier) });
  }
  return index + 1;
}

/** Records that `child`, a child of the node at `parent`, opens a scope with `change`. */
function override(state: Walk, parent: number, child: ts.Node, change: Override): void {
  const { nodes, after } = state;
  for (let j = parent + 1; j < after[parent]; j = after[j]) {
    if (nodes[j] !== child) continue;
    state.overrides.set(j, change);
    state.overridden[j] = 1;
    return;
  }
}
