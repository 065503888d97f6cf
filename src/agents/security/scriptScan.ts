import { ts } from 'ts-morph';
import type { Severity } from '../../core/model';
import { flatTree, kindTable, type FlatTree } from '../shared/astWalk';
import { visitImport, visitImportEquals, visitRequire, type Bindings } from './bindings';
import { CHILD_PROCESS_FUNCTIONS, childProcessHit } from './childProcessCalls';
import { calleeName, isRequireOfChildProcess, skipParens } from './securityExpressions';
import {
  callSinkHit, codeSeverity, SINK_CALL_NAMES, tlsAssignment, tlsProperty, unsafeHtmlAssignment, unsafeHtmlProperty,
} from './securitySinks';
import { valueOf } from './valueTracker';
import { assignedSecretMessage, isSecretName, looksLikeSecret, MIN_SECRET_LENGTH, type SecretMatch } from './secrets';

/**
 * The security agent's one walk over a script: it reads the shared flat tree's kinds (typed arrays) and touches a
 * node only when its kind and its children's kinds say a rule may apply. Most nodes of a file concern no rule, and
 * on a cold audit it is touching them, right after the parse, that costs: the call `x.map(…)` is decided by its
 * callee's name alone, `a === b` by its operator's kind, a parameter by whether it ends with a string literal.
 */

/** Read once: `ts` from ts-morph is a namespace of getters, too slow to go through on every node. */
const { SyntaxKind } = ts;

/** A rule's finding before positions are resolved, as offsets into the text. */
export interface Hit extends SecretMatch {
  readonly rule: string;
  /** `error` unless the rule says otherwise (see securitySinks' severities). */
  readonly severity?: Severity;
}

/** What one walk over a script's tree collects; calls are resolved once all bindings are known. */
export interface ScriptScan extends Bindings {
  readonly sourceFile: ts.SourceFile;
  readonly tree: FlatTree;
  readonly secrets: SecretMatch[];
  readonly evalCalls: Hit[];
  readonly hits: Hit[];
  /** Calls through an identifier or `x.spawn`, kept until the walk has seen every binding. */
  readonly shellCalls: ShellCall[];
  /** Whether the text names child_process at all: most files do not, and their calls need no bookkeeping. */
  readonly childProcess: boolean;
  /** Variables declared from a template or a `+` (a query, a command): only these are traced from a sink. */
  readonly builtNames: Set<string>;
}

/** A call that may be child_process's, resolved after the walk. */
export interface ShellCall {
  /** The called identifier, or the object of `object.member(...)`. */
  readonly callee: string;
  readonly member?: string;
  readonly call: ts.CallExpression;
}

const TIMERS = new Set(['setTimeout', 'setInterval']);
/** Every name a call may be looked at for (with the file's fs names, and any name in a child_process file). */
const CALL_NAMES: ReadonlySet<string> = new Set(['eval', 'Function', ...TIMERS, ...SINK_CALL_NAMES]);
/** The properties an assignment sink watches (`el.innerHTML = …`, `options.rejectUnauthorized = false`). */
const SINK_ASSIGNMENT_NAMES = new Set(['innerHTML', 'outerHTML', 'rejectUnauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED']);
/** The property names some sink watches (`rejectUnauthorized: false`, `{ __html: … }`). */
const SINK_PROPERTY_NAMES = new Set(['rejectUnauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED', '__html']);

/** Walks the script once. `childProcess`: whether its text names child_process. */
export function scanScript(sourceFile: ts.SourceFile, childProcess: boolean): ScriptScan {
  const tree = flatTree(sourceFile);
  const scan: ScriptScan = {
    sourceFile, tree, secrets: [], evalCalls: [], hits: [], modules: new Set(), functions: new Map(), shellCalls: [],
    childProcess, fsNames: new Set(), builtNames: new Set(),
  };
  const { kinds } = tree;
  for (let i = 0; i < kinds.length; i++) if (VISITED_KINDS[kinds[i]]) visitAt(scan, i);
  return scan;
}

/** The kinds `visitAt` dispatches on: most nodes (identifiers, tokens, statements) concern no rule. */
const VISITED_KINDS = kindTable([
  SyntaxKind.CallExpression, SyntaxKind.NewExpression, SyntaxKind.ImportDeclaration, SyntaxKind.ImportEqualsDeclaration,
  SyntaxKind.VariableDeclaration, SyntaxKind.PropertyAssignment, SyntaxKind.PropertyDeclaration, SyntaxKind.Parameter,
  SyntaxKind.JsxAttribute, SyntaxKind.BinaryExpression,
]);

/**
 * Dispatches on the kind of the node at `i` (see `VISITED_KINDS`). The flat tree lists a node's children right
 * after it in source order: `i + 1` is its first child (a call's callee, a declaration's name, a binary's left
 * side), `after[i] - 1` the last node of its subtree (an initializer that is a literal, a property access's name).
 */
