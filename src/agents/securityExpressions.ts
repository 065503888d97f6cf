import { ts } from 'ts-morph';

/**
 * How the security agent reads the expressions of a call: the callee's name, `require('child_process')`, and
 * whether a string is built from values. Pure functions of the tree.
 */

/** Read once: `ts` from ts-morph is a namespace of getters. */
const { SyntaxKind } = ts;

/** The module names of Node's child_process. */
export const CHILD_PROCESS_MODULES: ReadonlySet<string> = new Set(['child_process', 'node:child_process']);
/** The module names of Node's fs (and fs-extra, which re-exports it). */
export const FS_MODULES: ReadonlySet<string> = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'fs-extra']);
/** Objects through which the global `eval`/`setTimeout` are reached, so `window.eval` is still eval. */
const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(['window', 'globalThis', 'self', 'global']);

/**
 * The called name, and whether it is reached as a global (`eval`, `window.eval`, `window['eval']`, and the
 * indirect `(0, eval)`) rather than as a method.
 */
export function calleeName(callee: ts.Expression): { name: string; global: boolean } {
  if (ts.isIdentifier(callee)) return { name: callee.text, global: true };
  if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === SyntaxKind.CommaToken) {
    const right = skipParens(callee.right);
    return ts.isIdentifier(right) ? { name: right.text, global: true } : { name: '', global: false };
  }
  const isElement = ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression);
  if (ts.isPropertyAccessExpression(callee) || isElement) {
    const object = skipParens(callee.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : (callee.argumentExpression as ts.StringLiteralLike).text;
    return { name, global: ts.isIdentifier(object) && GLOBAL_OBJECTS.has(object.text) };
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

/** The expression inside any parentheses. */
export function skipParens(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}
