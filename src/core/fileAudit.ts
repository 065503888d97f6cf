import type { ts } from 'ts-morph';
import type { AgentInput, LanguageKind } from '../agents/agent';
import { extensionOf, languageOf } from './languages';
import type { Finding } from './model';
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
 * Builds the agents' view of a file, parsing it at most once however many agents ask. `project` is the file's
 * project context, when known (see `ProjectIndex`).
 */
export function createAgentInput(
  path: string, text: string, language: LanguageKind = languageOf(path), project?: ProjectContext,
): AgentInput {
  let parsed: ParsedSourceFile | undefined;
  const ast = (): ts.SourceFile | undefined => {
    if (language !== 'script') return undefined;
    if (!parsed) {
      const compiler = typescript();
      // Parents are set by the flat tree's traversal, which every agent reads anyway (see `flatTree`). JSDoc is
      // not parsed into nodes: agents read comments as text (a JSDoc syntax error is no syntax error either).
      const options = { languageVersion: compiler.ScriptTarget.Latest, jsDocParsingMode: compiler.JSDocParsingMode.ParseNone };
      parsed = compiler.createSourceFile(path, text, options, false, scriptKindOf(path)) as ParsedSourceFile;
      flatTree(parsed);
    }
    return parsed;
  };
  return {
    path,
    text,
    language,
    ast,
    syntaxErrors: () => (ast() as ParsedSourceFile | undefined)?.parseDiagnostics ?? [],
    ...(project ? { project } : {}),
  };
}

/** Orders findings by position, then rule, so reports and diagnostics are stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line
    || a.range.start.column - b.range.start.column
    || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