function visitAt(scan: ScriptScan, i: number): void {
  const { nodes, kinds } = scan.tree;
  switch (kinds[i]) {
    case SyntaxKind.CallExpression: return visitCallAt(scan, i);
    case SyntaxKind.NewExpression: // `new Function(…)`: a plain callee of another name is none.
      if (kinds[i + 1] !== SyntaxKind.Identifier || (nodes[i + 1] as ts.Identifier).text === 'Function') {
        visitNew(scan, nodes[i] as ts.NewExpression);
      }
      return;
    case SyntaxKind.ImportDeclaration: return visitImport(scan, nodes[i] as ts.ImportDeclaration);
    // A child_process binding matters only in a file that names child_process.
    case SyntaxKind.ImportEqualsDeclaration:
      if (scan.childProcess) visitImportEquals(scan, nodes[i] as ts.ImportEqualsDeclaration);
      return;
    case SyntaxKind.VariableDeclaration: return visitVariableAt(scan, i);
    case SyntaxKind.BinaryExpression: return visitBinaryAt(scan, i);
    case SyntaxKind.PropertyAssignment:
      visitProperty(scan, nodes[i] as ts.PropertyAssignment);
      if (endsWithString(scan.tree, i)) visitSecret(scan, nodes[i]);
      return;
    default: // PropertyDeclaration, Parameter, JsxAttribute: only a secret value given to a name.
      if (endsWithString(scan.tree, i)) visitSecret(scan, nodes[i]);
  }
}

/**
 * Whether the subtree at `i` ends with a string literal long enough to be a secret: an initializer (or right side)
 * that is a string literal is the last child, a leaf, so a node whose subtree does not end with a long one has no
 * value the secret rule would look at.
 */
function endsWithString({ nodes, kinds, after }: FlatTree, i: number): boolean {
  const last = after[i] - 1;
  const kind = kinds[last];
  return (kind === SyntaxKind.StringLiteral || kind === SyntaxKind.NoSubstitutionTemplateLiteral)
    && (nodes[last] as ts.StringLiteralLike).text.length >= MIN_SECRET_LENGTH;
}

/** The index of the last child of the node at `i`, which has children. */
function lastChild({ after }: FlatTree, i: number): number {
  let child = i + 1;
  while (after[child] < after[i]) child = after[child];
  return child;
}

/**
 * A call is only looked at when its callee's name is one a rule watches (or the file's fs names, or any name in a
 * child_process file), read from the flat tree: `x.f(…)` lists `x.f` first and ends its subtree with `f`.
 */
function visitCallAt(scan: ScriptScan, i: number): void {
  const { nodes, kinds, after } = scan.tree;
  const callee = kinds[i + 1];
  const name = callee === SyntaxKind.Identifier ? (nodes[i + 1] as ts.Identifier).text
    : callee === SyntaxKind.PropertyAccessExpression ? (nodes[after[i + 1] - 1] as ts.MemberName).text : undefined;
  if (name === undefined || scan.childProcess || CALL_NAMES.has(name) || scan.fsNames.has(name)) {
    visitCall(scan, nodes[i] as ts.CallExpression);
  }
}

/** `const x = …`: a built name, a child_process binding, a secret. Decided by kinds before the node is touched. */
function visitVariableAt(scan: ScriptScan, i: number): void {
  const { nodes, kinds } = scan.tree;
  // `const sql = \`SELECT … ${id}\``: a name a sink may later be given. The name is the first child, the
  // initializer the last (a type or the name when there is none, never a template or a binary expression).
  if (kinds[i + 1] === SyntaxKind.Identifier) {
    const initializer = kinds[lastChild(scan.tree, i)];
    if (initializer === SyntaxKind.TemplateExpression || initializer === SyntaxKind.BinaryExpression) {
      scan.builtNames.add((nodes[i + 1] as ts.Identifier).text);
    }
  }
  if (scan.childProcess) visitRequire(scan, nodes[i] as ts.VariableDeclaration);
  if (endsWithString(scan.tree, i)) visitSecret(scan, nodes[i]);
}

/**
 * `el.innerHTML = …`, `options.rejectUnauthorized = false`, `x.password = '…'`: decided by the operator's kind,
 * then by the assigned property's name (the last node of `a.name` and of `a['name']`).
 */
function visitBinaryAt(scan: ScriptScan, i: number): void {
  const { nodes, kinds, after } = scan.tree;
  // The left side's subtree is followed by the operator token.
  const operator = kinds[after[i + 1]];
  if (operator !== SyntaxKind.EqualsToken && operator !== SyntaxKind.PlusEqualsToken) return;
  const left = kinds[i + 1];
  if ((left === SyntaxKind.PropertyAccessExpression || left === SyntaxKind.ElementAccessExpression)
    && isSinkPropertyName(scan.tree, after[i + 1] - 1)) {
    const node = nodes[i] as ts.BinaryExpression;
    const hit = unsafeHtmlAssignment(node, scan.sourceFile) ?? tlsAssignment(node, scan.sourceFile);
    if (hit) scan.hits.push(hit);
  }
  if (operator === SyntaxKind.EqualsToken && endsWithString(scan.tree, i)) visitSecret(scan, nodes[i]);
}

