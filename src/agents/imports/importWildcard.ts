import { ts } from 'ts-morph';
import type { Fix, TextEdit } from '../../core/model';
import { flatTree } from '../shared/astWalk';
import { packageNameOf } from './importDependencies';
import { readJsDocMentions, readJsxPragmas } from './importMentions';
import { listOf } from '../../core/wording';

/**
 * `imports/wildcard` for scripts: `import * as ns from 'x'` used for a few members only, which named imports say
 * better (and let bundlers and readers see what is used). The rewrite is offered only when it is certainly
 * equivalent, so every doubt skips the import, reported or not: a wrong fix costs a broken file.
 *
 * One semantic difference is accepted, as TypeScript's own "convert to named imports" refactor accepts it: a call
 * `ns.f()` runs `f` with `this === ns`, `f()` with `this === undefined`. Module exports that read `this` are rare.
 */

/** "A few": more members than this keep the namespace, which then reads better than a long list. */
export const MAX_WILDCARD_MEMBERS = 3;

/**
 * Packages whose namespace import is the ecosystem's idiom, written that way in their own documentation and
 * nearly every codebase: `vscode.window`, `React.useState` (also the classic JSX factory), `ts.SyntaxKind`,
 * `z.string()` (zod 4's documented import). Suggesting named imports there is noise, so they and their subpaths
 * (`zod/v4`, `react-dom/client`) are never reported.
 */
const IDIOMATIC_NAMESPACES: ReadonlySet<string> = new Set(['vscode', 'react', 'react-dom', 'typescript', 'zod']);

/** Specifiers of non-script modules (JSON, styles, assets): their named exports depend on the bundler. */
const ASSET_SPECIFIER = /\.(?:json5?|css|scss|sass|less|styl|pcss|svg|png|jpe?g|gif|webp|avif|ico|wasm|graphql|gql|html?|md|mdx|txt|ya?ml|toml|vue|svelte)(?:\?.*)?$/i;

/**
 * Names a member may not be imported under even though `ns.name` is fine: strict-mode restricted names, names
 * TypeScript reserves at the top of a module (`require`, `exports`, `Promise` with async functions), and globals
 * whose shadowing would surprise the next reader. Keywords (`default`, `delete`, `type`, `string`...) are
 * rejected separately.
 */
const UNSAFE_MEMBER_NAMES: ReadonlySet<string> = new Set([
  'arguments', 'eval', 'require', 'exports', 'module', '__dirname', '__filename', 'Promise', 'NaN', 'Infinity',
  'globalThis', '__proto__', 'Object', 'Array', 'Symbol', 'Error', 'JSON', 'Math',
]);

/** Property names that never resolve a binding: adding an import of that name cannot change them. */
const NAME_ONLY_PARENTS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.PropertyAssignment, ts.SyntaxKind.PropertySignature, ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.MethodDeclaration, ts.SyntaxKind.MethodSignature, ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor, ts.SyntaxKind.JsxAttribute,
]);

/** A namespace import used only for a few members, with its fix when the text allows a clean rewrite. */
export interface WildcardCandidate {
  readonly declaration: ts.ImportDeclaration;
  /** The namespace's local name (the finding's range). */
  readonly name: ts.Identifier;
  readonly moduleName: string;
  /** The members used, in order of first use. */
  readonly members: readonly string[];
  readonly fix: Fix | undefined;
}

/** One `ns.member` in the file. */
interface MemberUse {
  readonly member: string;
  /** From the start of `ns` to the start of the member name: the text the fix deletes. */
  readonly start: number;
  readonly end: number;
  /** In a type position (`ns.T`, `typeof ns.x`, `implements ns.I`): imported with `type` unless used as a value too. */
  readonly typeOnly: boolean;
  /** Only blanks and the dot between `ns` and the member: deleting it loses no comment. */
  readonly clean: boolean;
  /** The member is spelled like a keyword, contextual ones included (`default`, `delete`, `type`, `of`...). */
  readonly keyword: boolean;
}

