import { ts } from 'ts-morph';
import type { Fix, TextEdit } from '../../core/model';
import { detectEol } from '../../core/text';
import { removeStatementEdit } from './importFixes';
import { appendAll } from '../../core/arrays';

/**
 * Duplicate imports: several top-level declarations importing the same module the same way. Grouping and the
 * merge fix live here; the agent turns groups into findings.
 */

/** Declarations of one module imported the same way, in source order (`first` then the duplicates). */
export interface DuplicateGroup {
  readonly moduleName: string;
  readonly first: ts.ImportDeclaration;
  readonly duplicates: readonly ts.ImportDeclaration[];
}

/**
 * Groups top-level imports by module specifier, kind (side-effect, type-only, value), phase and import
 * attributes. Namespace imports stay out: `import * as a` next to `import { b }` cannot be one declaration.
 */
export function findDuplicateImports(sourceFile: ts.SourceFile): DuplicateGroup[] {
  const groups = new Map<string, ts.ImportDeclaration[]>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const key = groupKey(sourceFile, statement);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(statement);
    else groups.set(key, [statement]);
  }
  const duplicates: DuplicateGroup[] = [];
  for (const [first, ...rest] of groups.values()) {
    if (!first || rest.length === 0) continue;
    const moduleName = (first.moduleSpecifier as ts.StringLiteral).text;
    duplicates.push({ moduleName, first, duplicates: rest });
  }
  return duplicates;
}

function groupKey(sourceFile: ts.SourceFile, declaration: ts.ImportDeclaration): string | undefined {
  const clause = declaration.importClause;
  if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) return undefined;
  const kind = !clause ? 'side-effect' : clause.phaseModifier === ts.SyntaxKind.TypeKeyword ? 'type' : 'value';
  const phase = clause?.phaseModifier === ts.SyntaxKind.DeferKeyword ? 'defer' : '';
  const attributes = declaration.attributes?.elements.map((element) => element.getText(sourceFile)).join(',') ?? '';
  const moduleName = (declaration.moduleSpecifier as ts.StringLiteral).text;
  return JSON.stringify([moduleName, kind, phase, attributes]);
}

/**
 * One fix for the whole group (attached to each duplicate's finding, so the edits are identical): the
 * duplicates' default and named specifiers move into the first declaration, identical specifiers once, and the
 * duplicates go. `undefined` when that cannot be done safely (two different default names, one local name bound
 * to two different exports, a type-only import that would need both a default and named bindings, or a
 * declaration whose removal is unsafe).
 */
export function mergeDuplicatesFix(sourceFile: ts.SourceFile, group: DuplicateGroup): Fix | undefined {
  const edits: TextEdit[] = [];
  if (group.first.importClause) {
    const merged = mergedClauseEdits(sourceFile, group);
    if (!merged) return undefined;
    appendAll(edits, merged);
  }
  for (const duplicate of group.duplicates) {
    const removal = removeStatementEdit(sourceFile, duplicate);
    if (!removal) return undefined;
    edits.push(removal);
  }
  // Every binding stays, only the declarations merge: safe to apply on save.
  return { title: `Merge duplicate imports of '${group.moduleName}'`, edits, safe: true };
}

/** What the duplicates add to the first declaration. */
interface Additions {
  defaultName: string | undefined;
  specifiers: string[];
}

function mergedClauseEdits(sourceFile: ts.SourceFile, group: DuplicateGroup): TextEdit[] | undefined {
  const clause = group.first.importClause as ts.ImportClause;
  const additions = collectAdditions(sourceFile, group);
  if (!additions) return undefined;
  const named = clause.namedBindings as ts.NamedImports | undefined;
  const hasNamed = additions.specifiers.length > 0 || (named?.elements.length ?? 0) > 0;
  if (clause.phaseModifier === ts.SyntaxKind.TypeKeyword && (clause.name || additions.defaultName) && hasNamed) {
    return undefined; // `import type D, { a }` is not allowed.
  }
  return clauseEdits(sourceFile, clause, additions);
}

/**
 * The duplicates' bindings the first declaration lacks, keyed by what they bind (`type? export as local`);
 * `undefined` on a conflict.
 */
