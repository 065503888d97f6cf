import { ts } from 'ts-morph';

/**
 * A small value tracker for the security rules: follows an expression back through the constants and
 * single-assignment `let`s of the enclosing scopes, template literals, concatenations, `.join`, array literals and
 * parameters, and says whether the value is a compile-time constant and whether it comes from outside the program.
 * It only runs at a sink (a call a rule watches), walks parents and the statements of enclosing blocks, never the
 * whole file, and stops after a few hops: its cost is per sink, not per node.
 */

/** Read once: `ts` from ts-morph is a namespace of getters. */
const { SyntaxKind } = ts;

/**
 * Where a value comes from, in increasing order of concern: a compile-time constant (or a value passed through a
 * sanitiser or escaper), a value computed by the program, one given by whoever runs or calls it (`process.argv`,
 * `process.env`, an exported function's parameters), one from the network or the page (a request, a message
 * event, `location`, `document.URL`).
 */
export type Trust = 'constant' | 'dynamic' | 'local' | 'remote';

/** What the tracker knows of a value. */
export interface ValueFacts {
  readonly trust: Trust;
  /** Whether the value is certainly a string (a literal, a template, a concatenation with one, a join). */
  readonly stringy: boolean;
  /** How a non-constant string is built ("a template literal", "a concatenation", "an array join"), if it is. */
  readonly built?: string;
  /**
   * The string's constant skeleton, its computed parts as U+FFFD (`SELECT * FROM t WHERE id = �`), when it is
   * built of strings; the SQL rule reads it.
   */
  readonly text?: string;
}

const RANK: Readonly<Record<Trust, number>> = { constant: 0, dynamic: 1, local: 2, remote: 3 };
/** Stands for a computed part in `text`. */
const HOLE = '\uFFFD';
const CONSTANT: ValueFacts = { trust: 'constant', stringy: false };
const DYNAMIC: ValueFacts = { trust: 'dynamic', stringy: false };
/** Hops through variables before giving up (a cycle `a = b`, `b = a` across scopes ends here too). */
const MAX_DEPTH = 6;

/** Whether `trust` is at least `floor`. */
export function atLeast(trust: Trust, floor: Trust): boolean {
  return RANK[trust] >= RANK[floor];
}

