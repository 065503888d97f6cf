import { ts } from 'ts-morph';
import { compareFindings } from '../../core/files/fileAudit';
import type { Finding } from '../../core/model';
import type { LineIndex } from '../../core/text';
import { linesOf, treeOrNull, type Agent, type AgentInput } from '../../core/agent';
import { identityOf } from '../lineup';
import { flatTree, kindTable } from '../shared/astWalk';
import {
  calleeName, CHILD_PROCESS_MODULES, dynamicCommand, isRequireOfChildProcess, isStringish, skipParens,
} from './securityExpressions';
import { assignedSecretMessage, findAssignedSecrets, findTokens, isSecretName, looksLikeSecret, type SecretMatch } from './secrets';

/** Options of {@link createSecurityAgent}. */
export interface SecurityAgentOptions {
  /** Also look for secrets in test files and fixtures, whose fake credentials are skipped by default. */
  readonly includeTests?: boolean;
}

/** Paths of tests and fixtures, where credentials are fakes on purpose (matched against "/" + the relative path). */
const TEST_PATH = /\/tests?\/|__tests__|\.test\.|\.spec\.|\/fixtures\//;
/** The child_process functions that hand their command to a shell. */
const SHELL_FUNCTIONS = new Set(['exec', 'execSync']);
const TIMERS = new Set(['setTimeout', 'setInterval']);
/** Read once: `ts` from ts-morph is a namespace of getters, too slow to go through on every node. */
const { SyntaxKind } = ts;

/** A rule's finding before positions are resolved, as offsets into the text. */
interface Hit extends SecretMatch {
  readonly rule: 'security/eval' | 'security/command-injection';
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
  /** Local names bound to `exec`/`execSync`, with the original name. */
  readonly functions: Map<string, string>;
  /** Shell calls through an identifier or `x.exec`, kept until the walk has seen every binding. */
  readonly shellCalls: ShellCall[];
}

/** A call with a built command whose callee is resolved after the walk. */
interface ShellCall {
  /** The called identifier, or the object of `object.member(...)`. */
  readonly callee: string;
  readonly member?: string;
  /** The command argument's offsets and how it is built ("a template literal"). */
  readonly command: { readonly start: number; readonly end: number; readonly how: string };
}

/**
 * Builds the security analyser (seeds' agent 09): hard-coded secrets in any file, and in scripts
 * `eval`-like calls and shell commands built from strings. Reports only; the right fix (environment
 * variable, argument array) needs a human.
 */
export function createSecurityAgent(options: SecurityAgentOptions = {}): Agent {
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
        return { agent: 'security', rule, severity: 'error', message: match.message, range: index.rangeOf(match.start, match.end) };
      };
      const findings: Finding[] = [];
      if (options.includeTests || !TEST_PATH.test(`/${input.path}`)) {
        for (const match of secretMatches(input, scan)) findings.push(toFinding('security/hardcoded-secret', match));
      }
      if (scan) for (const hit of resolveCalls(scan)) findings.push(toFinding(hit.rule, hit));
      // Eval hits are collected apart from the others: report in reading order.
      return findings.sort(compareFindings);
    },
  };
}

/** The security agent with default options (tests and fixtures are not searched for secrets). */
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
    modules: new Set(), functions: new Map(), shellCalls: [],
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
      visitRequire(scan, node as ts.VariableDeclaration);
      return visitDeclaration(scan, node);
    case SyntaxKind.PropertyAssignment: case SyntaxKind.PropertyDeclaration: case SyntaxKind.Parameter:
    case SyntaxKind.JsxAttribute: case SyntaxKind.BinaryExpression: case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.ImportSpecifier: case SyntaxKind.ImportClause:
      return visitDeclaration(scan, node);
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

function visitCall(scan: ScriptScan, call: ts.CallExpression): void {
  const callee = skipParens(call.expression);
  const { name, global } = calleeName(callee);
  const first = call.arguments[0] as ts.Expression | undefined;
  const how = first && dynamicCommand(first);
  if (name === 'eval' && global) {
    scan.evalCalls.push({ rule: 'security/eval', ...span(scan, callee),
      message: 'eval() runs a string as code: parse data with JSON.parse, or call the function directly' });
  } else if (name === 'Function' && ts.isIdentifier(callee)) {
    scan.hits.push({ rule: 'security/eval', ...span(scan, callee), message: 'Function() compiles a string into code, as eval() does' });
  } else if (TIMERS.has(name) && global && first && isStringish(first)) {
    scan.hits.push({ rule: 'security/eval', ...span(scan, first),
      message: `${name}() with a string runs it as code, as eval() does: pass a function` });
  } else if (first && how) {
    visitShellCall(scan, callee, { ...span(scan, first), how });
  }
}

function span(scan: ScriptScan, node: ts.Node): { start: number; end: number } {
  return { start: node.getStart(scan.sourceFile), end: node.end };
}

/** Defers a possible shell call until every child_process binding of the file is known. */
function visitShellCall(scan: ScriptScan, callee: ts.Expression, command: ShellCall['command']): void {
  if (ts.isIdentifier(callee)) {
    // Any name may be a renamed import (`import { exec as run }`): checked once the walk is over.
    scan.shellCalls.push({ callee: callee.text, command });
  } else if (ts.isPropertyAccessExpression(callee) && SHELL_FUNCTIONS.has(callee.name.text)) {
    const object = skipParens(callee.expression);
    const call = { callee: ts.isIdentifier(object) ? object.text : '', member: callee.name.text, command };
    if (isRequireOfChildProcess(object)) scan.hits.push(shellHit(call.member, command));
    else if (call.callee) scan.shellCalls.push(call);
  }
}

function shellHit(fn: string, command: ShellCall['command']): Hit {
  return {
    rule: 'security/command-injection', start: command.start, end: command.end,
    message: `Shell command built from ${command.how} passed to ${fn}(): pass the arguments as an array to execFile() or spawn()`,
  };
}

function visitNew(scan: ScriptScan, node: ts.NewExpression): void {
  const callee = skipParens(node.expression);
  if (ts.isIdentifier(callee) && callee.text === 'Function') {
    scan.hits.push({ rule: 'security/eval', start: node.getStart(scan.sourceFile), end: callee.end,
      message: 'new Function() compiles a string into code, as eval() does' });
  }
}

function visitImport(scan: ScriptScan, node: ts.ImportDeclaration): void {
  const clause = node.importClause;
  if (!clause || !ts.isStringLiteral(node.moduleSpecifier) || !CHILD_PROCESS_MODULES.has(node.moduleSpecifier.text)) return;
  if (clause.name) scan.modules.add(clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) scan.modules.add(bindings.name.text);
  else if (bindings) {
    for (const element of bindings.elements) scan.functions.set(element.name.text, (element.propertyName ?? element.name).text);
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

/** The eval hits unless the file has its own `eval`, plus the shell calls whose callee is child_process's. */
function resolveCalls(scan: ScriptScan): Hit[] {
  const shell: Hit[] = [];
  for (const { callee, member, command } of scan.shellCalls) {
    const fn = member !== undefined ? (scan.modules.has(callee) ? member : undefined) : scan.functions.get(callee);
    if (fn !== undefined && SHELL_FUNCTIONS.has(fn)) shell.push(shellHit(fn, command));
  }
  return [...(scan.declaresEval ? [] : scan.evalCalls), ...scan.hits, ...shell];
}