/** Whether the node at `i` is an identifier or a string literal naming a property an assignment sink watches. */
function isSinkPropertyName({ nodes, kinds }: FlatTree, i: number): boolean {
  const kind = kinds[i];
  return (kind === SyntaxKind.Identifier || kind === SyntaxKind.StringLiteral || kind === SyntaxKind.NoSubstitutionTemplateLiteral)
    && SINK_ASSIGNMENT_NAMES.has((nodes[i] as ts.Identifier | ts.StringLiteralLike).text);
}

/** A secret-looking literal given to a secret name (after `endsWithString`, so the value is long enough). */
function visitSecret(scan: ScriptScan, node: ts.Node): void {
  const assignment = secretAssignment(node);
  if (assignment && isSecretName(assignment.name) && looksLikeSecret(assignment.value.text)) {
    const start = assignment.value.getStart(scan.sourceFile) + 1;
    scan.secrets.push({ start, end: start + assignment.value.text.length, message: assignedSecretMessage(assignment.name) });
  }
}

/** The secret name and string literal of `name = "…"`, `{ name: "…" }`, `obj.name = "…"`, `<X name="…" />`. */
function secretAssignment(node: ts.Node): { name: string; value: ts.StringLiteralLike } | undefined {
  const binary = node.kind === SyntaxKind.BinaryExpression ? node as ts.BinaryExpression : undefined;
  if (binary && binary.operatorToken.kind !== SyntaxKind.EqualsToken) return undefined;
  const value = binary ? binary.right : (node as { initializer?: ts.Node }).initializer;
  if (!value || (value.kind !== SyntaxKind.StringLiteral && value.kind !== SyntaxKind.NoSubstitutionTemplateLiteral)) {
    return undefined;
  }
  let name = (node as { name?: ts.Node }).name;
  if (binary) {
    const left = binary.left;
    name = ts.isPropertyAccessExpression(left) ? left.name : ts.isElementAccessExpression(left) ? left.argumentExpression : left;
  }
  if (name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name))) {
    return { name: name.text, value: value as ts.StringLiteralLike };
  }
  return undefined;
}

/** The sinks written as an object's property (`rejectUnauthorized: false`, `__html: …`). */
function visitProperty(scan: ScriptScan, node: ts.PropertyAssignment): void {
  const name = node.name;
  if (name.kind !== SyntaxKind.Identifier && name.kind !== SyntaxKind.StringLiteral) return;
  if (!SINK_PROPERTY_NAMES.has((name as ts.Identifier).text)) return;
  const hit = tlsProperty(node, scan.sourceFile) ?? unsafeHtmlProperty(node, scan.sourceFile);
  if (hit) scan.hits.push(hit);
}

function visitCall(scan: ScriptScan, call: ts.CallExpression): void {
  const callee = skipParens(call.expression);
  const { name, global } = calleeName(callee);
  const first = call.arguments[0] as ts.Expression | undefined;
  if (name === 'eval' && global) {
    scan.evalCalls.push({ rule: 'security/eval', ...span(scan, callee), severity: codeSeverity(call.arguments),
      message: 'eval() runs a string as code: parse data with JSON.parse, or call the function directly' });
  } else if (name === 'Function' && ts.isIdentifier(callee)) {
    scan.hits.push({ rule: 'security/eval', ...span(scan, callee), severity: codeSeverity(call.arguments), message: 'Function() compiles a string into code, as eval() does' });
  } else if (TIMERS.has(name) && global && first && valueOf(first).stringy) {
    scan.hits.push({ rule: 'security/eval', ...span(scan, first), severity: codeSeverity([first]),
      message: `${name}() with a string runs it as code, as eval() does: pass a function` });
  } else {
    if (scan.childProcess) visitChildProcessCall(scan, callee, call);
    const hit = callSinkHit(call, name, scan);
    if (hit) scan.hits.push(hit);
  }
}

function span(scan: ScriptScan, node: ts.Node): { start: number; end: number } {
  return { start: node.getStart(scan.sourceFile), end: node.end };
}

/** Defers a possible child_process call until every child_process binding of the file is known. */
function visitChildProcessCall(scan: ScriptScan, callee: ts.Expression, call: ts.CallExpression): void {
  if (ts.isIdentifier(callee)) {
    // Any name may be a renamed import (`import { exec as run }`): checked once the walk is over.
    if (call.arguments.length > 0) scan.shellCalls.push({ callee: callee.text, call });
  } else if (ts.isPropertyAccessExpression(callee) && CHILD_PROCESS_FUNCTIONS.has(callee.name.text)) {
    const object = skipParens(callee.expression);
    const member = callee.name.text;
    if (isRequireOfChildProcess(object)) {
      const hit = childProcessHit(member, call, scan.sourceFile);
      if (hit) scan.hits.push(hit);
    } else if (ts.isIdentifier(object)) scan.shellCalls.push({ callee: object.text, member, call });
  }
}

function visitNew(scan: ScriptScan, node: ts.NewExpression): void {
  const callee = skipParens(node.expression);
  if (ts.isIdentifier(callee) && callee.text === 'Function') {
    scan.hits.push({ rule: 'security/eval', start: node.getStart(scan.sourceFile), end: callee.end, severity: codeSeverity(node.arguments),
      message: 'new Function() compiles a string into code, as eval() does' });
  }
}