function collectAdditions(sourceFile: ts.SourceFile, group: DuplicateGroup): Additions | undefined {
  const clause = group.first.importClause as ts.ImportClause;
  const bound = new Map<string, string>(); // local name → key of what it binds
  if (clause.name) bound.set(clause.name.text, 'default');
  for (const element of namedElements(clause)) bound.set(element.name.text, specifierKey(element));
  const additions: Additions = { defaultName: undefined, specifiers: [] };
  let defaultName = clause.name?.text;
  for (const duplicate of group.duplicates) {
    const other = duplicate.importClause as ts.ImportClause;
    if (other.name) {
      // Two names for one default export would need two declarations again.
      if (defaultName !== undefined && defaultName !== other.name.text) return undefined;
      if (!bind(bound, other.name.text, 'default')) return undefined;
      defaultName = other.name.text;
      if (!clause.name) additions.defaultName = defaultName;
    }
    for (const element of namedElements(other)) {
      const isNew = !bound.has(element.name.text);
      if (!bind(bound, element.name.text, specifierKey(element))) return undefined;
      if (isNew) additions.specifiers.push(element.getText(sourceFile));
    }
  }
  return additions;
}

/** Records that `local` binds `key`; false when it already binds something else. */
function bind(bound: Map<string, string>, local: string, key: string): boolean {
  const existing = bound.get(local);
  if (existing !== undefined) return existing === key;
  bound.set(local, key);
  return true;
}

function namedElements(clause: ts.ImportClause): readonly ts.ImportSpecifier[] {
  const named = clause.namedBindings;
  return named && ts.isNamedImports(named) ? named.elements : [];
}

function specifierKey(element: ts.ImportSpecifier): string {
  const exported = (element.propertyName ?? element.name).text;
  return JSON.stringify([element.isTypeOnly, exported]);
}

/** Edits on the first declaration's clause adding a default and specifiers, keeping its layout. */
function clauseEdits(sourceFile: ts.SourceFile, clause: ts.ImportClause, additions: Additions): TextEdit[] {
  const named = clause.namedBindings as ts.NamedImports | undefined;
  const { defaultName, specifiers } = additions;
  if (!named) {
    // Default only (a clause has one or the other): append the list after the name.
    const name = clause.name as ts.Identifier;
    return specifiers.length > 0 ? [insert(name.end, `, { ${specifiers.join(', ')} }`)] : [];
  }
  const edits: TextEdit[] = [];
  const last = named.elements[named.elements.length - 1];
  if (!last) {
    // `import {} from 'm'`: rewrite the empty list.
    const list = specifiers.length > 0 ? `{ ${specifiers.join(', ')} }` : '';
    const text = defaultName && list ? `${defaultName}, ${list}` : (defaultName ?? list);
    return text ? [{ start: named.getStart(sourceFile), end: named.end, newText: text }] : [];
  }
  if (defaultName) edits.push(insert(named.getStart(sourceFile), `${defaultName}, `));
  const separator = listSeparator(sourceFile, named, last);
  if (specifiers.length > 0) edits.push(insert(last.end, separator + specifiers.join(separator)));
  return edits;
}

/**
 * `, ` in a one-line list and in a list packing several names on a line; a line break and the last specifier's
 * indentation in a list of one per line.
 */
function listSeparator(sourceFile: ts.SourceFile, named: ts.NamedImports, last: ts.ImportSpecifier): string {
  const text = sourceFile.text;
  const lastStart = last.getStart(sourceFile);
  const between = text.slice(named.getStart(sourceFile) + 1, lastStart);
  if (!/[\r\n]/.test(between) || packsSeveralPerLine(sourceFile, named)) return ', ';
  const lineStart = Math.max(text.lastIndexOf('\n', lastStart - 1), text.lastIndexOf('\r', lastStart - 1)) + 1;
  const indent = text.slice(lineStart, lastStart);
  const eol = detectEol(text);
  return /^\s*$/.test(indent) ? `,${eol}${indent}` : ', ';
}

/** Whether two neighbouring specifiers of the list share a line. */
function packsSeveralPerLine(sourceFile: ts.SourceFile, named: ts.NamedImports): boolean {
  const { elements } = named;
  for (let i = 1; i < elements.length; i++) {
    if (!/[\r\n]/.test(sourceFile.text.slice(elements[i - 1].end, elements[i].getStart(sourceFile)))) return true;
  }
  return false;
}

function insert(position: number, newText: string): TextEdit {
  return { start: position, end: position, newText };
}
