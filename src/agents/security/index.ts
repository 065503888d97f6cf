import { ts } from 'ts-morph';
import { compareFindings } from '../../core/files/fileAudit';
import type { Finding, Severity } from '../../core/model';
import type { LineIndex } from '../../core/text';
import { linesOf, treeOrNull, type Agent, type AgentInput } from '../../core/agent';
import { identityOf } from '../lineup';
import { flatTree, kindTable } from '../shared/astWalk';
import { CHILD_PROCESS_FUNCTIONS, childProcessHit } from './childProcessCalls';
import { calleeName, CHILD_PROCESS_MODULES, FS_MODULES, isRequireOfChildProcess, skipParens } from './securityExpressions';
import {
  callSinkHit, codeSeverity, FS_FUNCTIONS, tlsAssignment, tlsProperty, unsafeHtmlAssignment, unsafeHtmlProperty,
} from './securitySinks';
import { valueOf } from './valueTracker';
import { assignedSecretMessage, findAssignedSecrets, findTokens, isSecretName, looksLikeSecret, type SecretMatch } from './secrets';

const TIMERS = new Set(['setTimeout', 'setInterval']);
/** The property names some sink watches (`rejectUnauthorized: false`, `{ __html: … }`). */
const SINK_PROPERTY_NAMES = new Set(['rejectUnauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED', '__html']);
/** Read once: `ts` from ts-morph is a namespace of getters, too slow to go through on every node. */
const { SyntaxKind } = ts;

/** A rule's finding before positions are resolved, as offsets into the text. */
interface Hit extends SecretMatch {
  readonly rule: string;
  /** `error` unless the rule says otherwise (see securitySinks' severities). */
  readonly severity?: Severity;
}

/** What one walk over a script's tree collects; calls are resolved once all bindings are known. */
interface ScriptScan {
  readonly sourceFile: ts.SourceFile;
  readonly secrets: SecretMatch[];
  readonly evalCalls: Hit[];
  readonly hits: Hit[];
  /** A file that declares its own `eval` calls that one, not the global. */
  declaresEval: boolean;
  /** Local names bound to the child_process module itself (`import * as cp`, `const cp = require(...)`). */
  readonly modules: Set<string>;
  /** Local names bound to child_process functions, with the original name. */
  readonly functions: Map<string, string>;
  /** Calls through an identifier or `x.spawn`, kept until the walk has seen every binding. */
  readonly shellCalls: ShellCall[];
  /** Whether the text names child_process at all: most files do not, and their calls need no bookkeeping. */
  readonly childProcess: boolean;
  /** Local names bound to fs functions (`import { readFile } from 'fs'`). */
  readonly fsNames: Set<string>;
  /** Variables declared from a template or a `+` (a query, a command): only these are traced from a sink. */
  readonly builtNames: Set<string>;
}

/** A call that may be child_process's, resolved after the walk. */
interface ShellCall {
  /** The called identifier, or the object of `object.member(...)`. */
  readonly callee: string;
  readonly member?: string;
  readonly call: ts.CallExpression;
}

/**
 * Builds the security analyser (seeds' agent 09): hard-coded secrets in any file, and in scripts
 * `eval`-like calls and shell commands built from strings. Reports only; the right fix (environment
 * variable, argument array) needs a human. Test files are no business of the agent's: the configuration turns
 * `security/hardcoded-secret` off in the files `global.tests` names unless `security.includeTests` (PathConfigs).
 */
export function createSecurityAgent(): Agent {
  return {
    ...identityOf('security'),
    run(input: AgentInput, signal: AbortSignal): Finding[] {
      signal.throwIfAborted();
      // The parser failed on the file: the secret scan reads its text, as it does any non-script file's.
      const scan = scanScript(treeOrNull(input) ?? undefined);
      // Most files have no finding: the line index is only built for those that do.
      let index: LineIndex | undefined;
      const toFinding = (rule: string, match: SecretMatch): Finding => {
        index ??= linesOf(input);
        const severity = (match as Hit).severity ?? 'error';
        return { agent: 'security', rule, severity, message: match.message, range: index.rangeOf(match.start, match.end) };
      };
      const findings: Finding[] = [];
      for (const match of secretMatches(input, scan)) findings.push(toFinding('security/hardcoded-secret', match));
      if (scan) for (const hit of resolveCalls(scan)) findings.push(toFinding(hit.rule, hit));
      // Eval hits are collected apart from the others: report in reading order.
      return findings.sort(compareFindings);
    },
  };
}

