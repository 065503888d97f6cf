import { ts } from 'ts-morph';
import type { Severity } from '../../core/model';
import { atLeast, valueOf, type Trust, type ValueFacts } from './valueTracker';

/**
 * The security rules that watch where a value ends up (a query, a file path, the page's HTML, a TLS option, a
 * random number used as a secret). Each is a pure function of one node of the tree; the value tracker decides
 * whether what reaches the sink is constant, computed, or from outside. Precision before recall: a finding needs a
 * value the rule can see is built or untrusted, never just "not a literal".
 */

/** Read once: `ts` from ts-morph is a namespace of getters. */
const { SyntaxKind } = ts;

/** A finding of one of these rules, as offsets into the text. */
export interface SinkHit {
  readonly rule: 'security/sql-injection' | 'security/path-traversal' | 'security/unsafe-html'
    | 'security/tls-disabled' | 'security/weak-random';
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly severity: Severity;
}

/** Error when the value comes from outside (anyone may put syntax in it), warning when only computed. */
export function severityOf(trust: Trust): Severity {
  return atLeast(trust, 'local') ? 'error' : 'warning';
}

/**
 * The severity of code compiled from strings: a warning when every argument is a constant (the code is the
 * author's, only the page's CSP and readers pay for it), an error when any is computed or from outside.
 */
export function codeSeverity(args: readonly ts.Expression[] | undefined): Severity {
  return (args ?? []).every((a) => valueOf(a).trust === 'constant') ? 'warning' : 'error';
}

/** What an untrusted value is called in messages. */
export function originOf(facts: ValueFacts): string {
  if (facts.trust === 'remote') return 'request or page data';
  if (facts.trust === 'local') return "a caller's or the environment's value";
  return 'values';
}

function spanOf(node: ts.Node, sourceFile: ts.SourceFile): { start: number; end: number } {
  return { start: node.getStart(sourceFile), end: node.end };
}

/** Methods of SQL clients (pg, mysql, sqlite, knex, sequelize, prisma) that run their first argument. */
const SQL_METHODS = new Set(['query', 'execute', 'raw', 'exec', 'prepare', 'run', 'all', 'get', 'each', 'unsafe',
  'queryRaw', '$queryRawUnsafe', '$executeRawUnsafe', 'executeSql', 'whereRaw', 'sql']);
/**
 * The text must read as a statement, keyword and clause (`UPDATE … SET`): `get`, `run`, `exec` are far more often
 * something else, and "update the list" is English. Anchored, each `[^;]*` is tried once: linear.
 */
