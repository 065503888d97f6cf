// Measures `imports/unused` (src/agents/imports/index.ts) against TypeScript's own verdict: a real ts.Program with
// noUnusedLocals over the same files, its diagnostics 6133 ("declared but its value is never read"), 6196
// ("declared but never used", type-only imports) and 6192 ("All imports in import declaration are unused"),
// mapped to one entry per imported binding (6192 names a whole declaration: each of its bindings counts).
//
// Two corpora: the files as they are, and a variant of every file where one to three statements that mention an
// imported name are deleted (the way imports become unused in real life), the file still parsing as before.
// Exported statements are never deleted, so a file's mutation does not change what the others import.
//
//   node --import tsx scripts/measure-unused-precision.ts [--seed N] [--dump DIR] [dir...]
//   (default dirs: node_modules/zod/src src; --dump writes the mutated files under DIR, to read a disagreement)
//
// Prints files, TypeScript's reports, ours, true positives, precision = TP / ours, recall = TP / TS, and every
// disagreement with the import's line and our verdict, so a person can judge who is right.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ts } from 'ts-morph';
import { importsAgent } from '../src/agents/imports';
import { analyzeImportUsage } from '../src/agents/imports/importUsage';
import { auditText } from '../src/core/run/execution';
import { createAgentInput } from '../src/core/files/fileAudit';
import { mulberry32 } from '../test/unit/helpers/random';

const DEFAULT_DIRS = ['node_modules/zod/src', 'src'];
const UNUSED_CODES = new Set([6133, 6196, 6192]);
const SCRIPT = /\.(?:[cm]?ts|tsx)$/;
const DECLARATION = /\.d\.(?:[^./]+\.)?[cm]?ts$/;
const signal = new AbortController().signal;

/** One imported binding, by where its name is declared. */
interface Binding {
  readonly key: string;
  readonly file: string;
  readonly line: number;
  readonly name: string;
  readonly lineText: string;
}

interface Measure {
  readonly label: string;
  readonly files: number;
  readonly ts: Map<string, Binding>;
  readonly ours: Map<string, Binding>;
  /** Our verdict on every binding of the corpus (to say why we disagree). */
  readonly verdicts: Map<string, string>;
  /** TypeScript's unused-import reports below the top level: counted, not compared (the agent skips them). */
  nested: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : undefined;
  };
  const seed = Number(option('--seed') ?? 0x5eed);
  const dump = option('--dump');
  const dirs = (args.length > 0 ? args : DEFAULT_DIRS).map((dir) => resolve(dir));
  const files = dirs.flatMap(listScripts);
  const originals = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
  const mutants = new Map<string, string>();
  // One stream per file, so a file's mutant does not depend on which other files are measured with it.
  for (const [file, text] of originals) {
    mutants.set(file, mutate(file, text, mulberry32(seed ^ hashString(display(file)))) ?? text);
  }
  const changed = [...mutants].filter(([file, text]) => text !== originals.get(file)).map(([file]) => file);
  if (dump) {
    for (const file of changed) {
      const target = join(resolve(dump), display(file).replace(/^(\.\.\/)+/, ''));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, mutants.get(file)!);
    }
  }
  console.log(`corpus: ${dirs.map(display).join(', ')} (${files.length} files; ${changed.length} mutated, seed ${seed})`);
  const measures = [
    await measure('as they are', originals, files),
    await measure('statements removed', mutants, changed),
  ];
  printTable(measures);
  for (const m of measures) printDisagreements(m);
}

function listScripts(dir: string): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`skipped (not a directory): ${dir}`);
    return [];
  }
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SCRIPT.test(entry.name) && !DECLARATION.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function display(file: string): string {
  return relative(process.cwd(), file).split(sep).join('/') || '.';
}

// ---------------------------------------------------------------------------------------------------------------
// Both sides of one corpus.

async function measure(label: string, texts: ReadonlyMap<string, string>, targets: readonly string[]): Promise<Measure> {
  const program = createProgram(texts);
  const result: Measure = { label, files: targets.length, ts: new Map(), ours: new Map(), verdicts: new Map(), nested: 0 };
  for (const file of targets) {
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) throw new Error(`not in the program: ${file}`);
    const bindings = topLevelBindings(sourceFile);
    for (const diagnostic of program.getSemanticDiagnostics(sourceFile)) {
      if (!UNUSED_CODES.has(diagnostic.code) || diagnostic.start === undefined) continue;
      const end = diagnostic.start + (diagnostic.length ?? 0);
      const hit = bindings.filter((b) => b.start >= diagnostic.start! && b.start < end);
      if (hit.length === 0 && isInsideImport(sourceFile, diagnostic.start)) result.nested++;
      for (const b of hit) result.ts.set(b.binding.key, b.binding);
    }
    await ours(file, texts.get(file)!, bindings, result);
  }
  return result;
}

