/**
 * `merge` of JSON shard reports: the shards' files, skipped paths and counters become one {@link AuditResult} again,
 * and the normal reporter writes it, so the merged report has the bytes of an unsplit run's. What cannot be equal by
 * nature follows a rule: `durationMs` is the slowest shard's (the machines ran side by side), the cache figures are
 * summed (`hitRate` recomputed from the sums, the shared tier's as `addSharedSummaries` adds two runs').
 */
import { z } from 'zod';
import { addCacheSummaries } from '../core/run/cacheSummary';
import { inAgentOrder } from '../core/config/rules';
import {
  SEVERITIES, type AgentSummary, type AuditCacheSummary, type AuditResult, type BaselineSummary, type BreakerState,
  type FileResult, type Finding, type SkipReason,
} from '../core/model';
import { byPath, checkHeader, checkShards, MergeError } from './shardReports';

const count = z.int().min(0);
const position = z.object({ line: z.int().min(1), column: z.int().min(1) });
const finding = z.object({
  agent: z.string(), rule: z.string(), severity: z.enum(SEVERITIES as [Finding['severity'], ...Finding['severity'][]]),
  message: z.string(), fixable: z.boolean(), range: z.object({ start: position, end: position }),
});
const breaker = z.enum(['closed', 'open', 'halfOpen']);
const shared = z.object({
  enabled: z.boolean(), hits: count, misses: count, errors: count, invalid: count, skipped: count,
  latencyMs: z.object({ p50: z.number(), p95: z.number() }), breaker,
});
const SKIP_REASONS = ['binary', 'too-large', 'minified', 'not-utf8', 'unreadable', 'excluded'] as const satisfies readonly SkipReason[];

/** The parts of a JSON report that `merge` reads (others are recomputed). */
const shardReportSchema = z.object({
  tool: z.object({ name: z.string(), version: z.string() }),
  root: z.string(),
  files: z.array(z.object({
    path: z.string(), score: z.int().min(0).max(100), grade: z.enum(['A', 'B', 'C', 'D', 'F']), fromCache: z.boolean(),
    findings: z.array(finding),
    suppressed: z.array(finding.extend({
      suppression: z.object({ kind: z.enum(['inSource', 'baseline']), justification: z.string().optional() }),
    })),
  })),
  skipped: z.array(z.object({ path: z.string(), reason: z.enum(SKIP_REASONS) })),
  summary: z.object({
    durationMs: z.number().min(0),
    cache: z.object({
      hits: count, misses: count, lookups: z.object({ memory: count, disk: count, misses: count }),
      entries: count, bytes: count, shared: shared.optional(),
    }),
    agents: z.record(z.string(), z.object({ runs: count, failures: count, state: breaker })),
    baseline: z.object({ file: z.string(), matched: count, new: count }).optional(),
  }),
  shard: z.object({ index: z.int(), count: z.int(), files: count }),
});

type ShardReport = z.infer<typeof shardReportSchema>;

/** Parsed JSON of a report file, and the file's name for messages. */
export interface NamedReport {
  readonly name: string;
  readonly value: unknown;
}

/** Combines the JSON reports of the N shards of one run into that run's result. Throws a {@link MergeError}. */
export function mergeJsonReports(inputs: readonly NamedReport[]): AuditResult {
  const reports = inputs.map(({ name, value }) => {
    const header = value as Partial<ShardReport> | null;
    checkHeader({ name, toolName: header?.tool?.name, version: header?.tool?.version, root: header?.root, shard: header?.shard });
    const parsed = shardReportSchema.safeParse(value);
    if (!parsed.success) throw new MergeError(`${name} is not a JSON report of this version: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
    return { name, report: parsed.data };
  });
  checkShards(reports.map(({ name, report }) => ({ name, toolName: report.tool.name, version: report.tool.version, root: report.root, shard: report.shard })));
  const all = reports.map((r) => r.report);
  return {
    root: all[0].root,
    files: all.flatMap((r) => r.files.map(fileResult)).sort(byPath),
    skipped: all.flatMap((r) => r.skipped).sort(byPath),
    durationMs: all.reduce((max, r) => Math.max(max, r.summary.durationMs), 0),
    cache: mergeCache(all),
    agents: mergeAgents(all),
    cancelled: false,
    ...mergeBaseline(reports),
  };
}

function fileResult(file: ShardReport['files'][number]): FileResult {
  // Reports never hold fixes, only whether there is one (`fixable`, which the reporter reads back).
  return { ...file, contentHash: '', failures: [], findings: file.findings, suppressed: file.suppressed };
}

function mergeCache(reports: readonly ShardReport[]): AuditCacheSummary {
  const summaries = reports.map(({ summary: { cache } }): AuditCacheSummary => ({
    ...cache, hitRate: 0, byAgent: {}, enabled: true,
  }));
  // addCacheSummaries adds two runs of one machine (the store's size is the last one's); the shards' stores add up.
  const merged = summaries.length === 1 ? summaries[0] : summaries.reduce(addCacheSummaries);
  const sum = (key: 'entries' | 'bytes') => summaries.reduce((n, s) => n + s[key], 0);
  const lookups = merged.lookups.memory + merged.lookups.disk + merged.lookups.misses + (merged.shared?.hits ?? 0);
  const hitRate = lookups === 0 ? 0 : (lookups - merged.lookups.misses) / lookups;
  return { ...merged, hitRate, entries: sum('entries'), bytes: sum('bytes') };
}

const BREAKER_RANK: Readonly<Record<BreakerState, number>> = { closed: 0, halfOpen: 1, open: 2 };

/** Runs and failures summed per agent; the breaker's state is the worst any shard ended with. */
function mergeAgents(reports: readonly ShardReport[]): Record<string, AgentSummary> {
  const agents: Record<string, AgentSummary> = {};
  for (const report of reports) {
    for (const [id, a] of Object.entries(report.summary.agents)) {
      const sum = (agents[id] ??= { runs: 0, failures: 0, state: 'closed' });
      sum.runs += a.runs;
      sum.failures += a.failures;
      if (BREAKER_RANK[a.state] > BREAKER_RANK[sum.state]) sum.state = a.state;
    }
  }
  return inAgentOrder(agents);
}

/** The baseline's counts summed; every shard applied the same baseline file, or none did. */
function mergeBaseline(reports: readonly { name: string; report: ShardReport }[]): { baseline?: BaselineSummary } {
  const [first] = reports;
  const file = first.report.summary.baseline?.file;
  let matched = 0;
  let added = 0;
  for (const { name, report } of reports) {
    const baseline = report.summary.baseline;
    if (baseline?.file !== file) throw new MergeError(`${name} applied ${baseline ? `the baseline ${baseline.file}` : 'no baseline'}, ${first.name} ${file === undefined ? 'none' : file}`);
    matched += baseline?.matched ?? 0;
    added += baseline?.new ?? 0;
  }
  return file === undefined ? {} : { baseline: { file, matched, new: added } };
}