/** The more concerning of two trusts. */
export function worst(a: Trust, b: Trust): Trust {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The facts of several parts joined into one value (the head is the first part's). */
function combine(parts: readonly ValueFacts[], built: string | undefined, stringy: boolean): ValueFacts {
  let trust: Trust = 'constant';
  for (const part of parts) trust = worst(trust, part.trust);
  const text = stringy ? parts.map((p) => p.text ?? HOLE).join('') : undefined;
  // The outer operator is what the reader sees at the sink; a conditional or `??` says nothing, its parts do.
  const how = built ?? parts.find((p) => p.built)?.built;
  return { trust, stringy, text, built: trust === 'constant' ? undefined : how };
}

/** The facts of `expression`, read in the function around it. */
export function valueOf(expression: ts.Expression, depth = 0): ValueFacts {
  const node = unwrap(expression);
  switch (node.kind) {
    case SyntaxKind.StringLiteral: case SyntaxKind.NoSubstitutionTemplateLiteral:
      return { trust: 'constant', stringy: true, text: (node as ts.StringLiteralLike).text };
    case SyntaxKind.NumericLiteral: case SyntaxKind.BigIntLiteral: case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword: case SyntaxKind.NullKeyword:
      return CONSTANT;
    case SyntaxKind.TemplateExpression: return templateOf(node as ts.TemplateExpression, depth);
    case SyntaxKind.BinaryExpression: return binaryOf(node as ts.BinaryExpression, depth);
    case SyntaxKind.ConditionalExpression: {
      const conditional = node as ts.ConditionalExpression;
      const parts = [valueOf(conditional.whenTrue, depth), valueOf(conditional.whenFalse, depth)];
      return combine(parts, undefined, parts.every((p) => p.stringy));
    }
    case SyntaxKind.ArrayLiteralExpression:
      return combine((node as ts.ArrayLiteralExpression).elements.map((e) => valueOf(e, depth)), undefined, false);
    case SyntaxKind.SpreadElement: return valueOf((node as ts.SpreadElement).expression, depth);
    case SyntaxKind.CallExpression: return callOf(node as ts.CallExpression, depth);
    case SyntaxKind.Identifier: return identifierOf(node as ts.Identifier, depth);
    case SyntaxKind.PropertyAccessExpression: case SyntaxKind.ElementAccessExpression:
      return { trust: sourceOf(node, depth), stringy: false };
    default: return DYNAMIC;
  }
}

function unwrap(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (node.kind === SyntaxKind.ParenthesizedExpression || node.kind === SyntaxKind.AsExpression
    || node.kind === SyntaxKind.NonNullExpression || node.kind === SyntaxKind.TypeAssertionExpression
    || node.kind === SyntaxKind.SatisfiesExpression) {
    node = (node as ts.ParenthesizedExpression).expression;
  }
  return node;
}

function templateOf(node: ts.TemplateExpression, depth: number): ValueFacts {
  const parts: ValueFacts[] = [{ trust: 'constant', stringy: true, text: node.head.text }];
  for (const span of node.templateSpans) {
    parts.push(valueOf(span.expression, depth), { trust: 'constant', stringy: true, text: span.literal.text });
  }
  return combine(parts, 'a template literal', true);
}

function binaryOf(node: ts.BinaryExpression, depth: number): ValueFacts {
  const operator = node.operatorToken.kind;
  if (operator === SyntaxKind.CommaToken) return valueOf(node.right, depth);
  const parts = [valueOf(node.left, depth), valueOf(node.right, depth)];
  if (operator === SyntaxKind.PlusToken) return combine(parts, 'a concatenation', parts.some((p) => p.stringy));
  if (operator === SyntaxKind.BarBarToken || operator === SyntaxKind.QuestionQuestionToken) {
    return combine(parts, undefined, parts.every((p) => p.stringy));
  }
  return combine(parts, undefined, false);
}

/** Calls whose result carries their receiver's and arguments' text: the value passes through them. */
const PASS_THROUGH = new Set(['join', 'concat', 'resolve', 'normalize', 'trim', 'toString', 'toLowerCase',
  'toUpperCase', 'slice', 'substring', 'replace', 'decodeURIComponent', 'decodeURI', 'String', 'format']);
/** Modules whose `join`/`resolve` are path functions: their receiver is no part of the value. */
const PATH_OBJECTS = new Set(['path', 'posix', 'win32', 'paths', 'util']);
/** A sanitiser or escaper: what comes out is safe to embed whatever went in. */
const NEUTRALISES = /sanitiz|sanitis|escape|purify|quote|encode(?!d)/i;

function callOf(call: ts.CallExpression, depth: number): ValueFacts {
  const callee = unwrap(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (NEUTRALISES.test(name)) return { trust: 'constant', stringy: true };
  if (!PASS_THROUGH.has(name)) return DYNAMIC;
  const parts = call.arguments.map((a) => valueOf(a, depth));
  if (ts.isPropertyAccessExpression(callee)) {
    const object = unwrap(callee.expression);
    if (!(ts.isIdentifier(object) && PATH_OBJECTS.has(object.text))) parts.unshift(valueOf(object, depth));
  }
  const isJoin = name === 'join' && ts.isPropertyAccessExpression(callee) && !isPathObject(callee.expression);
  return combine(parts, isJoin ? 'an array join' : undefined, isJoin || name === 'String' || name === 'toString');
}

function isPathObject(expression: ts.Expression): boolean {
  const object = unwrap(expression);
  return ts.isIdentifier(object) && PATH_OBJECTS.has(object.text);
}

function identifierOf(node: ts.Identifier, depth: number): ValueFacts {
  if (node.text === 'undefined') return CONSTANT;
  if (depth >= MAX_DEPTH) return DYNAMIC;
  const binding = findBinding(node);
  if (!binding) return DYNAMIC;
  if (binding.kind === SyntaxKind.Parameter) return { trust: parameterTrust(binding as ts.ParameterDeclaration), stringy: false };
  const declaration = binding as ts.VariableDeclaration;
  if (!declaration.initializer || !isSingleAssignment(declaration)) return DYNAMIC;
  return valueOf(declaration.initializer, depth + 1);
}

/** The declaration `node` names: a parameter or a variable of an enclosing function or block, nearest first. */
function findBinding(node: ts.Identifier): ts.ParameterDeclaration | ts.VariableDeclaration | undefined {
  const name = node.text;
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      const parameter = scope.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
      if (parameter) return parameter;
    }
    const statements = (scope as { statements?: ts.NodeArray<ts.Statement> }).statements;
    if (!statements) continue;
    for (const statement of statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const found = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
      if (found) return found;
    }
  }
  return undefined;
}

/** A `const`, or a `let`/`var` assigned nowhere after its declaration (in the block that declares it). */
function isSingleAssignment(declaration: ts.VariableDeclaration): boolean {
  if (declaration.parent.flags & ts.NodeFlags.Const) return true;
  const name = (declaration.name as ts.Identifier).text;
  const scope = declaration.parent.parent.parent;
  let assigned = false;
  const visit = (child: ts.Node): void => {
    if (assigned) return;
    if (ts.isBinaryExpression(child) && isAssignment(child.operatorToken.kind)
      && ts.isIdentifier(child.left) && child.left.text === name) assigned = true;
    else if ((ts.isPrefixUnaryExpression(child) || ts.isPostfixUnaryExpression(child))
      && ts.isIdentifier(child.operand) && child.operand.text === name) assigned = true;
    else ts.forEachChild(child, visit);
  };
  ts.forEachChild(scope, visit);
  return !assigned;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment;
}

/**
 * A parameter's trust: `remote` in a `message` listener (its event's data come from another window or process),
 * `local` in an exported function or a public method of an exported class (any caller decides it), else `dynamic`.
 */
function parameterTrust(parameter: ts.ParameterDeclaration): Trust {
  const fn = parameter.parent;
  if (isMessageListener(fn)) return 'remote';
  if (ts.isFunctionDeclaration(fn) && isExported(fn)) return 'local';
  if (ts.isMethodDeclaration(fn) && ts.isClassDeclaration(fn.parent) && isExported(fn.parent)
    && !fn.modifiers?.some((m) => m.kind === SyntaxKind.PrivateKeyword || m.kind === SyntaxKind.ProtectedKeyword)) {
    return 'local';
  }
  return 'dynamic';
}

function isExported(node: ts.FunctionDeclaration | ts.ClassDeclaration): boolean {
  return node.modifiers?.some((m) => m.kind === SyntaxKind.ExportKeyword) ?? false;
}

/** `x.addEventListener('message', fn)`, `x.on('message', fn)`, `x.onmessage = fn`. */
function isMessageListener(fn: ts.Node): boolean {
  const parent = fn.parent;
  if (!parent) return false;
  if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression)) {
    const method = parent.expression.name.text;
    const event = parent.arguments[0];
    return (method === 'addEventListener' || method === 'on' || method === 'once')
      && event !== undefined && ts.isStringLiteralLike(event) && event.text === 'message' && parent.arguments[1] === fn;
  }
  return ts.isBinaryExpression(parent) && parent.right === fn && ts.isPropertyAccessExpression(parent.left)
    && parent.left.name.text === 'onmessage';
}

