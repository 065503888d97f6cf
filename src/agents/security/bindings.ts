import { ts } from 'ts-morph';
import type { FlatTree } from '../shared/astWalk';
import { CHILD_PROCESS_MODULES, FS_MODULES, isRequireOfChildProcess } from './securityExpressions';
import { FS_FUNCTIONS } from './securitySinks';

/**
 * The names a script binds that the security rules care about: child_process and its functions, fs functions, and
 * a local `eval` (which the file's `eval` calls then mean instead of the global).
 */

/** Read once: `ts` from ts-morph is a namespace of getters. */
const { SyntaxKind } = ts;

/** Where the bindings are collected. */
export interface Bindings {
  /** Local names bound to the child_process module itself (`import * as cp`, `const cp = require(...)`). */
  readonly modules: Set<string>;
  /** Local names bound to child_process functions, with the original name. */
  readonly functions: Map<string, string>;
  /** Local names bound to fs functions (`import { readFile } from 'fs'`). */
  readonly fsNames: Set<string>;
}

/** `import … from 'child_process'`, `import { readFile } from 'fs'`. */
export function visitImport(bindings: Bindings, node: ts.ImportDeclaration): void {
  const clause = node.importClause;
  const specifier = node.moduleSpecifier;
  // By kind, not `ts.isX` (each a getter of ts-morph's namespace): every file has imports.
  if (!clause || specifier.kind !== SyntaxKind.StringLiteral) return;
  const module = (specifier as ts.StringLiteral).text;
  if (FS_MODULES.has(module)) return visitFsImport(bindings, clause);
  if (!CHILD_PROCESS_MODULES.has(module)) return;
  if (clause.name) bindings.modules.add(clause.name.text);
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) bindings.modules.add(named.name.text);
  else if (named) {
    for (const element of named.elements) bindings.functions.set(element.name.text, (element.propertyName ?? element.name).text);
  }
}

/** `import { readFile } from 'fs/promises'`: calls of these names are fs calls. */
function visitFsImport(bindings: Bindings, clause: ts.ImportClause): void {
  const named = clause.namedBindings;
  if (!named || !ts.isNamedImports(named)) return;
  for (const element of named.elements) {
    if (FS_FUNCTIONS.has((element.propertyName ?? element.name).text)) bindings.fsNames.add(element.name.text);
  }
}

/** `import cp = require('child_process')`. */
export function visitImportEquals(bindings: Bindings, node: ts.ImportEqualsDeclaration): void {
  const reference = node.moduleReference;
  if (ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression)
    && CHILD_PROCESS_MODULES.has(reference.expression.text)) bindings.modules.add(node.name.text);
}

/** `const cp = require('child_process')` and `const { exec: run } = require('node:child_process')`. */
export function visitRequire(bindings: Bindings, node: ts.VariableDeclaration): void {
  if (!node.initializer || !isRequireOfChildProcess(node.initializer)) return;
  if (ts.isIdentifier(node.name)) bindings.modules.add(node.name.text);
  else if (ts.isObjectBindingPattern(node.name)) {
    for (const element of node.name.elements) {
      const original = element.propertyName ?? element.name;
      if (ts.isIdentifier(element.name) && ts.isIdentifier(original)) bindings.functions.set(element.name.text, original.text);
    }
  }
}

/** Declarations that bind a name in scope (a property named `eval` does not shadow the global). */
const BINDING_KINDS = [SyntaxKind.FunctionDeclaration, SyntaxKind.VariableDeclaration, SyntaxKind.Parameter,
  SyntaxKind.ImportSpecifier, SyntaxKind.ImportClause];

/**
 * Whether the file declares its own `eval`. Asked only of files that call one (few): the walk over every file's
 * declarations looked for it in all of them.
 */
export function declaresEval(tree: FlatTree): boolean {
  for (const kind of BINDING_KINDS) {
    for (const index of tree.ofKind(kind)) {
      const name = (tree.nodes[index] as { name?: ts.Node }).name;
      if (name?.kind === SyntaxKind.Identifier && (name as ts.Identifier).text === 'eval') return true;
    }
  }
  return false;
}
