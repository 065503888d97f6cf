/**
 * The baseline file, `maintenance-team-baseline.json`: committed with the code, so its bytes depend only on the
 * findings recorded (keys sorted, one fingerprint per line, a final newline) and a diff of it reads as "this
 * rule in this file: 3 → 2".
 */
import { z } from 'zod';

/** The file's name at the audit root (CLI) or the workspace folder's root (editor). */
export const BASELINE_FILE_NAME = 'maintenance-team-baseline.json';

/** The format's version: a reader refuses any other (fail closed: every finding is then reported). */
export const BASELINE_VERSION = 1;

/** Largest baseline read: about 300,000 recorded findings. */
export const MAX_BASELINE_BYTES = 16 * 1024 * 1024;

/** What the baseline admits for one rule in one file. */
export interface BaselineEntry {
  /** How many findings of the rule the file may have without any being new. */
  readonly count: number;
  /** Which ones (fingerprint.ts), sorted. */
  readonly fingerprints: readonly string[];
}

/** A baseline: path (POSIX, relative to the baseline file's folder) → rule → entry. */
export type Baseline = ReadonlyMap<string, ReadonlyMap<string, BaselineEntry>>;

const FINGERPRINT = /^[0-9a-f]{16}:[1-9]\d{0,6}$/;
const RULE = /^[a-z0-9-]+\/[a-z0-9-]+$/;

/** A relative POSIX path that stays inside the baseline's folder: no `..`, `.` or empty segment, no backslash. */
function isSafePath(path: string): boolean {
  if (path.length === 0 || path.length > 4096 || path.startsWith('/') || /[\\\0]/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

const entrySchema = z.strictObject({
  count: z.int().min(0).max(1_000_000),
  fingerprints: z.array(z.string().regex(FINGERPRINT, 'not a fingerprint')).max(1_000_000),
});

const fileSchema = z.record(z.string().regex(RULE, 'not a rule id'), entrySchema);

const baselineSchema = z.strictObject({
  version: z.literal(BASELINE_VERSION),
  files: z.record(z.string().refine(isSafePath, 'not a relative path inside the baseline\'s folder'), fileSchema),
});

/** Why a baseline's text was refused, in words for the user. */
export class BaselineFormatError extends Error {}

/**
 * Reads a baseline's text. Throws a BaselineFormatError saying where and why when it is not JSON, not this version
 * of the format, or breaks its shape; the caller names the file.
 */
export function parseBaseline(text: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Without the parser's message: it quotes the text, which may be any file a link under the name points to.
    throw new BaselineFormatError('not JSON');
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? ` at ${issue.path.map(String).join(' → ')}` : '';
    // A refused key says why in its own issue: "not a rule id" beats zod's "Invalid key in record".
    const inner = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
    throw new BaselineFormatError(`${inner ?? issue.message}${where}`);
  }
  // Built from the parsed JSON's own keys into maps: a path named `__proto__` is a path like any other.
  const files = new Map<string, Map<string, BaselineEntry>>();
  for (const [path, rules] of Object.entries((raw as { files: Record<string, Record<string, BaselineEntry>> }).files)) {
    const byRule = new Map<string, BaselineEntry>();
    for (const [rule, entry] of Object.entries(rules)) {
      byRule.set(rule, { count: entry.count, fingerprints: [...entry.fingerprints].sort() });
    }
    if (byRule.size > 0) files.set(path, byRule);
  }
  return files;
}

/**
 * The file's text: `{ version, files }`, paths and rules in code-unit order, fingerprints sorted, entries without
 * a count left out, two-space indentation and a final newline. Same baseline, same bytes.
 */
export function serializeBaseline(baseline: Baseline): string {
  const files: Record<string, Record<string, { count: number; fingerprints: string[] }>> = {};
  for (const path of [...baseline.keys()].sort(compareText)) {
    const rules: Record<string, { count: number; fingerprints: string[] }> = {};
    for (const rule of [...baseline.get(path)!.keys()].sort(compareText)) {
      const entry = baseline.get(path)!.get(rule)!;
      if (entry.count > 0) rules[rule] = { count: entry.count, fingerprints: [...entry.fingerprints].sort(compareText) };
    }
    if (Object.keys(rules).length > 0) defineKey(files, path, rules);
  }
  return `${JSON.stringify({ version: BASELINE_VERSION, files }, null, 2)}\n`;
}

/** Findings and files a baseline records. */
export function baselineTotals(baseline: Baseline): { readonly findings: number; readonly files: number } {
  let findings = 0;
  let files = 0;
  for (const rules of baseline.values()) {
    let inFile = 0;
    for (const entry of rules.values()) inFile += entry.count;
    findings += inFile;
    if (inFile > 0) files++;
  }
  return { findings, files };
}

/** Code-unit order, the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `target[key] = value` that stays a plain property for a key like `__proto__`. */
function defineKey<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