/** What the walk learns about one namespace import. */
interface Tracked {
  readonly declaration: ts.ImportDeclaration;
  readonly name: ts.Identifier;
  readonly uses: MemberUse[];
  blocked: boolean;
}

/** What the walk learns about the whole file. */
interface FileFacts {
  /** Texts of every identifier that may resolve a binding (property names excluded). */
  readonly identifiers: Set<string>;
  hasJsx: boolean;
  hasDecorators: boolean;
}

/** The namespace imports of `sourceFile` that a few named imports would replace, in source order. */
export function findWildcardCandidates(sourceFile: ts.SourceFile, isJavaScript: boolean): WildcardCandidate[] {
  const tracked = trackNamespaceImports(sourceFile);
  if (tracked.size === 0) return [];
  const facts = walkFile(sourceFile, tracked);
  const text = sourceFile.text;
  const pragmas = facts.hasJsx ? readJsxPragmas(text).mentioned : [];
  const claimed = new Map<string, number>();
  const kept: Tracked[] = [];
  for (const entry of tracked.values()) {
    entry.uses.sort((a, b) => a.start - b.start);
    const members = distinctMembers(entry.uses);
    if (entry.blocked || members.length === 0 || members.length > MAX_WILDCARD_MEMBERS) continue;
    if (!membersAreSafe(entry, members, facts, isJavaScript)) continue;
    const ns = entry.name.text;
    if (facts.hasJsx && (ns === 'React' || pragmas.includes(ns) || members.some((m) => m === 'h' || m === 'createElement'))) {
      continue; // The JSX factory may be this namespace, used where no `ns` is written.
    }
    if (readJsDocMentions(text, new Set([ns, ...members]), isJavaScript).size > 0) continue;
    for (const member of members) claimed.set(member, (claimed.get(member) ?? 0) + 1);
    kept.push(entry);
  }
  // Two namespaces giving the same name would import it twice once both fixes are applied.
  return kept
    .filter((entry) => entry.uses.every((use) => claimed.get(use.member) === 1))
    .map((entry) => toCandidate(sourceFile, entry));
}

/** Top-level `import * as ns from 'x'` without a default binding, attributes, or an idiomatic or asset module. */
function trackNamespaceImports(sourceFile: ts.SourceFile): Map<string, Tracked> {
  const tracked = new Map<string, Tracked>();
  const seen = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const named = clause?.namedBindings;
    if (!clause || !named || !ts.isNamespaceImport(named)) continue;
    const name = named.name.text;
    const moduleName = statement.moduleSpecifier.text;
    const eligible = !clause.name && !statement.attributes && clause.phaseModifier !== ts.SyntaxKind.DeferKeyword
      && !IDIOMATIC_NAMESPACES.has(packageNameOf(moduleName) ?? '') && !ASSET_SPECIFIER.test(moduleName);
    if (seen.has(name)) tracked.delete(name); // Bound twice: an error, not ours to fix.
    else if (eligible) tracked.set(name, { declaration: statement, name: named.name, uses: [], blocked: false });
    seen.add(name);
  }
  return tracked;
}

/**
 * One pass over the identifiers (the flat tree's index by kind): each one spelled like a tracked namespace is a
 * member use or blocks that namespace; every one that may resolve a binding is recorded for the shadowing check.
 */
function walkFile(sourceFile: ts.SourceFile, tracked: ReadonlyMap<string, Tracked>): FileFacts {
  const tree = flatTree(sourceFile);
  const has = (kind: ts.SyntaxKind): boolean => tree.ofKind(kind).length > 0;
  const facts: FileFacts = {
    identifiers: new Set(),
    hasJsx: has(ts.SyntaxKind.JsxElement) || has(ts.SyntaxKind.JsxSelfClosingElement) || has(ts.SyntaxKind.JsxFragment),
    hasDecorators: has(ts.SyntaxKind.Decorator),
  };
  for (const index of tree.ofKind(ts.SyntaxKind.Identifier)) {
    const id = tree.nodes[index] as ts.Identifier;
    if (!isNameOnly(id)) facts.identifiers.add(id.text);
    const entry = tracked.get(id.text);
    if (entry && id !== entry.name) classifyNamespaceIdentifier(sourceFile, id, entry);
  }
  return facts;
}

