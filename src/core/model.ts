/**
 * The engine's data model: what agents produce and what reports carry.
 * Positions follow DESIGN.md: lines and columns are 1-based, columns count UTF-16 code units.
 * Edits use 0-based UTF-16 offsets into the audited text (the file's text without its BOM),
 * which is what both `String.prototype.slice` and VS Code's `TextDocument.positionAt` understand.
 */

/** Severity of a finding, most severe first. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Severities ordered from most to least severe (index 0 = most severe). */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** Ids of the agents of the team (DESIGN.md, "The team"). */
export type AgentId =
  | 'structure' | 'complexity' | 'imports' | 'hygiene' | 'conventions' | 'security'
  | 'adapter' | 'validator' | 'reporter' | (string & {});

/** A 1-based line and column (UTF-16 code units). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A range between two positions; `end` is exclusive. */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** Replace the text between two 0-based UTF-16 offsets (`end` exclusive) with `newText`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** A proposed fix for one finding: edits on the audited text, applied together or not at all. */
export interface Fix {
  /** Short imperative label shown on the lightbulb, e.g. "Remove unused import 'x'". */
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /**
   * True when the fix cannot change what the file means and removes nothing the user may still need (whitespace,
   * merging duplicate imports): applied on save by default. Absent or false: on save only when the rule is opted
   * in (`team.<agent>.fixOnSave`); quick fixes and fix-all offer it either way.
   */
  readonly safe?: boolean;
}

/** One problem found by one agent in one file. */
export interface Finding {
  readonly agent: AgentId;
  /** Stable rule id `agent/name` (DESIGN.md). */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly fix?: Fix;
  /**
   * True on a finding served by a cache, which keeps whether a finding has a fix but never the fix itself (a
   * cache is untrusted input): whoever needs the fix computes it again from the current text (`needsFixes`).
   */
  readonly fixable?: boolean;
}

/**
 * Why a finding is not counted (issue 21): a comment in the file (`inSource`, SARIF's kind of the same name), or the
 * committed baseline of a legacy codebase (`baseline`, SARIF `external`). A suppressed finding is reported for the
 * record (JSON, SARIF) but is left out of `--fail-on`, the score and the editor's problems.
 */
export interface Suppression {
  readonly kind: 'inSource' | 'baseline';
  /** The reason written after ` -- ` in the comment, or the baseline file's name. */
  readonly justification?: string;
}

/** A finding that a suppression covers, with that suppression. */
export interface SuppressedFinding extends Finding {
  readonly suppression: Suppression;
}

/** Whether a finding can be fixed: it carries a non-empty fix, or came from a cache that said it had one. */
export function hasFix(finding: Finding): boolean {
  return finding.fix ? finding.fix.edits.length > 0 : finding.fixable === true;
}

/** Why a file was left out; `excluded` = the config's include/exclude globs (only for files asked for by name). */
export type SkipReason = 'binary' | 'too-large' | 'minified' | 'not-utf8' | 'unreadable' | 'excluded';

/** An agent's failure on one file: the other agents' findings for that file are kept. */
export interface AgentFailure {
  readonly agent: AgentId;
  readonly message: string;
  /**
   * `threw`, `timeout` (stopped at its time limit), `crashed` (its thread died, retries spent) count as the
   * agent's failures; `circuit-open` means it was not run on this file because its breaker is open. Two are the
   * file's doing, not the agent's, and never count toward its breaker: `unparseable` (the parser failed on the
   * file, so an agent that needs its tree could not run) and `too-deep` (the agent overflowed its stack on the
   * file's nesting).
   */
  readonly kind?: 'threw' | 'timeout' | 'crashed' | 'circuit-open' | 'unparseable' | 'too-deep';
}

/** Everything the team found in one file. */
export interface FileResult {
  /** POSIX path relative to the audit root. */
  readonly path: string;
  /** SHA-256 (hex) of the audited text; lets the editor drop fixes for a file that changed since. */
  readonly contentHash: string;
  /** The findings that count: `--fail-on`, the score and the editor see these. */
  readonly findings: readonly Finding[];
  /** Findings left out by a suppression comment or the baseline (absent = none). */
  readonly suppressed?: readonly SuppressedFinding[];
  readonly failures: readonly AgentFailure[];
  readonly score: number;
  readonly grade: Grade;
  readonly fromCache: boolean;
}

/** A file left out of the audit, with the reason. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: SkipReason;
}

/** Letter grade of a score (A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F). */
export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

/** State of an agent's circuit breaker (DESIGN.md "Resilience"). */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** Per-agent counters of one audit. */
export interface AgentSummary {
  runs: number;
  failures: number;
  state: BreakerState;
  /** Files it was not run on because its circuit breaker was open. */
  skipped?: number;
}

/** What the result cache did in one audit. */
export interface AuditCacheSummary {
  /** Files whose every agent result came from the cache. */
  readonly hits: number;
  /** Files for which at least one agent ran. */
  readonly misses: number;
  /** Per agent result: served from memory (L1), from the persistent store (L2), or computed. */
  readonly lookups: { readonly memory: number; readonly disk: number; readonly misses: number };
  /** Agent results served from the cache / all lookups (0 without a cache). */
  readonly hitRate: number;
  /** Per agent: results served from the cache, and computed. */
  readonly byAgent: Readonly<Record<string, { readonly hits: number; readonly misses: number }>>;
  /** Results in the store after the audit, and their approximate bytes (0 without a cache). */
  readonly entries: number;
  readonly bytes: number;
  /** Whether a cache was used at all (`--no-cache` and `optimizations: false` run without). */
  readonly enabled: boolean;
  /** Additive: the shared (Redis) tier in this audit; present whenever the cache is enabled. */
  readonly shared?: SharedCacheSummary;
}

/** What the shared (Redis) tier did in one audit; `enabled: false` when no URL is configured. */
export interface SharedCacheSummary {
  readonly enabled: boolean;
  /** Results served from Redis (after L1 and L2 missed them). */
  readonly hits: number;
  /** Results asked for and absent, or present but invalid. */
  readonly misses: number;
  /** Failed or timed-out calls: those files were computed locally. */
  readonly errors: number;
  /** Values that failed validation: ignored, recomputed and overwritten. */
  readonly invalid: number;
  /** Results not asked for because Redis's breaker was open. */
  readonly skipped: number;
  /** Of the tier's recent lookups (ms). */
  readonly latencyMs: { readonly p50: number; readonly p95: number };
  readonly breaker: BreakerState;
}

/** The consolidated result of one audit. */
export interface AuditResult {
  readonly root: string;
  readonly files: readonly FileResult[];
  readonly skipped: readonly SkippedFile[];
  readonly durationMs: number;
  readonly cache: AuditCacheSummary;
  readonly agents: Readonly<Record<string, AgentSummary>>;
  /** True when the audit was cancelled before every file was done; `files` then holds those finished. */
  readonly cancelled: boolean;
  /** The baseline applied to this audit, when one was (absent with none, or `--no-baseline`). */
  readonly baseline?: BaselineSummary;
  /** `--shard K/N`: the part of the tree this audit covered (absent for a whole run, and after `merge`). */
  readonly shard?: ShardSummary;
}

/** Which shard an audit was, and how many paths (files, unreadable folders) it was given. */
export interface ShardSummary {
  readonly index: number;
  readonly count: number;
  readonly files: number;
}

/** What a baseline did to an audit (issue 21): its file, the findings it matched, the findings beyond it. */
export interface BaselineSummary {
  /** The baseline file, relative to the audit root when inside it. */
  readonly file: string;
  readonly matched: number;
  readonly new: number;
}
