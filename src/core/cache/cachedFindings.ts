/**
 * The one form in which findings are cached, on disk (L2) and in Redis (L3), and the zod schema both the writer
 * and every reader go through. A cache is untrusted input (a store committed in the audited repository, a value
 * another build or tool wrote to a shared Redis): what is read back is validated here, and anything that is not
 * exactly this shape is a miss, recomputed, never a crash, a `NaN` score or a misplaced report entry.
 *
 * Fixes are never cached: a cached finding says only whether it has one (`fixable`), and whoever needs the
 * fix (SARIF `fixes`, a quick fix, `--fix`) computes it again from the current text. A cache can then at worst
 * repeat findings this user's own build produced; it can never make the tool write text it chose.
 */
import { z } from 'zod';
import { hasFix, SEVERITIES, type Finding } from '../model';

/** Longest message kept: agents' messages are one line; more is not ours. */
const MAX_MESSAGE = 10_000;
/** More findings than this in one agent's result on one file is not ours either (findings per file are capped). */
const MAX_FINDINGS = 100_000;

const position = z.object({ line: z.int().min(1), column: z.int().min(1) });

/** One cached finding: what reports need, without the fix. Unknown keys (a `fix` among them) are dropped. */
export const cachedFindingSchema = z.object({
  agent: z.string().min(1).max(64),
  rule: z.string().regex(/^[\w.-]+\/[\w.-]+$/).max(128),
  severity: z.enum(SEVERITIES as [Finding['severity'], ...Finding['severity'][]]),
  message: z.string().max(MAX_MESSAGE),
  range: z.object({ start: position, end: position }),
  fixable: z.literal(true).optional(),
});

/** One agent's findings on one content, as cached. */
export const cachedFindingListSchema = z.array(cachedFindingSchema).max(MAX_FINDINGS);

/** A finding as the cache holds it. */
export type CachedFinding = z.infer<typeof cachedFindingSchema>;

/**
 * What the cache keeps of an agent's findings: each without its fix (`fixable` instead), or undefined when
 * they do not fit the schema (an agent's bug: such a result is simply not cached, and is computed every time).
 */
export function toCachedFindings(findings: readonly Finding[]): CachedFinding[] | undefined {
  const cached = findings.map((f): CachedFinding => {
    const { start, end } = f.range;
    const entry: CachedFinding = {
      agent: f.agent, rule: f.rule, severity: f.severity, message: f.message,
      range: { start: { line: start.line, column: start.column }, end: { line: end.line, column: end.column } },
    };
    if (hasFix(f)) entry.fixable = true;
    return entry;
  });
  return cachedFindingListSchema.safeParse(cached).success ? cached : undefined;
}

/** Cached findings read back (parsed JSON), or undefined when they are not exactly what `toCachedFindings` writes. */
export function parseCachedFindings(value: unknown): Finding[] | undefined {
  // Most results are empty (four in five on a real corpus): what the schema would say, without asking it.
  if (Array.isArray(value) && value.length === 0) return [];
  const parsed = cachedFindingListSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
