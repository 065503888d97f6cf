import { ts } from 'ts-morph';
import type { TextEdit } from '../../../src/core/model';
import {
  insertion, insideToken, lineIndexAt, linesBetweenStatements, type PlantContext, type Site,
} from './plantContext';
import { randomInt, type Random } from './random';

/** Statements that nothing after them can continue, so an import may follow them (the agent's ASI rule). */
const TERMINATED: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.ImportDeclaration, ts.SyntaxKind.ImportEqualsDeclaration, ts.SyntaxKind.ExportDeclaration,
  ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration, ts.SyntaxKind.EnumDeclaration, ts.SyntaxKind.ModuleDeclaration,
]);

/** Comments by which a user keeps an import on purpose: the agent rightly stays quiet under them. */
const KEPT_ON_PURPOSE = /@ts-|eslint-disable|biome-ignore/;

/** Before the first statement, or between a terminated statement and the next: a whole unused import line. */
export function unusedImportSites(context: PlantContext): Site[] {
  const { sourceFile, lines } = context;
  const statements = sourceFile.statements;
  if (!context.importsAudited || statements.length === 0) return [];
  const places = linesBetweenStatements(context).filter(({ statement }) => {
    const previous = statements[statement - 1];
    return TERMINATED.has(previous.kind) || context.text.charAt(previous.end - 1) === ';';
  }).map(({ line }) => line);
  const first = lineIndexAt(context, statements[0].getStart(sourceFile));
  if (!insideToken(context, lines[first].start)) places.push(first);
  // An import under `// @ts-ignore` (or a lint directive) is kept on purpose: the agent rightly says nothing. The
  // comments that lead a new line are those since the file's start, or since the previous statement's line.
  const suppressed = (line: number) =>
    KEPT_ON_PURPOSE.test(context.text.slice(line === first ? 0 : lines[line - 1].start, lines[line].start));
  return places.filter((line) => !suppressed(line)).map((line) => ({
    lines: [line],
    make: (_random, serial) => {
      const name = `plantedUnused${serial}`;
      return {
        edits: [insertion(lines[line].start, `import { ${name} } from './planted-${serial}';${context.eol}`)],
        defect: { kind: 'unused-import', line: line + 1, name },
        exactLayout: true,
      };
    },
  }));
}

/** Any named import list: one more name, never used, at a random place in the list. */
export function unusedBindingSites(context: PlantContext): Site[] {
  if (!context.importsAudited) return [];
  return namedImports(context).map(({ declaration, list }) => ({
    lines: declarationLines(context, declaration),
    make: (random, serial) => {
      const name = `plantedExtra${serial}`;
      const at = randomInt(random, 0, list.elements.length);
      const { edit, exactLayout } = extraBindingEdit(context, list, at, name, random);
      return {
        edits: [edit],
        defect: { kind: 'unused-binding', line: lineIndexAt(context, declaration.getStart(context.sourceFile)) + 1, name },
        exactLayout,
      };
    },
  }));
}

/**
 * Inserts `name` before the element at index `at` (after the last one when `at` is the length). Before an element
 * that starts its own line, the name gets its own line too, or half the time shares the element's line: removing
 * it then joins that element to the previous line, a layout change the tokens check still covers.
 */
function extraBindingEdit(
  context: PlantContext, list: ts.NamedImports, at: number, name: string, random: Random,
): { edit: TextEdit; exactLayout: boolean } {
  const elements = list.elements;
  if (at === elements.length) return { edit: insertion(elements[at - 1].end, `, ${name}`), exactLayout: true };
  const start = elements[at].getStart(context.sourceFile);
  const line = context.lines[lineIndexAt(context, start)];
  const indent = context.text.slice(line.start, start);
  if (at === 0 || !/^[ \t]*$/.test(indent)) return { edit: insertion(start, `${name}, `), exactLayout: true };
  if (random() < 0.5) return { edit: insertion(start, `${name},${context.eol}${indent}`), exactLayout: true };
  return { edit: insertion(start, `${name}, `), exactLayout: false };
}

/**
 * A named import of a module imported once, with two names or more: its last name moves to a second import of
 * the same module on the next line. Merging appends it back at the end of the list, where it was.
 */
export function duplicateImportSites(context: PlantContext): Site[] {
  if (!context.importsAudited) return [];
  const { sourceFile, text, lines } = context;
  const modules = new Map<string, number>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    modules.set(statement.moduleSpecifier.text, (modules.get(statement.moduleSpecifier.text) ?? 0) + 1);
  }
  const sites: Site[] = [];
  for (const { declaration, list } of namedImports(context)) {
    const clause = declaration.importClause!;
    const specifier = declaration.moduleSpecifier as ts.StringLiteral;
    const count = list.elements.length;
    if (count < 2 || modules.get(specifier.text) !== 1 || declaration.attributes) continue;
    if (clause.phaseModifier === ts.SyntaxKind.DeferKeyword) continue;
    const moved = list.elements[count - 1];
    const before = list.elements[count - 2];
    const between = text.slice(before.end, moved.getStart(sourceFile));
    const endLine = lineIndexAt(context, declaration.end);
    const rest = text.slice(declaration.end, lines[endLine].end);
    if (!/^\s*,\s*$/.test(between) || !/^\s*(?:\/\/.*)?$/.test(rest) || endLine + 1 >= lines.length) continue;
    if (lines[endLine].next === lines[endLine].end) continue; // No line break after it: the file ends there.
    const typeOnly = clause.phaseModifier === ts.SyntaxKind.TypeKeyword ? 'type ' : '';
    const duplicate = `import ${typeOnly}{ ${moved.getText(sourceFile)} } from ${specifier.getText(sourceFile)};`;
    sites.push({
      lines: [...declarationLines(context, declaration), endLine + 1],
      make: () => ({
        edits: [
          { start: before.end, end: moved.end, newText: '' },
          insertion(lines[endLine + 1].start, duplicate + context.eol),
        ],
        defect: { kind: 'duplicate-import', line: endLine + 2, name: specifier.text },
        // The merge writes `, ` (or a line break and indentation) before the name it brings back.
        exactLayout: between === ', ' || /^,\r?\n[ \t]*$/.test(between),
      }),
    });
  }
  return sites;
}

function namedImports(context: PlantContext): { declaration: ts.ImportDeclaration; list: ts.NamedImports }[] {
  const result: { declaration: ts.ImportDeclaration; list: ts.NamedImports }[] = [];
  for (const statement of context.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const list = statement.importClause?.namedBindings;
    if (!list || !ts.isNamedImports(list) || list.elements.length === 0) continue;
    const comments = ts.getLeadingCommentRanges(context.text, statement.pos) ?? [];
    if (comments.some((range) => KEPT_ON_PURPOSE.test(context.text.slice(range.pos, range.end)))) continue;
    result.push({ declaration: statement, list });
  }
  return result;
}

function declarationLines(context: PlantContext, declaration: ts.Node): number[] {
  const first = lineIndexAt(context, declaration.getStart(context.sourceFile));
  const last = lineIndexAt(context, declaration.end);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
