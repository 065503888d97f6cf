import { ts } from 'ts-morph';
import type { Finding } from '../../core/model';
import type { LineIndex } from '../../core/text';
import { linesOf, type Agent, type AgentInput } from '../../core/agent';
import { identityOf } from '../lineup';
import { walk, type Frame, type FunctionLike } from './complexityWalk';
import { appendAll } from '../../core/arrays';
import { countOf } from '../../core/wording';

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
  cyclomatic: 20,
  nestingDepth: 4,
  functionLength: 100,
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
      for (const frame of functions) appendAll(findings, functionFindings(frame, sourceFile, lines, thresholds));
      for (const node of awaits) findings.push(awaitInLoopFinding(node, sourceFile, lines));
      return findings;
    },
  };
}

/** The `complexity` agent with the default limits. */
export const complexityAgent: Agent = createComplexityAgent();

const { SyntaxKind } = ts;

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
    { rule: 'complexity/function-length', value: length, max: thresholds.functionLength, says: `is ${countOf(length, 'line')} long` },
    { rule: 'complexity/parameter-count', value: parameters, max: thresholds.parameterCount, says: `has ${countOf(parameters, 'parameter')}` },
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
    message: `File is ${countOf(length, 'line')} long (max ${max})`,
    range: lines.rangeOf(0, firstBreak === -1 ? text.length : firstBreak),
  }];
}
