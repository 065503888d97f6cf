import { ts } from 'ts-morph';

/**
 * How the security agent reads the expressions of a call: the callee's name, `require('child_process')`, and
 * whether a string is built from values. Pure functions of the tree.
 */

/** Read once: `ts` from ts-morph is a namespace of getters. */
const { SyntaxKind } = ts;

/** The module names of Node's child_process. */
export const CHILD_PROCESS_MODULES: ReadonlySet<string> = new Set(['child_process', 'node:child_process']);
/** Objects through which the global `eval`/`setTimeout` are reached, so `window.eval` is still eval. */
const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(['window', 'globalThis', 'self', 'global']);

/** The called name, and whether it is reached as a global (`eval`, `window.eval`) rather than a method. */
export function calleeName(callee: ts.Expression): { name: string; global: boolean } {
  if (ts.isIdentifier(callee)) return { name: callee.text, global: true };
  if (ts.isPropertyAccessExpression(callee)) {
    const object = skipParens(callee.expression);
    return { name: callee.name.text, global: ts.isIdentifier(object) && GLOBAL_OBJECTS.has(object.text) };
  }
  return { name: '', global: false };
}

export function isRequireOfChildProcess(expression: ts.Expression): boolean {
  const node = skipParens(ts.isAwaitExpression(expression) ? expression.expression : expression);
  if (!ts.isCallExpression(node)) return false;
  const isLoader = (ts.isIdentifier(node.expression) && node.expression.text === 'require')
    || node.expression.kind === SyntaxKind.ImportKeyword;
  const first = node.arguments[0];
  return isLoader && first !== undefined && ts.isStringLiteralLike(first) && CHILD_PROCESS_MODULES.has(first.text);
}

/** Whether a timer's first argument is a string (literal, template or concatenation), which the timer evaluates. */
export function isStringish(expression: ts.Expression): boolean {
  const node = skipParens(expression);
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return true;
  return isPlus(node) && (isStringish(node.left) || isStringish(node.right));
}

/** How a command is built from values ("a template literal", "a concatenation"), or undefined for a constant. */
export function dynamicCommand(expression: ts.Expression): string | undefined {
  const node = skipParens(expression);
  if (ts.isTemplateExpression(node)) return 'a template literal';
  return isPlus(node) && hasNonLiteralOperand(node) ? 'a concatenation' : undefined;
}

function hasNonLiteralOperand(expression: ts.Expression): boolean {
  const node = skipParens(expression);
  if (isPlus(node)) return hasNonLiteralOperand(node.left) || hasNonLiteralOperand(node.right);
  return !(ts.isStringLiteralLike(node) || ts.isNumericLiteral(node));
}

function isPlus(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.PlusToken;
}

export function skipParens(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}
