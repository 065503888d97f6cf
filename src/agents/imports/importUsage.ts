import { ts } from 'ts-morph';
import { flatTree } from '../shared/astWalk';
import { namesScopeDeclaration, ScopeIndex } from './importScopes';
import { readJsDocMentions, readJsxPragmas } from './importMentions';
import { isReferenceName, referenceMeaning } from './importReferences';
import { markerFollowedOnLine } from '../shared/textLines';

/**
 * Usage analysis for the imports agent: which imported bindings a file uses, in one walk over the compiler's
 * nodes. Pure: no fixes and no findings here.
 *
 * The guiding rule: reporting a used import as unused costs the user a broken file (and, with fix-on-save, an
 * import deleted under their cursor), while missing an unused one costs nothing. So every doubtful case answers
 * `unsure`, which is never reported.
 */

/** Which import syntax introduced a binding. */
export type ImportBindingKind = 'default' | 'named' | 'namespace' | 'importEquals';

/** One local name introduced by a top-level import. */
export interface ImportBinding {
  readonly name: string;
  readonly kind: ImportBindingKind;
  /** The identifier declaring the local name: the finding's range. */
  readonly nameNode: ts.Identifier;
  /** The specifier for a named import; the clause, namespace import or import-equals otherwise. */
  readonly node: ts.ImportSpecifier | ts.ImportClause | ts.NamespaceImport | ts.ImportEqualsDeclaration;
  readonly declaration: ts.ImportDeclaration | ts.ImportEqualsDeclaration;
}

/** Verdict on one binding; only `unused` is reported. */
export type BindingUsage = 'used' | 'unused' | 'unsure';

/** One binding with its verdict. */
export interface BindingVerdict {
  readonly binding: ImportBinding;
  readonly usage: BindingUsage;
}

/** How the file must be read. */
export interface UsageOptions {
  /** JS files take their types from JSDoc, so any JSDoc mention of a name may be a use. */
  readonly isJavaScript: boolean;
}

/** The imported bindings of `sourceFile`'s top level, in source order. */
export function collectImportBindings(sourceFile: ts.SourceFile): ImportBinding[] {
  const bindings: ImportBinding[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      addClauseBindings(statement, bindings);
    } else if (ts.isImportEqualsDeclaration(statement) && !hasExportModifier(statement)) {
      // `export import x = ...` re-exports the alias: it is a use by construction, so it is not collected.
      bindings.push({
        name: statement.name.text, kind: 'importEquals', nameNode: statement.name,
        node: statement, declaration: statement,
      });
    }
  }
  return bindings;
}

function addClauseBindings(declaration: ts.ImportDeclaration, bindings: ImportBinding[]): void {
  const clause = declaration.importClause;
  if (!clause) return; // A side-effect import binds nothing.
  if (clause.name) {
    bindings.push({ name: clause.name.text, kind: 'default', nameNode: clause.name, node: clause, declaration });
  }
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) {
    bindings.push({ name: named.name.text, kind: 'namespace', nameNode: named.name, node: named, declaration });
  } else if (named) {
    for (const element of named.elements) {
      bindings.push({ name: element.name.text, kind: 'named', nameNode: element.name, node: element, declaration });
    }
  }
}

function hasExportModifier(node: ts.ImportEqualsDeclaration): boolean {
  return node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

/** Decides, for every top-level imported binding of `sourceFile`, whether the file uses it. */
export function analyzeImportUsage(sourceFile: ts.SourceFile, options: UsageOptions): BindingVerdict[] {
  const bindings = collectImportBindings(sourceFile);
  if (bindings.length === 0) return [];
  const names = new Set(bindings.map((binding) => binding.name));
  const unsure = unsureNames(sourceFile, bindings, names, options);
  const used = new Set<string>();
  const jsx = walkUses(sourceFile, names, used, unsure);
  markJsxFactoryUses(sourceFile.text, jsx, used, unsure);
  return bindings.map((binding) => ({ binding, usage: verdict(binding.name, used, unsure) }));
}

function verdict(name: string, used: ReadonlySet<string>, unsure: ReadonlySet<string>): BindingUsage {
  if (unsure.has(name)) return 'unsure';
  return used.has(name) ? 'used' : 'unused';
}

/**
 * Names we will not judge before walking: underscored (kept on purpose: TypeScript's noUnusedLocals exempts them
 * too), under a suppression comment, imported twice, merged with a top-level declaration, or mentioned in JSDoc.
 */
function unsureNames(
  sourceFile: ts.SourceFile,
  bindings: readonly ImportBinding[],
  names: ReadonlySet<string>,
  options: UsageOptions,
): Set<string> {
  const unsure = new Set<string>();
  const seen = new Set<string>();
  // One look at the comments above each declaration, however many names it imports.
  const silenced = new Map<ts.Node, boolean>();
  const isSilenced = (declaration: ts.Node): boolean => {
    let answer = silenced.get(declaration);
    if (answer === undefined) silenced.set(declaration, answer = hasSuppressionComment(sourceFile.text, declaration));
    return answer;
  };
  for (const binding of bindings) {
    if (seen.has(binding.name) || binding.name.startsWith('_') || isSilenced(binding.declaration)) unsure.add(binding.name);
    seen.add(binding.name);
  }
  // `import { Foo }` next to `interface Foo` / `namespace Foo` is a merge (or an error): not ours to judge.
  for (const statement of sourceFile.statements) {
    for (const name of topLevelDeclaredNames(statement)) if (names.has(name)) unsure.add(name);
  }
  for (const name of readJsDocMentions(sourceFile.text, names, options.isJavaScript)) unsure.add(name);
  return unsure;
}

/** `// @ts-ignore`, `// @ts-expect-error`, or a lint directive about unused code. */
const TS_SUPPRESSION = /@ts-(?:ignore|expect-error)/i;
const LINT_DIRECTIVE = /eslint-disable-next-line|biome-ignore/gi;
const UNUSED = /unused/i;

/**
 * Whether the user silenced diagnostics on this import: TypeScript then stays quiet about it being unused, and
 * a directive naming "unused" says it is kept on purpose; we stay quiet too rather than contradict them.
 */
function hasSuppressionComment(text: string, declaration: ts.Node): boolean {
  const comments = ts.getLeadingCommentRanges(text, declaration.pos) ?? [];
  return comments.some((range) => {
    const comment = text.slice(range.pos, range.end);
    // Not `directive[^\n]*unused`: on a long comment line repeating the directive, that regex is quadratic.
    return TS_SUPPRESSION.test(comment) || markerFollowedOnLine(comment, LINT_DIRECTIVE, UNUSED);
  });
}

function topLevelDeclaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((decl) => bindingNames(decl.name));
  }
  if (ts.isModuleDeclaration(statement)) return ts.isIdentifier(statement.name) ? [statement.name.text] : [];
  if (
    ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)
    || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)
  ) {
    return statement.name ? [statement.name.text] : [];
  }
  return [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isBindingElement(element) ? bindingNames(element.name) : []));
}

