import { ts } from 'ts-morph';
import type { Finding } from '../core/model';
import type { LineIndex } from '../core/text';
import { linesOf, type Agent, type AgentInput } from './agent';
import { identityOf } from './lineup';
import { flatTree, kindTable } from './astWalk';

/** Limits of the `complexity` agent; a measure is reported only when it is strictly greater than its limit. */
export interface ComplexityThresholds {
  /** Max cyclomatic complexity of one function (1 + its decision points). */
  readonly cyclomatic: number;
  /** Max nesting of if/loop/switch/try inside one function. */
  readonly nestingDepth: number;
  /** Max lines of one function, first line to last line. */
  readonly functionLength: number;
  /** Max lines of one file. */
  readonly fileLength: number;
  /** Max parameters of one function (`this` excluded, a destructured parameter counts as one). */
  readonly parameterCount: number;
}

/** The limits used when the configuration gives none. */
export const DEFAULT_COMPLEXITY_THRESHOLDS: ComplexityThresholds = Object.freeze({
  cyclomatic: 10,
  nestingDepth: 4,
  functionLength: 80,
  fileLength: 1000,
  parameterCount: 5,
});

/**
 * Builds the `complexity` agent (seeds' 08, performance analyser) with the given limits: cyclomatic complexity,
 * nesting depth, function length, parameter count and await-in-loop per function, and the file's length.
 * On a file with syntax errors only `complexity/file-length` is reported: the parser's recovery (a missing `}`
 * lets a function swallow the rest of the file) would otherwise produce findings that vanish with the typo.
 */
export function createComplexityAgent(thresholds: ComplexityThresholds = DEFAULT_COMPLEXITY_THRESHOLDS): Agent {
  return {
    ...identityOf('complexity'),
    run(input: AgentInput, signal: AbortSignal): Finding[] {
      signal.throwIfAborted();
      const lines = linesOf(input);
      const findings = fileLengthFindings(input.text, lines, thresholds.fileLength);
      const sourceFile = input.ast();
      if (!sourceFile || input.syntaxErrors().length > 0) return findings;
      const { functions, awaits } = walk(sourceFile, signal);
      for (const frame of functions) findings.push(...functionFindings(frame, sourceFile, lines, thresholds));
      for (const node of awaits) findings.push(awaitInLoopFinding(node, sourceFile, lines));
      return findings;
    },
  };
}

/** The `complexity` agent with the default limits. */
export const complexityAgent: Agent = createComplexityAgent();

type FunctionLike =
  | ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression
  | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

