import { z } from 'zod';
import { SKETCH_MAX_BUCKET } from './sketch';
import { MAX_TREND_SLOTS, TREND_HOUR_SLOT_MS, TREND_SLOT_MS } from './trendSlots';

/**
 * The metrics as saved between sessions (workspace storage, `--metrics` history). Saved: each agent's counters
 * and totals since the last reset, and its recent samples with their time. Not saved: memory (it describes the
 * process that measured it) and alerts (they are evaluated again from the figures).
 *
 * On load (`MetricsCollector.fromJSON`) the retention limit applies: samples older than it are dropped, and an
 * agent with no activity within it is dropped whole, counters included. So counters run on across reloads as long
 * as the agent keeps being used, and an agent idle for longer than the retention starts again from zero.
 */

/** Format version; a different one is not read. */
export const METRICS_FORMAT_VERSION = 1;

const count = z.int().min(0);
const ms = z.number().min(0);

const sampleSchema = z.object({
  at: z.number(),
  durationMs: ms,
  success: z.boolean(),
});

const lookupSchema = z.object({
  at: z.number(),
  hit: z.boolean(),
});

/** A sketch: `[bucket, count]` pairs, buckets ascending and distinct. */
const sketchSchema = z.array(z.tuple([z.int().min(0).max(SKETCH_MAX_BUCKET), z.int().min(1)])).max(SKETCH_MAX_BUCKET + 1)
  .refine((pairs) => pairs.every(([bucket], i) => i === 0 || bucket > pairs[i - 1][0]), { message: 'buckets must ascend' });

const slotSchema = z.object({
  start: z.int(),
  width: z.union([z.literal(TREND_SLOT_MS), z.literal(TREND_HOUR_SLOT_MS)]),
  runs: count,
  failures: count,
  durations: sketchSchema,
  lookups: count,
  hits: count,
})
  .refine((s) => s.start % s.width === 0, { message: 'a slot must start at a multiple of its width' })
  .refine((s) => s.failures <= s.runs && s.hits <= s.lookups, { message: 'more failures than runs, or hits than lookups' })
  .refine((s) => s.durations.reduce((n, [, c]) => n + c, 0) === s.runs, { message: 'the durations must count every run' });

const agentSchema = z.object({
  executions: count,
  successes: count,
  failures: count,
  totalDurationMs: ms,
  minDurationMs: ms,
  maxDurationMs: ms,
  lastRunAt: z.number().nullable(),
  /** Last activity of any kind (a run or a cache lookup): what the retention is measured from. */
  lastSeenAt: z.number(),
  cacheHits: count,
  cacheMisses: count,
  samples: z.array(sampleSchema),
  /** Cache lookups with their time, as saves kept them before `slots`; folded into `slots` when those are absent. */
  lookups: z.array(lookupSchema).optional(),
  /** The trends' history (trendSlots.ts); absent from older saves, whose samples and lookups are folded into it. */
  slots: z.array(slotSchema).max(MAX_TREND_SLOTS).optional(),
}).refine((a) => a.successes + a.failures === a.executions, { message: 'successes + failures must equal executions' });

const persistedSchema = z.object({
  version: z.literal(METRICS_FORMAT_VERSION),
  savedAt: z.number(),
  agents: z.record(z.string(), agentSchema),
});

/** One saved run. */
export type PersistedSample = z.output<typeof sampleSchema>;

/** One agent as saved. */
export type PersistedAgent = z.output<typeof agentSchema>;

/** The saved form (what `toJSON()` returns; `JSON.stringify` it). */
export type PersistedMetrics = z.output<typeof persistedSchema>;

/** Saved metrics checked, or why they cannot be used. Never throws. */
export function parsePersistedMetrics(data: unknown): { ok: true; data: PersistedMetrics } | { ok: false; problem: string } {
  let value = data;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch (error) {
      return { ok: false, problem: `not JSON: ${(error as Error).message}` };
    }
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof value === 'object' && value !== null && version !== METRICS_FORMAT_VERSION) {
    return { ok: false, problem: `unsupported format version ${JSON.stringify(version)} (expected ${METRICS_FORMAT_VERSION})` };
  }
  const parsed = persistedSchema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the saved metrics';
  return { ok: false, problem: `${where}: ${issue.message}` };
}