/** Request objects' members that hold what the client sent. */
const REQUEST_MEMBERS = new Set(['query', 'params', 'body', 'headers', 'cookies', 'url', 'originalUrl', 'path', 'files']);
const DOCUMENT_MEMBERS = new Set(['URL', 'documentURI', 'referrer', 'cookie', 'baseURI', 'location']);
const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self']);

/** Members that hold numbers in Node's and the DOM's objects (`child.pid`, `list.length`): no syntax fits in them. */
const NUMERIC_MEMBERS = new Set(['pid', 'ppid', 'length', 'size', 'port', 'exitCode', 'byteLength']);

/** The trust of `a.b[c]…`: a known source by its names, else its root parameter's trust, else dynamic. */
function sourceOf(node: ts.Node, depth: number): Trust {
  if (ts.isPropertyAccessExpression(node) && NUMERIC_MEMBERS.has(node.name.text)) return 'constant';
  const names: string[] = [];
  const root = accessRoot(node, names);
  if (!ts.isIdentifier(root)) return 'dynamic';
  // `window.location` is `location`.
  const first = GLOBAL_OBJECTS.has(root.text) && names.length > 0 ? names.shift()! : root.text;
  const known = SOURCES_BY_NAME.get(first)?.(names);
  if (known) return known;
  if (depth >= MAX_DEPTH) return 'dynamic';
  const binding = findBinding(root);
  return binding?.kind === SyntaxKind.Parameter ? parameterTrust(binding as ts.ParameterDeclaration) : 'dynamic';
}

/** The root `a` of `a.b[c]…`, its members' names put in `names` in order (`[]` for a computed one). */
function accessRoot(node: ts.Node, names: string[]): ts.Node {
  let root = node;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) {
    const member = ts.isPropertyAccessExpression(root) ? root.name.text
      : ts.isStringLiteralLike(root.argumentExpression) ? root.argumentExpression.text : '[]';
    names.unshift(member);
    root = unwrap(root.expression);
  }
  return root;
}

/** A request object's member that holds what the client sent (`req.query`). */
const requestSource = (members: readonly string[]): Trust | undefined => (REQUEST_MEMBERS.has(members[0]) ? 'remote' : undefined);

/**
 * The sources known by name: the object an access starts from (`window.` dropped), asked about the members after
 * it; `undefined` when they name no source.
 */
const SOURCES_BY_NAME: ReadonlyMap<string, (members: readonly string[]) => Trust | undefined> = new Map([
  ['process', (members) => (members[0] === 'argv' || members[0] === 'env' ? 'local' : undefined)],
  ['location', () => 'remote'],
  ['document', (members) => (DOCUMENT_MEMBERS.has(members[0]) ? 'remote' : undefined)],
  ['req', requestSource],
  ['request', requestSource],
  // Koa's context.
  ['ctx', (members) => (members[0] === 'query' || members[0] === 'params' || (members[0] === 'request' && members[1] === 'body')
    ? 'remote' : undefined)],
]);