/** What is measured of one function while walking it (the file itself is a frame without `fn`). */
interface Frame {
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

interface WalkResult {
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

/** Nodes passed between two abort checks: cheap enough to keep a cancelled audit from finishing a huge file. */
const ABORT_CHECK_INTERVAL = 4096;

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
function walk(sourceFile: ts.SourceFile, signal: AbortSignal): WalkResult {
  const { nodes, after, kinds } = flatTree(sourceFile);
  const state: Walk = {
    nodes, after, overrides: new Map(), overridden: new Uint8Array(nodes.length), result: { functions: [], awaits: [] },
    scopes: [{ frame: { decisions: 0, maxDepth: 0 }, depth: 0, inLoop: false, end: nodes.length }],
  };
  const { scopes, overrides, overridden, result } = state;
  let budget = ABORT_CHECK_INTERVAL;
  signal.throwIfAborted();
  for (let i = 0; i < nodes.length;) {
    if (--budget === 0) {
      budget = ABORT_CHECK_INTERVAL;
      signal.throwIfAborted();
    }
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

interface Check {
  readonly rule: string;
  readonly value: number;
  readonly max: number;
  /** The message after the function's subject, before "(max N)". */
  readonly says: string;
}

function functionFindings(
  frame: Frame, sourceFile: ts.SourceFile, lines: LineIndex, thresholds: ComplexityThresholds,
): Finding[] {
  const fn = frame.fn;
  if (!fn) return [];
  const length = lines.positionAt(fn.end).line - lines.positionAt(fn.getStart(sourceFile)).line + 1;
  const parameters = fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this')).length;
  const cyclomatic = frame.decisions + 1;
  const checks: Check[] = [
    { rule: 'complexity/cyclomatic', value: cyclomatic, max: thresholds.cyclomatic, says: `has a cyclomatic complexity of ${cyclomatic}` },
    { rule: 'complexity/nesting-depth', value: frame.maxDepth, max: thresholds.nestingDepth, says: `has a nesting depth of ${frame.maxDepth}` },
    { rule: 'complexity/function-length', value: length, max: thresholds.functionLength, says: `is ${length} lines long` },
    { rule: 'complexity/parameter-count', value: parameters, max: thresholds.parameterCount, says: `has ${parameters} parameters` },
  ];
  const exceeded = checks.filter((check) => check.value > check.max);
  if (exceeded.length === 0) return [];
  // Naming the function costs a little (tokens of its header), so only functions with findings pay it.
  const { subject, start, end } = describeFunction(fn, sourceFile);
  const range = lines.rangeOf(start, end);
  return exceeded.map((check) => ({
    agent: 'complexity',
    rule: check.rule,
    severity: 'warning',
    message: `${subject} ${check.says} (max ${check.max})`,
    range,
  }));
}

interface FunctionLabel {
  readonly subject: string;
  readonly start: number;
  readonly end: number;
}

/** The words and the range that name `fn`: its name, else its header's first token, never its body. */
function describeFunction(fn: FunctionLike, sourceFile: ts.SourceFile): FunctionLabel {
  const name = nameNodeOf(fn);
  if (name) {
    return { subject: `${kindWord(fn)} '${nameText(name, sourceFile)}'`, start: name.getStart(sourceFile), end: name.end };
  }
  const anchor = anchorToken(fn, sourceFile);
  const subject = ts.isConstructorDeclaration(fn) ? 'Constructor' : 'Anonymous function';
  return { subject, start: anchor.getStart(sourceFile), end: anchor.end };
}

/** Its own name, or for an anonymous function the variable, property or assignment target that holds it. */
function nameNodeOf(fn: FunctionLike): ts.Node | undefined {
  if (!ts.isArrowFunction(fn) && fn.name) return fn.name;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    if (parent.initializer === fn && !ts.isObjectBindingPattern(parent.name) && !ts.isArrayBindingPattern(parent.name)) {
      return parent.name;
    }
  }
  if (ts.isBinaryExpression(parent) && parent.right === fn && parent.operatorToken.kind === SyntaxKind.EqualsToken) {
    if (ts.isIdentifier(parent.left)) return parent.left;
    if (ts.isPropertyAccessExpression(parent.left)) return parent.left.name;
  }
  return undefined;
}

function kindWord(fn: FunctionLike): string {
  if (ts.isMethodDeclaration(fn)) return 'Method';
  if (ts.isGetAccessorDeclaration(fn)) return 'Getter';
  if (ts.isSetAccessorDeclaration(fn)) return 'Setter';
  return 'Function';
}

function nameText(name: ts.Node, sourceFile: ts.SourceFile): string {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) {
    return name.text;
  }
  // A computed name such as `[Symbol.iterator]` is short: its source is the clearest label.
  return name.getText(sourceFile);
}

const ANCHOR_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  SyntaxKind.FunctionKeyword, SyntaxKind.ConstructorKeyword, SyntaxKind.OpenParenToken,
]);

/** `function`, `constructor` or `(`; an arrow without parentheses (`x => …`) starts with its only parameter. */
function anchorToken(fn: FunctionLike, sourceFile: ts.SourceFile): ts.Node {
  return fn.getChildren(sourceFile).find((child) => ANCHOR_KINDS.has(child.kind)) ?? fn.parameters[0] ?? fn;
}

function awaitInLoopFinding(node: ts.AwaitExpression, sourceFile: ts.SourceFile, lines: LineIndex): Finding {
  const start = node.getStart(sourceFile);
  return {
    agent: 'complexity',
    rule: 'complexity/await-in-loop',
    severity: 'warning',
    message: "'await' inside a loop waits for each iteration in turn; when the iterations are independent, "
      + 'start them all and await them together (e.g. Promise.all)',
    range: lines.rangeOf(start, start + 'await'.length),
  };
}

function fileLengthFindings(text: string, lines: LineIndex, max: number): Finding[] {
  // A final line break ends the last line rather than starting an empty one, as editors and `wc -l` count.
  const length = lines.lineCount - (/[\r\n]$/.test(text) ? 1 : 0);
  if (length <= max) return [];
  const firstBreak = text.search(/[\r\n]/);
  return [{
    agent: 'complexity',
    rule: 'complexity/file-length',
    severity: 'info',
    message: `File is ${length} lines long (max ${max})`,
    range: lines.rangeOf(0, firstBreak === -1 ? text.length : firstBreak),
  }];
}