/** The security agent (it takes no option). */
export const securityAgent: Agent = createSecurityAgent();

/** Token shapes from the text, plus secrets assigned by name (from the tree in scripts, from lines elsewhere). */
function secretMatches(input: AgentInput, scan: ScriptScan | undefined): SecretMatch[] {
  const tokens = findTokens(input.text);
  const assigned = scan ? scan.secrets : findAssignedSecrets(input.text, input.language === 'text');
  // A token that is also assigned to a secret name is one problem, reported once by its more precise kind.
  const fresh = assigned.filter((a) => !tokens.some((t) => a.start < t.end && t.start < a.end));
  return [...tokens, ...fresh];
}

function scanScript(sourceFile: ts.SourceFile | undefined): ScriptScan | undefined {
  if (!sourceFile) return undefined;
  const scan: ScriptScan = {
    sourceFile, secrets: [], evalCalls: [], hits: [], declaresEval: false,
    modules: new Set(), functions: new Map(), shellCalls: [], childProcess: sourceFile.text.includes('child_process'),
    fsNames: new Set(), builtNames: new Set(),
  };
  // The file's shared flat tree: only the nodes of the kinds `visitNode` handles are touched.
  const { nodes, kinds } = flatTree(sourceFile);
  for (let i = 0; i < kinds.length; i++) if (VISITED_KINDS[kinds[i]]) visitNode(scan, nodes[i]);
  return scan;
}

/** The kinds `visitNode` dispatches on: most nodes (identifiers, tokens, statements) concern no rule. */
const VISITED_KINDS = kindTable([
  SyntaxKind.CallExpression, SyntaxKind.NewExpression, SyntaxKind.ImportDeclaration, SyntaxKind.ImportEqualsDeclaration,
  SyntaxKind.VariableDeclaration, SyntaxKind.PropertyAssignment, SyntaxKind.PropertyDeclaration, SyntaxKind.Parameter,
  SyntaxKind.JsxAttribute, SyntaxKind.BinaryExpression, SyntaxKind.FunctionDeclaration, SyntaxKind.ImportSpecifier,
  SyntaxKind.ImportClause,
]);

/** Dispatches on the kind (see `VISITED_KINDS`). */
function visitNode(scan: ScriptScan, node: ts.Node): void {
  switch (node.kind) {
    case SyntaxKind.CallExpression: return visitCall(scan, node as ts.CallExpression);
    case SyntaxKind.NewExpression: return visitNew(scan, node as ts.NewExpression);
    case SyntaxKind.ImportDeclaration: return visitImport(scan, node as ts.ImportDeclaration);
    case SyntaxKind.ImportEqualsDeclaration: return visitImportEquals(scan, node as ts.ImportEqualsDeclaration);
    case SyntaxKind.VariableDeclaration:
      noteBuiltName(scan, node as ts.VariableDeclaration);
      visitRequire(scan, node as ts.VariableDeclaration);
      return visitDeclaration(scan, node);
    case SyntaxKind.BinaryExpression:
      visitAssignment(scan, node as ts.BinaryExpression);
      return visitDeclaration(scan, node);
    case SyntaxKind.PropertyAssignment:
      visitProperty(scan, node as ts.PropertyAssignment);
      return visitDeclaration(scan, node);
    case SyntaxKind.PropertyDeclaration: case SyntaxKind.Parameter:
    case SyntaxKind.JsxAttribute: case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.ImportSpecifier: case SyntaxKind.ImportClause:
      return visitDeclaration(scan, node);
  }
}

/** `const sql = \`SELECT … ${id}\``: a name a sink may later be given. */
function noteBuiltName(scan: ScriptScan, node: ts.VariableDeclaration): void {
  const kind = node.initializer?.kind;
  if ((kind === SyntaxKind.TemplateExpression || kind === SyntaxKind.BinaryExpression) && node.name.kind === SyntaxKind.Identifier) {
    scan.builtNames.add(node.name.text);
  }
}