function createProgram(texts: ReadonlyMap<string, string>): ts.Program {
  const options: ts.CompilerOptions = {
    noEmit: true, skipLibCheck: true, allowJs: false, noUnusedLocals: true, strict: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.Preserve, types: ['node'], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  };
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = texts.get(resolve(fileName));
    return text === undefined
      ? getSourceFile(fileName, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => texts.get(resolve(fileName)) ?? readFile(fileName);
  return ts.createProgram({ rootNames: [...texts.keys()], options, host });
}

/** Our findings on one file, and our verdict on each of its bindings. */
async function ours(file: string, text: string, bindings: readonly Located[], into: Measure): Promise<void> {
  // The agent run as the coordinator runs it: its own parse of the text, under the file's relative path.
  const { findings } = await auditText(display(file), text, [importsAgent], signal);
  for (const finding of findings) {
    if (finding.rule !== 'imports/unused') continue;
    const b = bindings.find((x) => x.binding.line === finding.range.start.line && x.column === finding.range.start.column);
    if (!b) throw new Error(`no import binding at ${display(file)}:${finding.range.start.line}:${finding.range.start.column}`);
    into.ours.set(b.binding.key, b.binding);
  }
  const input = createAgentInput(display(file), text);
  const sourceFile = input.ast();
  if (!sourceFile || input.syntaxErrors().length > 0) {
    for (const b of bindings) into.verdicts.set(b.binding.key, 'file has syntax errors: not judged');
    return;
  }
  const verdicts = analyzeImportUsage(sourceFile, { isJavaScript: false });
  for (const { binding, usage } of verdicts) {
    const start = binding.nameNode.getStart(sourceFile);
    const b = bindings.find((x) => x.start === start);
    if (b) into.verdicts.set(b.binding.key, usage);
  }
}

interface Located {
  readonly binding: Binding;
  readonly start: number;
  readonly column: number;
}

/** Every name bound by a top-level import of the file. */
function topLevelBindings(sourceFile: ts.SourceFile): Located[] {
  const names: ts.Identifier[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isImportEqualsDeclaration(statement)) names.push(statement.name);
    if (!ts.isImportDeclaration(statement) || !statement.importClause) continue;
    const clause = statement.importClause;
    if (clause.name) names.push(clause.name);
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) names.push(named.name);
    else if (named) names.push(...named.elements.map((element) => element.name));
  }
  const file = display(sourceFile.fileName);
  return names.map((name) => {
    const start = name.getStart(sourceFile);
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
    const lineText = sourceFile.text.slice(sourceFile.getPositionOfLineAndCharacter(line, 0)).split(/\r?\n/, 1)[0].trim();
    const binding = { key: `${file}:${line + 1}:${name.text}`, file, line: line + 1, name: name.text, lineText };
    return { binding, start, column: character + 1 };
  });
}

function isInsideImport(sourceFile: ts.SourceFile, position: number): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || position < node.pos || position >= node.end) return;
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// The mutated corpus: statements that mention an imported name are deleted.

/** Parents whose statements form a list, where deleting one leaves valid syntax. */
const STATEMENT_LISTS = new Set([
  ts.SyntaxKind.SourceFile, ts.SyntaxKind.Block, ts.SyntaxKind.ModuleBlock, ts.SyntaxKind.CaseClause,
  ts.SyntaxKind.DefaultClause,
]);

function mutate(file: string, text: string, random: () => number): string | undefined {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const names = new Set(topLevelBindings(sourceFile).map((b) => b.binding.name));
  if (names.size === 0) return undefined;
  const candidates: ts.Statement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node) || isExport(node)) return;
    if (STATEMENT_LISTS.has(node.parent?.kind) && isStatementLike(node) && node.end - node.pos < 1500 && mentions(node, names)) {
      candidates.push(node as ts.Statement);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  const chosen: ts.Statement[] = [];
  const wanted = 1 + Math.floor(random() * 3);
  for (let tries = 0; tries < 20 && chosen.length < wanted && candidates.length > 0; tries++) {
    const candidate = candidates[Math.floor(random() * candidates.length)];
    if (chosen.some((c) => c.pos < candidate.end && candidate.pos < c.end)) continue;
    chosen.push(candidate);
  }
  if (chosen.length === 0) return undefined;
  chosen.sort((a, b) => b.pos - a.pos);
  let mutated = text;
  for (const statement of chosen) mutated = mutated.slice(0, statement.getStart(sourceFile)) + mutated.slice(statement.end);
  const errors = (t: string) => createAgentInput(file, t).syntaxErrors().length;
  return errors(mutated) <= errors(text) ? mutated : undefined;
}

/**
 * Exports stay: deleting one changes what other files of the corpus import, and TypeScript then reports their
 * imports of it as unused (a value import that resolves to a type only), which says nothing about the file itself.
 */
function isExport(node: ts.Node): boolean {
  if (ts.isExportDeclaration(node) || ts.isExportAssignment(node)) return true;
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
}

function isStatementLike(node: ts.Node): boolean {
  return ts.isStatement(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isVariableStatement(node);
}

function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(node)) return names.has(node.text);
  return ts.forEachChild(node, (child) => mentions(child, names) || undefined) ?? false;
}

function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}


// ---------------------------------------------------------------------------------------------------------------
// Output.

function printTable(measures: readonly Measure[]): void {
  const rows = measures.map((m) => {
    const tp = [...m.ours.keys()].filter((key) => m.ts.has(key)).length;
    return [m.label, m.files, m.ts.size, m.ours.size, tp, percent(tp, m.ours.size), percent(tp, m.ts.size), m.nested];
  });
  const header = ['corpus', 'files', 'TS', 'ours', 'TP', 'precision', 'recall', 'TS nested'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const cell = (c: unknown, i: number) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]));
  const line = (cells: readonly unknown[]) => cells.map(cell).join('  ');
  console.log(`\n${line(header)}\n${rows.map(line).join('\n')}`);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`;
}

function printDisagreements(m: Measure): void {
  const tsOnly = [...m.ts.values()].filter((b) => !m.ours.has(b.key));
  const oursOnly = [...m.ours.values()].filter((b) => !m.ts.has(b.key));
  console.log(`\n[${m.label}] ${tsOnly.length} reported by TypeScript only, ${oursOnly.length} by us only`);
  for (const b of tsOnly) {
    console.log(`  TS only   ${b.file}:${b.line} ${b.name} (ours: ${m.verdicts.get(b.key) ?? '?'})  | ${b.lineText}`);
  }
  for (const b of oursOnly) console.log(`  ours only ${b.file}:${b.line} ${b.name}  | ${b.lineText}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