const SQL_TEXT = /^\s*\(?\s*(?:select\b[^;]*\bfrom|insert\s+into|update\b[^;]*\bset|delete\s+from|(?:create|drop|alter)\s+(?:table|index|view|database|schema)|truncate\s+table|with\b[^;]*\bas\s*\(|merge\s+into|replace\s+into)\b/i;

/** `db.query(\`SELECT … ${id}\`)`: a query built from values instead of placeholders. */
function sqlInjection(call: ts.CallExpression, sourceFile: ts.SourceFile, builtNames: ReadonlySet<string>): SinkHit | undefined {
  const callee = call.expression;
  const first = call.arguments[0];
  if (!first || callee.kind !== SyntaxKind.PropertyAccessExpression) return undefined;
  // Only a string built here can be traced to SQL text: a call's result or a property is opaque anyway, and a
  // variable is only worth resolving when the file declares one of that name from a template or a `+`.
  const kind = first.kind;
  const named = kind === SyntaxKind.Identifier && builtNames.has((first as ts.Identifier).text);
  if (kind !== SyntaxKind.TemplateExpression && kind !== SyntaxKind.BinaryExpression && !named) return undefined;
  const facts = valueOf(first);
  if (facts.trust === 'constant' || !facts.built || !SQL_TEXT.test(facts.text ?? '')) return undefined;
  const method = (callee as ts.PropertyAccessExpression).name.text;
  return {
    rule: 'security/sql-injection', ...spanOf(first, sourceFile), severity: severityOf(facts.trust),
    message: `SQL query built from ${facts.built} of ${originOf(facts)} passed to ${method}(): pass the values as query parameters`,
  };
}

/** fs functions whose first argument is a path that is read, written, listed or removed. */
export const FS_FUNCTIONS: ReadonlySet<string> = new Set(['readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile',
  'appendFileSync', 'createReadStream', 'createWriteStream', 'unlink', 'unlinkSync', 'rm', 'rmSync', 'readdir',
  'readdirSync', 'open', 'openSync', 'copyFile', 'copyFileSync', 'rename', 'renameSync', 'rmdir', 'rmdirSync',
  'outputFile', 'readJson', 'readJSON', 'remove', 'sendFile', 'download']);
/** Objects through which fs is commonly reached (`fs.promises`, fs-extra, an Express response's `sendFile`). */
const FS_OBJECTS = new Set(['fs', 'fse', 'fsp', 'fsPromises', 'fsExtra', 'promises', 'res', 'response']);

/**
 * `fs.readFile(req.params.name)`: request or message data reaching a file path. Only `remote` values count: a
 * CLI opening the file named on its command line, or a library opening the path its caller gave, is the point.
 */
function pathTraversal(call: ts.CallExpression, sourceFile: ts.SourceFile, fsNames: ReadonlySet<string>): SinkHit | undefined {
  const first = call.arguments[0];
  if (!first || !isFsCall(call.expression, fsNames)) return undefined;
  const facts = valueOf(first);
  if (facts.trust !== 'remote' || hasPrefixCheck(call)) return undefined;
  return {
    rule: 'security/path-traversal', ...spanOf(first, sourceFile), severity: 'error',
    message: 'File path from request or page data: resolve it and check it stays under the intended folder (`../` escapes it)',
  };
}

function isFsCall(callee: ts.Expression, fsNames: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(callee)) return fsNames.has(callee.text);
  if (!ts.isPropertyAccessExpression(callee) || !FS_FUNCTIONS.has(callee.name.text)) return false;
  const object = callee.expression;
  if (ts.isIdentifier(object)) return FS_OBJECTS.has(object.text);
  return ts.isPropertyAccessExpression(object) && object.name.text === 'promises';
}

/** Whether the function around the call checks a path's prefix (`resolved.startsWith(root)`), as the fix does. */
function hasPrefixCheck(call: ts.Node): boolean {
  let fn: ts.Node | undefined = call.parent;
  while (fn && !ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  const text = fn ? fn.getText() : '';
  return /\.startsWith\(|\.relative\(/.test(text) && /resolve\(|normalize\(|realpath/.test(text);
}

/** `el.innerHTML = …`, `el.outerHTML = …`: the value is parsed as HTML. */
export function unsafeHtmlAssignment(node: ts.BinaryExpression, sourceFile: ts.SourceFile): SinkHit | undefined {
  const kind = node.operatorToken.kind;
  if (kind !== SyntaxKind.EqualsToken && kind !== SyntaxKind.PlusEqualsToken) return undefined;
  const left = node.left;
  if (!ts.isPropertyAccessExpression(left) || (left.name.text !== 'innerHTML' && left.name.text !== 'outerHTML')) return undefined;
  return unsafeHtml(node.right, left.name.text, sourceFile);
}

/** `el.insertAdjacentHTML(where, html)`, `document.write(html)`. */
function unsafeHtmlCall(call: ts.CallExpression, sourceFile: ts.SourceFile): SinkHit | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  if (name === 'insertAdjacentHTML' && call.arguments[1]) return unsafeHtml(call.arguments[1], name, sourceFile);
  const isDocument = ts.isIdentifier(callee.expression) && callee.expression.text === 'document';
  if (isDocument && (name === 'write' || name === 'writeln') && call.arguments[0]) {
    return unsafeHtml(call.arguments[0], `document.${name}`, sourceFile);
  }
  return undefined;
}

/** React's `dangerouslySetInnerHTML={{ __html: html }}` (JSX or `createElement` props). */
export function unsafeHtmlProperty(node: ts.PropertyAssignment, sourceFile: ts.SourceFile): SinkHit | undefined {
  if (!ts.isIdentifier(node.name) || node.name.text !== '__html') return undefined;
  const holder = node.parent.parent;
  const named = ts.isJsxExpression(holder) ? holder.parent : holder;
  const name = (named as { name?: ts.Node }).name;
  if (!name || !(ts.isIdentifier(name) && name.text === 'dangerouslySetInnerHTML')) return undefined;
  return unsafeHtml(node.initializer, 'dangerouslySetInnerHTML', sourceFile);
}

/**
 * A finding when the HTML is built from values (a template or concatenation with a non-constant part) or comes
 * from outside. An opaque value (`el.innerHTML = rendered`) is left alone: most are the output of a renderer or
 * sanitiser, which the tracker cannot see into.
 */
function unsafeHtml(value: ts.Expression, sink: string, sourceFile: ts.SourceFile): SinkHit | undefined {
  const facts = valueOf(value);
  if (facts.trust === 'constant' || (!facts.built && !atLeast(facts.trust, 'local'))) return undefined;
  const how = facts.built ? `${facts.built} of ${originOf(facts)}` : originOf(facts);
  return {
    rule: 'security/unsafe-html', ...spanOf(value, sourceFile), severity: severityOf(facts.trust),
    message: `HTML built from ${how} given to ${sink}: set textContent, or escape or sanitise the values`,
  };
}

/** `rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED: '0'` in an object. */
export function tlsProperty(node: ts.PropertyAssignment, sourceFile: ts.SourceFile): SinkHit | undefined {
  const name = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : '';
  return tlsSetting(name, node.initializer, node, sourceFile);
}

/** `options.rejectUnauthorized = false`, `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'`. */
export function tlsAssignment(node: ts.BinaryExpression, sourceFile: ts.SourceFile): SinkHit | undefined {
  if (node.operatorToken.kind !== SyntaxKind.EqualsToken) return undefined;
  const left = node.left;
  const name = ts.isPropertyAccessExpression(left) ? left.name.text
    : ts.isElementAccessExpression(left) && ts.isStringLiteralLike(left.argumentExpression) ? left.argumentExpression.text : '';
  return tlsSetting(name, node.right, node, sourceFile);
}

function tlsSetting(name: string, value: ts.Expression, node: ts.Node, sourceFile: ts.SourceFile): SinkHit | undefined {
  const off = name === 'rejectUnauthorized' ? value.kind === SyntaxKind.FalseKeyword
    : name === 'NODE_TLS_REJECT_UNAUTHORIZED' && (ts.isStringLiteralLike(value) || ts.isNumericLiteral(value)) && value.text === '0';
  if (!off) return undefined;
  return {
    rule: 'security/tls-disabled', ...spanOf(node, sourceFile), severity: 'warning',
    message: `${name} turns off TLS certificate checks: anyone on the network can read and change the traffic; trust the certificate (ca option) instead`,
  };
}

/** Words of a name that make a random value a secret (a bare `id` or `key` is mostly a UI or map key). */
const SECRET_WORDS = new Set(['token', 'password', 'passwd', 'secret', 'nonce', 'salt', 'csrf', 'otp', 'apikey',
  'credential', 'credentials', 'passphrase', 'auth', 'verifier']);
const SECRET_KEYS = new Set(['api', 'secret', 'private', 'session', 'encryption', 'signing', 'access', 'auth']);

/** `const token = Math.random().toString(36)`: a guessable secret. */
function weakRandom(call: ts.CallExpression, sourceFile: ts.SourceFile): SinkHit | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'random'
    || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Math') return undefined;
  const name = nameReceiving(call);
  if (!name || !isSecretWordName(name)) return undefined;
  return {
    rule: 'security/weak-random', ...spanOf(call, sourceFile), severity: 'warning',
    message: `Math.random() is predictable and makes '${name}': use crypto.randomBytes() or crypto.randomUUID()`,
  };
}

/** The variable, property or function the value of `node` is given to, within its statement. */
function nameReceiving(node: ts.Node): string | undefined {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isVariableDeclaration(at) || ts.isPropertyAssignment(at) || ts.isPropertyDeclaration(at)) return plainName(at.name);
    if (ts.isBinaryExpression(at) && at.operatorToken.kind === SyntaxKind.EqualsToken) return assignedName(at.left);
    if (ts.isReturnStatement(at) || (ts.isArrowFunction(at) && at.body !== node)) return functionReturning(at);
    if (ts.isFunctionLike(at) || ts.isStatement(at)) return undefined;
  }
  return undefined;
}

/** `token` in `const token`, `{ token: … }`, `{ 'token': … }`; none for a pattern or a computed name. */
function plainName(name: ts.Node): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** `token` in `token = …` and `this.token = …`. */
function assignedName(left: ts.Expression): string | undefined {
  return ts.isIdentifier(left) ? left.text : ts.isPropertyAccessExpression(left) ? left.name.text : undefined;
}

/** The function whose result a value is (returned, or an arrow's body): its name, else what it is given to. */
function functionReturning(at: ts.Node): string | undefined {
  let fn: ts.Node | undefined = at;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return undefined;
  const name = (fn as { name?: ts.Node }).name;
  return name && ts.isIdentifier(name) ? name.text : nameReceiving(fn);
}

function isSecretWordName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  // A bare `session` is often a handle (`const session = Math.random()` keying a watcher): only its id or key count.
  return words.some((word, i) => SECRET_WORDS.has(word) || (word === 'key' && i > 0 && SECRET_KEYS.has(words[i - 1]))
    || (word === 'id' && i > 0 && words[i - 1] === 'session'));
}

/** The names `callSinkHit` may find a sink behind (with the file's own fs names): any other call is none. */
export const SINK_CALL_NAMES: ReadonlySet<string> = new Set(['random', 'insertAdjacentHTML', 'write', 'writeln',
  ...SQL_METHODS, ...FS_FUNCTIONS]);

/** What the call sinks need of the file beyond the call. */
export interface CallSinkContext {
  readonly sourceFile: ts.SourceFile;
  /** Local names bound to fs functions. */
  readonly fsNames: ReadonlySet<string>;
  /** Variables declared from a template or a `+`. */
  readonly builtNames: ReadonlySet<string>;
}

/**
 * The finding of the sink a call named `name` may be (SQL, file path, HTML, Math.random), dispatched by name:
 * this runs on every call of every file, and most names concern no sink.
 */
export function callSinkHit(call: ts.CallExpression, name: string, context: CallSinkContext): SinkHit | undefined {
  const { sourceFile } = context;
  if (name === 'random') return weakRandom(call, sourceFile);
  if (name === 'insertAdjacentHTML' || name === 'write' || name === 'writeln') {
    return unsafeHtmlCall(call, sourceFile);
  }
  const sql = SQL_METHODS.has(name) ? sqlInjection(call, sourceFile, context.builtNames) : undefined;
  if (sql || !(FS_FUNCTIONS.has(name) || context.fsNames.has(name))) return sql;
  return pathTraversal(call, sourceFile, context.fsNames);
}
