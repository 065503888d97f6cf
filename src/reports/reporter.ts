import type {
  AgentSummary, AuditResult, BaselineSummary, ShardSummary, FileResult, Finding, Grade, Range, Severity, SharedCacheSummary, SkipReason,
  SuppressedFinding, Suppression,
} from '../core/model';
import { hasFix } from '../core/model';
import { gradeOf } from '../core/run/score';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';

/** One finding in the JSON report (DESIGN.md "Contracts"). */
export interface JsonFinding {
  readonly agent: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  /** Whether the finding carries a fix (`--fix` or a quick fix would apply it). */
  readonly fixable: boolean;
  /** 1-based lines and columns, columns in UTF-16 code units. */
  readonly range: Range;
}

/** A finding left out by a suppression comment (`inSource`) or the baseline: reported for the record only. */
export interface JsonSuppressedFinding extends JsonFinding {
  readonly suppression: Suppression;
}

/** One audited file in the JSON report. Every audited file appears, clean ones with no findings. */
export interface JsonFile {
  readonly path: string;
  readonly score: number;
  readonly grade: Grade;
  readonly fromCache: boolean;
  readonly findings: JsonFinding[];
  /** Additive: the file's suppressed findings (not in `findings`, `--fail-on` or the score). */
  readonly suppressed: JsonSuppressedFinding[];
}

/** Files left out of the audit, counted (an addition to the DESIGN.md contract). */
export interface JsonSkippedSummary {
  readonly total: number;
  /** Only the reasons that occurred appear. */
  readonly byReason: Partial<Record<SkipReason, number>>;
}

/** The `--format json` report: the DESIGN.md contract plus additive fields, marked below. */
export interface JsonReport {
  readonly tool: { readonly name: string; readonly version: string };
  /** Absolute path of the audit root. */
  readonly root: string;
  readonly files: JsonFile[];
  /** Additive: every file left out, with the loader's reason. */
  readonly skipped: { readonly path: string; readonly reason: SkipReason }[];
  readonly summary: {
    readonly files: number;
    readonly findings: number;
    readonly durationMs: number;
    /**
     * `hits`/`misses` count files (a hit = every agent result of the file came from the cache). Additive:
     * `hitRate` over agent results, `lookups` by level, the store's `entries` and `bytes`.
     */
    readonly cache: {
      readonly hits: number;
      readonly misses: number;
      readonly hitRate: number;
      readonly lookups: { readonly memory: number; readonly disk: number; readonly misses: number };
      readonly entries: number;
      readonly bytes: number;
      /** Additive: the shared (Redis) tier's figures for this audit, whenever the cache is enabled. */
      readonly shared?: SharedCacheSummary;
    };
    readonly agents: Record<string, AgentSummary>;
    /** Additive: mean of the file scores, rounded (100 when no file was audited). */
    readonly score: number;
    /** Additive: grade of `score`. */
    readonly grade: Grade;
    /** Additive: counts of `skipped`. */
    readonly skipped: JsonSkippedSummary;
    /** Additive: the baseline applied, when one was: its file, the findings it matched, the findings beyond it. */
    readonly baseline?: BaselineSummary;
    /** Additive: findings left out by a suppression, of any kind (not counted in `findings`). */
    readonly suppressed: number;
    /** Additive: `suppressed` by kind: suppression comments, and the baseline. */
    readonly suppressedBy: { readonly inSource: number; readonly baseline: number };
  };
  /** Additive: `--shard K/N`, the part of the tree this report covers (`merge` drops it). */
  readonly shard?: ShardSummary;
}

/**
 * The reporter (seeds' agent 05, "documenteur"): the mission report as one JSON object. Fields are
 * listed explicitly rather than spread from the model, so an engine-internal field (a content hash,
 * a fix's edits) never leaks into a contract other tools parse.
 */
export function toJsonReport(result: AuditResult): JsonReport {
  const score = workspaceScore(result.files);
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    root: result.root,
    files: result.files.map(jsonFile),
    skipped: result.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    summary: {
      files: result.files.length,
      findings: countFindings(result.files),
      durationMs: result.durationMs,
      cache: {
        hits: result.cache.hits,
        misses: result.cache.misses,
        hitRate: Math.round(result.cache.hitRate * 1000) / 1000,
        lookups: { ...result.cache.lookups },
        entries: result.cache.entries,
        bytes: result.cache.bytes,
        ...(result.cache.shared ? { shared: { ...result.cache.shared, latencyMs: { ...result.cache.shared.latencyMs } } } : {}),
      },
      agents: Object.fromEntries(Object.entries(result.agents).map(([id, a]) => [
        id, { runs: a.runs, failures: a.failures, state: a.state },
      ])),
      score,
      grade: gradeOf(score),
      skipped: { total: result.skipped.length, byReason: skippedByReason(result) },
      ...(result.baseline ? { baseline: { file: result.baseline.file, matched: result.baseline.matched, new: result.baseline.new } } : {}),
      suppressed: countSuppressed(result.files),
      suppressedBy: {
        inSource: countSuppressed(result.files, 'inSource'),
        baseline: countSuppressed(result.files, 'baseline'),
      },
    },
    ...(result.shard ? { shard: { index: result.shard.index, count: result.shard.count, files: result.shard.files } } : {}),
  };
}

function jsonFile(file: FileResult): JsonFile {
  return {
    path: file.path,
    score: file.score,
    grade: file.grade,
    fromCache: file.fromCache,
    findings: file.findings.map(jsonFinding),
    suppressed: (file.suppressed ?? []).map((f) => ({ ...jsonFinding(f), suppression: jsonSuppression(f) })),
  };
}

function jsonSuppression(finding: SuppressedFinding): Suppression {
  const { kind, justification } = finding.suppression;
  return justification === undefined ? { kind } : { kind, justification };
}

function jsonFinding(finding: Finding): JsonFinding {
  const { start, end } = finding.range;
  return {
    agent: finding.agent,
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    fixable: hasFix(finding),
    range: { start: { line: start.line, column: start.column }, end: { line: end.line, column: end.column } },
  };
}

/** Mean of the file scores, rounded; an empty workspace has nothing wrong with it, so 100. */
export function workspaceScore(files: readonly FileResult[]): number {
  return meanScore(files.reduce((sum, f) => sum + f.score, 0), files.length);
}

/** The workspace score of `files` files whose scores add up to `total` (`merge` knows only the shards' totals). */
export function meanScore(total: number, files: number): number {
  return files === 0 ? 100 : Math.round(total / files);
}

/** Total number of findings over all files. */
export function countFindings(files: readonly FileResult[]): number {
  return files.reduce((sum, f) => sum + f.findings.length, 0);
}

/** Suppressed findings over all files, of one kind or of any. */
export function countSuppressed(files: readonly FileResult[], kind?: Suppression['kind']): number {
  let n = 0;
  for (const file of files) for (const f of file.suppressed ?? []) if (kind === undefined || f.suppression.kind === kind) n++;
  return n;
}

/** Number of skipped files per reason; only the reasons that occurred appear. */
export function skippedByReason(result: AuditResult): Partial<Record<SkipReason, number>> {
  const counts: Partial<Record<SkipReason, number>> = {};
  for (const s of result.skipped) counts[s.reason] = (counts[s.reason] ?? 0) + 1;
  return counts;
}
