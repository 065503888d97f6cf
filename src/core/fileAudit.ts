import { ts } from 'ts-morph';
import type { Agent, AgentInput, LanguageKind } from '../agents/agent';
import { extensionOf, languageOf } from './languages';
import type { AgentFailure, Finding } from './model';
import type { ProjectContext } from './projectContext';

/** What the team found in one text, before scoring and caching. */
export interface TextAudit {
  readonly findings: Finding[];
  readonly failures: AgentFailure[];
  /** Ids of the agents that ran on this text (for the per-agent run counters). */
  readonly ran: string[];
  /** Each agent's findings, for the agents that ran without failing (what the result cache stores). */
  readonly byAgent: Map<string, Finding[]>;
}

/** ScriptKind from the extension: .ts/.mts/.cts reject JSX (type assertions use `<T>`); the JS kinds accept it, as Babel does. */
export function scriptKindOf(path: string): ts.ScriptKind {
  switch (extensionOf(path)) {
    case '.tsx': return ts.ScriptKind.TSX;
    case '.jsx': return ts.ScriptKind.JSX;
    case '.js': case '.mjs': case '.cjs': return ts.ScriptKind.JS;
    default: return ts.ScriptKind.TS;
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
    parsed ??= ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKindOf(path)) as ParsedSourceFile;
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

/**
 * Runs every applicable agent on one text. One agent throwing loses nothing else: its failure is
 * recorded and the other agents' findings are kept. An abort stops between agents and rethrows.
 * `project` is the file's project context, for the rules that depend on package.json and tsconfig.
 */
export async function auditText(
  path: string, text: string, agents: readonly Agent[], signal: AbortSignal, project?: ProjectContext,
): Promise<TextAudit> {
  const input = createAgentInput(path, text, languageOf(path), project);
  const result: TextAudit = { findings: [], failures: [], ran: [], byAgent: new Map() };
  for (const agent of agents) {
    if (!agent.appliesTo(input.language)) continue;
    signal.throwIfAborted();
    result.ran.push(agent.id);
    try {
      const findings = await agent.run(input, signal);
      result.byAgent.set(agent.id, findings);
      result.findings.push(...findings);
    } catch (error) {
      if (signal.aborted) throw error;
      result.failures.push({ agent: agent.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  result.findings.sort(compareFindings);
  return result;
}

/** Orders findings by position, then rule, so reports and diagnostics are stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line
    || a.range.start.column - b.range.start.column
    || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