/** What the walk saw of JSX, for the JSX factory. */
interface JsxSeen {
  elements: boolean;
  fragments: boolean;
}

/**
 * The single pass: every identifier whose text is an imported name is classified as a use (unless a local
 * shadows it), a declaration that makes the import doubtful, or neither. Only the identifiers are visited, from
 * the flat tree's index by kind. A name no scope declares (no identifier of that text names a scope's declaration)
 * cannot be shadowed: its references, most of them, skip the scope lookup.
 */
function walkUses(sourceFile: ts.SourceFile, names: ReadonlySet<string>, used: Set<string>, unsure: Set<string>): JsxSeen {
  const tree = flatTree(sourceFile);
  const matching: ts.Identifier[] = [];
  const declaredLocally = new Set<string>();
  for (const index of tree.ofKind(ts.SyntaxKind.Identifier)) {
    const id = tree.nodes[index] as ts.Identifier;
    const text = id.text;
    if (!names.has(text)) continue;
    matching.push(id);
    if (namesScopeDeclaration(id)) declaredLocally.add(text);
  }
  const scopes = new ScopeIndex();
  for (const id of matching) {
    const text = id.text;
    if (!used.has(text)) classifyIdentifier(id, declaredLocally.has(text) ? scopes : undefined, used, unsure);
  }
  return {
    elements: tree.ofKind(ts.SyntaxKind.JsxElement).length > 0 || tree.ofKind(ts.SyntaxKind.JsxSelfClosingElement).length > 0,
    fragments: tree.ofKind(ts.SyntaxKind.JsxFragment).length > 0,
  };
}

/** `scopes` is absent when no scope declares the name: a reference to it is then a use of the import. */
function classifyIdentifier(id: ts.Identifier, scopes: ScopeIndex | undefined, used: Set<string>, unsure: Set<string>): void {
  if (isReferenceName(id)) {
    if (!scopes?.isShadowed(id, referenceMeaning(id))) used.add(id.text);
  } else if (isDoubtfulDeclaration(id)) {
    unsure.add(id.text);
  }
}

/**
 * A declaration named like an import that may augment it: an interface or namespace of that name anywhere, or
 * anything declared inside a namespace / `declare module` / `declare global` block (module augmentations).
 * The import specifiers themselves are at the top level, so they never match.
 */
function isDoubtfulDeclaration(id: ts.Identifier): boolean {
  if (ts.isInterfaceDeclaration(id.parent) || ts.isModuleDeclaration(id.parent)) return true;
  for (let node: ts.Node = id.parent; node.kind !== ts.SyntaxKind.SourceFile; node = node.parent) {
    if (ts.isModuleDeclaration(node)) return true;
  }
  return false;
}

/**
 * The classic JSX runtime calls the factory (`React.createElement` unless a leading `@jsx` pragma names another)
 * for elements and the fragment factory (`React.Fragment` unless `@jsxFrag`) for fragments. Pragmas that
 * TypeScript would ignore (not leading) are still honoured by Babel: their names become `unsure`.
 */
function markJsxFactoryUses(text: string, jsx: JsxSeen, used: Set<string>, unsure: Set<string>): void {
  if (!jsx.elements && !jsx.fragments) return;
  const pragmas = readJsxPragmas(text);
  if (jsx.elements) used.add(pragmas.factory ?? 'React');
  if (jsx.fragments) used.add(pragmas.fragmentFactory ?? 'React');
  for (const name of pragmas.mentioned) unsure.add(name);
}