/** Records a declaration of `eval` and a secret-looking literal given to a secret name. */
function visitDeclaration(scan: ScriptScan, node: ts.Node): void {
  if (declaresEval(node)) scan.declaresEval = true;
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
  // The value is checked first: it is rarely a string literal, and that is one comparison.
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

/** Declarations that bind a name in scope (a property named `eval` does not shadow the global). */
const BINDING_KINDS = new Set([SyntaxKind.FunctionDeclaration, SyntaxKind.VariableDeclaration, SyntaxKind.Parameter,
  SyntaxKind.ImportSpecifier, SyntaxKind.ImportClause]);

function declaresEval(node: ts.Node): boolean {
  const name = (node as { name?: ts.Node }).name;
  return name?.kind === SyntaxKind.Identifier && (name as ts.Identifier).text === 'eval' && BINDING_KINDS.has(node.kind);
}

/** The sinks of HTML and TLS options written as an assignment (`el.innerHTML = …`). */
function visitAssignment(scan: ScriptScan, node: ts.BinaryExpression): void {
  // Kinds first: most binary expressions are comparisons and arithmetic, and this runs on each.
  const operator = node.operatorToken.kind;
  if (operator !== SyntaxKind.EqualsToken && operator !== SyntaxKind.PlusEqualsToken) return;
  const left = node.left.kind;
  if (left !== SyntaxKind.PropertyAccessExpression && left !== SyntaxKind.ElementAccessExpression) return;
  const hit = unsafeHtmlAssignment(node, scan.sourceFile) ?? tlsAssignment(node, scan.sourceFile);
  if (hit) scan.hits.push(hit);
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

function visitImport(scan: ScriptScan, node: ts.ImportDeclaration): void {
  const clause = node.importClause;
  if (!clause || !ts.isStringLiteral(node.moduleSpecifier)) return;
  if (FS_MODULES.has(node.moduleSpecifier.text)) return visitFsImport(scan, clause);
  if (!CHILD_PROCESS_MODULES.has(node.moduleSpecifier.text)) return;
  if (clause.name) scan.modules.add(clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) scan.modules.add(bindings.name.text);
  else if (bindings) {
    for (const element of bindings.elements) scan.functions.set(element.name.text, (element.propertyName ?? element.name).text);
  }
}

/** `import { readFile } from 'fs/promises'`: calls of these names are fs calls. */
function visitFsImport(scan: ScriptScan, clause: ts.ImportClause): void {
  const bindings = clause.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return;
  for (const element of bindings.elements) {
    if (FS_FUNCTIONS.has((element.propertyName ?? element.name).text)) scan.fsNames.add(element.name.text);
  }
}

function visitImportEquals(scan: ScriptScan, node: ts.ImportEqualsDeclaration): void {
  const reference = node.moduleReference;
  if (ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression)
    && CHILD_PROCESS_MODULES.has(reference.expression.text)) scan.modules.add(node.name.text);
}

/** `const cp = require('child_process')` and `const { exec: run } = require('node:child_process')`. */
function visitRequire(scan: ScriptScan, node: ts.VariableDeclaration): void {
  if (!node.initializer || !isRequireOfChildProcess(node.initializer)) return;
  if (ts.isIdentifier(node.name)) scan.modules.add(node.name.text);
  else if (ts.isObjectBindingPattern(node.name)) {
    for (const element of node.name.elements) {
      const original = element.propertyName ?? element.name;
      if (ts.isIdentifier(element.name) && ts.isIdentifier(original)) scan.functions.set(element.name.text, original.text);
    }
  }
}

/** The eval hits unless the file has its own `eval`, plus the calls whose callee is child_process's. */
function resolveCalls(scan: ScriptScan): Hit[] {
  const shell: Hit[] = [];
  for (const { callee, member, call } of scan.shellCalls) {
    const fn = member !== undefined ? (scan.modules.has(callee) ? member : undefined) : scan.functions.get(callee);
    const hit = fn === undefined ? undefined : childProcessHit(fn, call, scan.sourceFile);
    if (hit) shell.push(hit);
  }
  return [...(scan.declaresEval ? [] : scan.evalCalls), ...scan.hits, ...shell];
}