/** A member or property name: `o.x`, `A.B`'s `B`, `{ x: 1 }`, `class { x() {} }`, `<a x="" />`, `{ x as y }`'s `x`. */
function isNameOnly(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.name === id;
  if (ts.isQualifiedName(parent)) return parent.right === id;
  if (ts.isImportSpecifier(parent)) return parent.propertyName === id;
  return NAME_ONLY_PARENTS.has(parent.kind) && (parent as { name?: ts.Node }).name === id;
}

/** Records `ns.member` as a use; any other identifier spelled `ns` (a value use, a local, `typeof ns`) blocks. */
function classifyNamespaceIdentifier(sourceFile: ts.SourceFile, id: ts.Identifier, entry: Tracked): void {
  if (isNameOnly(id)) return; // `other.ns`, `{ ns: 1 }`: unrelated to the import.
  const use = memberUse(sourceFile, id);
  if (use) entry.uses.push(use);
  else entry.blocked = true;
}

function memberUse(sourceFile: ts.SourceFile, id: ts.Identifier): MemberUse | undefined {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === id && ts.isIdentifier(parent.name)) {
    if (isWritten(parent) || isIntrinsicJsxTag(parent)) return undefined;
    return use(sourceFile, id, parent.name, isInTypeHeritage(parent), /^\s*\??\.\s*$/);
  }
  if (ts.isQualifiedName(parent) && parent.left === id && isTypeQualifiedName(parent)) {
    return use(sourceFile, id, parent.right, true, /^\s*\.\s*$/);
  }
  return undefined;
}

function use(sourceFile: ts.SourceFile, id: ts.Identifier, member: ts.Identifier, typeOnly: boolean, separator: RegExp): MemberUse {
  const start = id.getStart(sourceFile);
  const end = member.getStart(sourceFile);
  return {
    member: member.text, start, end, typeOnly,
    clean: separator.test(sourceFile.text.slice(id.end, end)),
    keyword: ts.identifierToKeywordKind(member) !== undefined,
  };
}

/**
 * `ns.x = 1`, `ns.x++`, `delete ns.x`, `[ns.x] = a`, `for (ns.x of a)`: writes to a namespace are errors already,
 * not ours to rewrite. Climbs through parentheses and destructuring patterns to the assignment, if any.
 */
function isWritten(access: ts.PropertyAccessExpression): boolean {
  let node: ts.Node = access;
  let parent = node.parent;
  while (
    ts.isParenthesizedExpression(parent) || ts.isArrayLiteralExpression(parent) || ts.isObjectLiteralExpression(parent)
    || ts.isSpreadElement(parent) || ts.isSpreadAssignment(parent) || ts.isShorthandPropertyAssignment(parent)
    || (ts.isPropertyAssignment(parent) && parent.initializer === node)
  ) {
    node = parent;
    parent = parent.parent;
  }
  if (ts.isBinaryExpression(parent)) {
    const operator = parent.operatorToken.kind;
    return parent.left === node && operator >= ts.SyntaxKind.FirstAssignment && operator <= ts.SyntaxKind.LastAssignment;
  }
  if (ts.isForInStatement(parent) || ts.isForOfStatement(parent)) return parent.initializer === node;
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) {
    return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  }
  return ts.isDeleteExpression(parent);
}

/** `<ns.div>` would become the intrinsic `<div>`. */
function isIntrinsicJsxTag(access: ts.PropertyAccessExpression): boolean {
  const parent = access.parent;
  const isTag = (ts.isJsxOpeningElement(parent) || ts.isJsxSelfClosingElement(parent) || ts.isJsxClosingElement(parent))
    && parent.tagName === access;
  return isTag && /^[a-z]/.test(access.name.text);
}

