import type { ts } from 'ts-morph';
import type { AgentInput, LanguageKind } from '../agent';
import { extensionOf, languageOf } from './languages';
import type { Finding } from '../model';
import type { ProjectContext } from './projectContext';
import { flatTree, typescript } from './syntaxTree';

/** ScriptKind from the extension: .ts/.mts/.cts reject JSX (type assertions use `<T>`); the JS kinds accept it, as Babel does. */
export function scriptKindOf(path: string): ts.ScriptKind {
  const { ScriptKind } = typescript();
  switch (extensionOf(path)) {
    case '.tsx': return ScriptKind.TSX;
    case '.jsx': return ScriptKind.JSX;
    case '.js': case '.mjs': case '.cjs': return ScriptKind.JS;
    default: return ScriptKind.TS;
  }
}

/** Parse diagnostics are not on TypeScript's public surface; every parser build has carried them since 1.x. */
interface ParsedSourceFile extends ts.SourceFile {
  readonly parseDiagnostics?: readonly ts.DiagnosticWithLocation[];
}

/**
 * The last trees of texts being edited, by path, so the next version of each is parsed incrementally
 * (`ts.updateSourceFile` reuses the nodes outside the change: a keystroke in a 2,000-line file re-parses in about
 * two thirds of the time). A few only, and small ones: a tree, flat tree included, takes some 50 times its text's
 * size (4.8 MB for a 92 KB file), so beyond `maxChars` of text in all the oldest go (the newest is always kept).
 * The incremental parser takes the old tree's nodes over, so an owner must not be audited twice at once (a runner
 * thread runs one file at a time).
 */
export class EditedTrees {
  private readonly trees = new Map<string, ParsedSourceFile>();
  private chars = 0;

  constructor(private readonly kept = 4, private readonly maxChars = 1_000_000) {}

  /** `text`'s tree for `path`: the kept one if the text is the same, an update of it if not, else a parse. */
  parse(path: string, text: string): ParsedSourceFile {
    const previous = this.trees.get(path);
    if (previous) this.forget(path, previous);
    let tree: ParsedSourceFile;
    if (previous?.text === text) tree = previous;
    else if (previous) tree = typescript().updateSourceFile(previous, text, changeRange(previous.text, text)) as ParsedSourceFile;
    else tree = parseScript(path, text);
    this.trees.set(path, tree);
    this.chars += text.length;
    for (const [oldest, old] of this.trees) {
      if (this.trees.size <= 1 || (this.trees.size <= this.kept && this.chars <= this.maxChars)) break;
      this.forget(oldest, old);
    }
    return tree;
  }

  private forget(path: string, tree: ParsedSourceFile): void {
    this.trees.delete(path);
    this.chars -= tree.text.length;
  }
}

/** The span of `before` that `after` replaced: between their common prefix and their common suffix. */
export function changeRange(before: string, after: string): ts.TextChangeRange {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < shorter - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { span: { start, length: before.length - start - tail }, newLength: after.length - start - tail };
}

/**
 * A script's tree as the agents read it. Parents are set by the flat tree's traversal, which every agent reads
 * anyway (see `flatTree`). JSDoc is not parsed into nodes: agents read comments as text (a JSDoc syntax error is
 * no syntax error either).
 */
function parseScript(path: string, text: string): ParsedSourceFile {
  const compiler = typescript();
  const options = { languageVersion: compiler.ScriptTarget.Latest, jsDocParsingMode: compiler.JSDocParsingMode.ParseNone };
  return compiler.createSourceFile(path, text, options, false, scriptKindOf(path)) as ParsedSourceFile;
}

/**
 * Thrown by `AgentInput.ast()` (and `syntaxErrors()`) when the parser itself failed on the text, as it does by
 * overflowing its stack on a few thousand nested parentheses. A property of the file, not of the agent that asked:
 * it never counts toward an agent's circuit breaker (see `failureOf` in execution.ts).
 */
export class UnparseableFile extends Error {
  constructor(readonly reason: string) {
    super(`the TypeScript parser failed on this file (${reason})`);
    this.name = 'UnparseableFile';
  }
}

/**
 * Builds the agents' view of a file, parsing it at most once however many agents ask. `project` is the file's
 * project context, when known (see `ProjectIndex`); `edited`, where to keep the trees of texts being edited.
 * A parser failure is kept too: every later `ast()` throws the same `UnparseableFile` without parsing again.
 */
export function createAgentInput(
  path: string, text: string, language: LanguageKind = languageOf(path), project?: ProjectContext, edited?: EditedTrees,
): AgentInput {
  let parsed: ParsedSourceFile | undefined;
  let failure: UnparseableFile | undefined;
  const ast = (): ts.SourceFile | undefined => {
    if (language !== 'script') return undefined;
    if (failure) throw failure;
    if (!parsed) {
      try {
        const tree = edited ? edited.parse(path, text) : parseScript(path, text);
        flatTree(tree);
        parsed = tree;
      } catch (error) {
        failure = new UnparseableFile(error instanceof Error ? error.message : String(error));
        throw failure;
      }
    }
    return parsed;
  };
  return {
    path,
    text,
    language,
    ast,
    syntaxErrors: () => (ast() as ParsedSourceFile | undefined)?.parseDiagnostics ?? [],
    parseFailure: () => failure?.reason,
    ...(project ? { project } : {}),
  };
}

/** Orders findings by position, then rule, so reports and diagnostics are stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line
    || a.range.start.column - b.range.start.column
    || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
