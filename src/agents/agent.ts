import type { ts } from 'ts-morph';
import type { AgentId, Finding } from '../core/model';
import type { ProjectContext } from '../core/projectContext';
import { LineIndex } from '../core/text';

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
   * when the file is not a script. Syntax errors do not prevent a tree; see `syntaxErrors`.
   */
  ast(): ts.SourceFile | undefined;
  /** The parser's syntax diagnostics for `ast()` (empty for non-scripts). */
  syntaxErrors(): readonly ts.DiagnosticWithLocation[];
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
