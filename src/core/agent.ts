import type { ts } from 'ts-morph';
import { UnparseableFile } from './files/fileAudit';
import type { AgentId, Finding } from './model';
import type { ProjectContext } from './files/projectContext';
import { LineIndex } from './text';

/** How an agent sees a file's language. `script` covers .ts .tsx .js .jsx .mjs .cjs .mts .cts. */
export type LanguageKind = 'script' | 'python' | 'text';

/** What an agent is given for one file. */
export interface AgentInput {
  /** POSIX path relative to the audit root (used in messages and for extension checks). */
  readonly path: string;
  /** The file's text without BOM, line endings untouched. */
  readonly text: string;
  readonly language: LanguageKind;
  /**
   * The file parsed once by the TypeScript parser (shared by every agent of this file), or `undefined`
   * when the file is not a script. Syntax errors do not prevent a tree; see `syntaxErrors`. Throws
   * `UnparseableFile` (core/files/fileAudit.ts) when the parser itself failed (a stack overflow on deep nesting): an
   * agent with text-level checks catches it and runs those (hygiene, the secret scan), the others let it go.
   */
  ast(): ts.SourceFile | undefined;
  /** The parser's syntax diagnostics for `ast()` (empty for non-scripts); throws as `ast()` does. */
  syntaxErrors(): readonly ts.DiagnosticWithLocation[];
  /** Why the parser failed on this text, once some agent asked for its tree and it did; else undefined. */
  parseFailure?(): string | undefined;
  /**
   * The project around the file (nearest package.json and tsconfig), when the caller knows where the file lives
   * (the coordinator always does for scripts). Rules that need it say nothing without it. Its `fingerprint` must be
   * part of any cache key of findings computed from it.
   */
  readonly project?: ProjectContext;
}

/** One member of the team. Agents are pure: same input, same findings. */
export interface Agent {
  readonly id: AgentId;
  /** Bumped whenever the agent's findings for the same input may change (part of the cache key). */
  readonly version: string;
  /**
   * Whether the findings depend on `input.project` (package.json, tsconfig) besides the text: the project's
   * fingerprint then joins the agent's cache key.
   */
  readonly usesProject?: boolean;
  /** Whether this agent has anything to say about files of this language. */
  appliesTo(language: LanguageKind): boolean;
  /**
   * Audits one file. Must honour `signal` between units of work; may throw, which the coordinator
   * records as this agent's failure on this file without losing the other agents' findings.
   */
  run(input: AgentInput, signal: AbortSignal): Finding[] | Promise<Finding[]>;
}

const LINES = Symbol('lines');

/** The line index of `input.text`, built on first use and kept with the input: one per file, not one per agent. */
export function linesOf(input: AgentInput): LineIndex {
  const memo = input as AgentInput & { [LINES]?: LineIndex };
  return (memo[LINES] ??= new LineIndex(input.text));
}

/**
 * `input.ast()`, or `null` when the parser failed on the file: for agents whose text-level checks still mean
 * something without a tree (hygiene, the secret scan). Any other error goes on.
 */
export function treeOrNull(input: AgentInput): ts.SourceFile | undefined | null {
  try {
    return input.ast();
  } catch (error) {
    if (error instanceof UnparseableFile) return null;
    throw error;
  }
}
