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
  // By kind, not `ts.isX`: this runs on every call of every file, and each `ts.` read is a getter.
  switch (callee.kind) {
    case SyntaxKind.Identifier: return { name: (callee as ts.Identifier).text, global: true };
    case SyntaxKind.PropertyAccessExpression: {
      const access = callee as ts.PropertyAccessExpression;
      return { name: access.name.text, global: isGlobalObject(access.expression) };
    }
    case SyntaxKind.ElementAccessExpression: {
      const access = callee as ts.ElementAccessExpression;
      const key = access.argumentExpression;
      const isText = key.kind === SyntaxKind.StringLiteral || key.kind === SyntaxKind.NoSubstitutionTemplateLiteral;
      return isText ? { name: (key as ts.StringLiteralLike).text, global: isGlobalObject(access.expression) } : NO_NAME;
    }
    case SyntaxKind.BinaryExpression: {
      const binary = callee as ts.BinaryExpression;
      if (binary.operatorToken.kind !== SyntaxKind.CommaToken) return NO_NAME;
      const right = skipParens(binary.right);
      return right.kind === SyntaxKind.Identifier ? { name: (right as ts.Identifier).text, global: true } : NO_NAME;
    }
    default: return NO_NAME;
  }
}

const NO_NAME = { name: '', global: false };

function isGlobalObject(expression: ts.Expression): boolean {
  const object = skipParens(expression);
  return object.kind === SyntaxKind.Identifier && GLOBAL_OBJECTS.has((object as ts.Identifier).text);
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
  while (node.kind === SyntaxKind.ParenthesizedExpression) node = (node as ts.ParenthesizedExpression).expression;
  return node;
}
