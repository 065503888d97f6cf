import { ts } from 'ts-morph';
import type { Meaning } from './importScopes';

/**
 * Where an identifier refers to a name in scope (a use) rather than declaring a name or naming a property.
 * Anything not listed as a non-reference is a reference: an unknown position then keeps the import, which is
 * the safe side.
 */

/** Node kinds whose `name` declares something (or names a member) instead of referring to a name in scope. */
const NAME_DECLARING_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.Parameter, ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression, ts.SyntaxKind.InterfaceDeclaration, ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.EnumDeclaration, ts.SyntaxKind.EnumMember, ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.TypeParameter, ts.SyntaxKind.PropertyDeclaration, ts.SyntaxKind.PropertySignature,
  ts.SyntaxKind.MethodDeclaration, ts.SyntaxKind.MethodSignature, ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor, ts.SyntaxKind.PropertyAssignment, ts.SyntaxKind.PropertyAccessExpression,
  ts.SyntaxKind.JsxAttribute, ts.SyntaxKind.JsxNamespacedName, ts.SyntaxKind.ImportAttribute,
  ts.SyntaxKind.ImportClause, ts.SyntaxKind.ImportSpecifier, ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration, ts.SyntaxKind.NamespaceExport, ts.SyntaxKind.NamespaceExportDeclaration,
  ts.SyntaxKind.NamedTupleMember, ts.SyntaxKind.MetaProperty,
]);

/** Parents where an identifier child is never a reference (labels, `x is T` predicates). */
const NEVER_REFERENCE_PARENTS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.LabeledStatement, ts.SyntaxKind.BreakStatement, ts.SyntaxKind.ContinueStatement,
  ts.SyntaxKind.TypePredicate, ts.SyntaxKind.JsxNamespacedName,
]);

/** Whether `id` refers to a name in scope (`x`, `x.y`, `<X/>`, `typeof x`, `export { x }`, `{ x }`, ...). */
export function isReferenceName(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (NEVER_REFERENCE_PARENTS.has(parent.kind)) return false;
  if (ts.isBindingElement(parent)) return parent.initializer === id; // `{ a: b = init }`: only `init` is a use.
  if (ts.isImportSpecifier(parent)) return false; // name and propertyName both belong to the import itself.
  if (ts.isExportSpecifier(parent)) return isLocalExportReference(id, parent);
  if (ts.isQualifiedName(parent)) return parent.left === id && !isImportTypeQualifier(parent);
  if (ts.isImportTypeNode(parent)) return parent.qualifier !== id;
  if (ts.isJsxOpeningElement(parent) || ts.isJsxSelfClosingElement(parent) || ts.isJsxClosingElement(parent)) {
    return parent.tagName !== id || !isIntrinsicJsxName(id.text);
  }
  if (ts.isImportEqualsDeclaration(parent)) return parent.moduleReference === id;
  if (NAME_DECLARING_KINDS.has(parent.kind)) return (parent as { name?: ts.Node }).name !== id;
  return true;
}

/** `export { x }` and `export { x as y }` use the local `x`; `export { x } from 'm'` does not. */
function isLocalExportReference(id: ts.Identifier, specifier: ts.ExportSpecifier): boolean {
  const declaration = specifier.parent.parent;
  if (declaration.moduleSpecifier) return false;
  return (specifier.propertyName ?? specifier.name) === id;
}

/** `import('m').A.B`: the qualifier names exports of 'm', not locals. */
function isImportTypeQualifier(name: ts.QualifiedName): boolean {
  let top: ts.Node = name;
  while (ts.isQualifiedName(top.parent)) top = top.parent;
  return ts.isImportTypeNode(top.parent) && top.parent.qualifier === top;
}

/** `<div>` and `<my-element>` are intrinsic elements, not references (TypeScript's rule). */
function isIntrinsicJsxName(name: string): boolean {
  const first = name.charCodeAt(0);
  return (first >= 0x61 && first <= 0x7a) || name.includes('-');
}

/** What a reference looks up, which decides which local declarations can shadow it. */
export function referenceMeaning(id: ts.Identifier): Meaning {
  const parent = id.parent;
  if (ts.isTypeReferenceNode(parent)) return 'type';
  if (ts.isTypeQueryNode(parent)) return 'value';
  if (ts.isQualifiedName(parent)) return qualifiedRootMeaning(parent);
  if (ts.isExpressionWithTypeArguments(parent)) return isTypeHeritage(parent) ? 'type' : 'value';
  if (ts.isPropertyAccessExpression(parent)) return propertyRootMeaning(parent);
  if (ts.isExportSpecifier(parent) || ts.isExportAssignment(parent)) return 'export';
  if (ts.isImportEqualsDeclaration(parent)) return 'namespace';
  return 'value';
}

/** `A` in `A.B.C`: a value under `typeof`, a namespace in a type or an `import x = A.B`. */
function qualifiedRootMeaning(name: ts.QualifiedName): Meaning {
  let top: ts.Node = name;
  while (ts.isQualifiedName(top.parent)) top = top.parent;
  return ts.isTypeQueryNode(top.parent) ? 'value' : 'namespace';
}

/** `ns` in `implements ns.I` / `interface X extends ns.I` is a namespace; elsewhere `ns.x` reads a value. */
function propertyRootMeaning(access: ts.PropertyAccessExpression): Meaning {
  let top: ts.Node = access;
  while (ts.isPropertyAccessExpression(top.parent)) top = top.parent;
  const parent = top.parent;
  return ts.isExpressionWithTypeArguments(parent) && isTypeHeritage(parent) ? 'namespace' : 'value';
}

/** `implements X` and an interface's `extends X` name types; a class's `extends X` evaluates a value. */
function isTypeHeritage(node: ts.ExpressionWithTypeArguments): boolean {
  const clause = node.parent;
  if (!ts.isHeritageClause(clause)) return false;
  return clause.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(clause.parent);
}