/** `implements ns.I`, `interface X extends ns.I`: the chain names a type. */
function isInTypeHeritage(access: ts.PropertyAccessExpression): boolean {
  let top: ts.Node = access;
  while (ts.isPropertyAccessExpression(top.parent)) top = top.parent;
  const heritage = top.parent;
  if (!ts.isExpressionWithTypeArguments(heritage) || !ts.isHeritageClause(heritage.parent)) return false;
  return heritage.parent.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(heritage.parent.parent);
}

/** `ns.A.B` in a type reference or a `typeof` query; not in `import x = ns.A`, where the rewrite is untested. */
function isTypeQualifiedName(name: ts.QualifiedName): boolean {
  let top: ts.Node = name;
  while (ts.isQualifiedName(top.parent)) top = top.parent;
  return ts.isTypeReferenceNode(top.parent) || ts.isTypeQueryNode(top.parent);
}

function distinctMembers(uses: readonly MemberUse[]): string[] {
  return [...new Set(uses.map((u) => u.member))];
}

/**
 * Each member can be a local name without changing anything: an identifier (it is one in `ns.member`) that is no
 * keyword (so not `default`),
 * not spelled like any other binding or reference of the file (a conservative shadowing check), and, when only
 * used as a type, importable with `type` (not in JS, and not next to decorators, whose metadata may need the
 * value).
 */
function membersAreSafe(entry: Tracked, members: readonly string[], facts: FileFacts, isJavaScript: boolean): boolean {
  const typeImport = entry.declaration.importClause?.phaseModifier === ts.SyntaxKind.TypeKeyword;
  return members.every((member) => {
    if (UNSAFE_MEMBER_NAMES.has(member) || entry.uses.some((u) => u.member === member && u.keyword)) return false;
    if (member !== entry.name.text && facts.identifiers.has(member)) return false;
    const typeOnly = !typeImport && entry.uses.every((u) => u.member !== member || u.typeOnly);
    return !typeOnly || (!isJavaScript && !facts.hasDecorators);
  });
}

function toCandidate(sourceFile: ts.SourceFile, entry: Tracked): WildcardCandidate {
  const members = distinctMembers(entry.uses);
  const moduleName = (entry.declaration.moduleSpecifier as ts.StringLiteral).text;
  const fix = entry.uses.every((u) => u.clean) ? namedImportsFix(sourceFile, entry, members, moduleName) : undefined;
  return { declaration: entry.declaration, name: entry.name, moduleName, members, fix };
}

/**
 * `* as ns` becomes `{ a, type T }` (`import type` keeps its keyword and needs no inline `type`), and every
 * `ns.a` becomes `a`. A member used only as a type gets `type`, so the import stays elided as the namespace was.
 */
function namedImportsFix(sourceFile: ts.SourceFile, entry: Tracked, members: readonly string[], moduleName: string): Fix {
  const clause = entry.declaration.importClause as ts.ImportClause;
  const namespace = clause.namedBindings as ts.NamespaceImport;
  const typeImport = clause.phaseModifier === ts.SyntaxKind.TypeKeyword;
  const specifiers = members.map((member) => {
    const typeOnly = !typeImport && entry.uses.every((u) => u.member !== member || u.typeOnly);
    return typeOnly ? `type ${member}` : member;
  });
  const edits: TextEdit[] = [
    { start: namespace.getStart(sourceFile), end: namespace.end, newText: `{ ${specifiers.join(', ')} }` },
    ...entry.uses.map((u) => ({ start: u.start, end: u.end, newText: '' })),
  ];
  // Rewrites every use and drops the namespace the user may be about to use again: opt-in on save.
  return { title: `Import ${listOf(members)} from '${moduleName}' by name`, edits, safe: false };
}
