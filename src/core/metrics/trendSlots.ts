import { SketchCounts } from './sketch';

/**
 * An agent's history for the trends (trends.ts), in 10-minute slots: per slot its runs, failures, a sketch of their
 * durations (sketch.ts, p95 within 5 %) and its cache lookups and hits. Unlike the dashboard's window of the last
 * 100 runs, this keeps every run of the trend span (the last hour and the 7 days before it) at a bounded cost: at
 * most `MAX_TREND_SLOTS` slots, each with at most one count per sketch bucket, however many files an audit has.
 */

/** One slot's width: 10 minutes. */
export const TREND_SLOT_MS = 10 * 60_000;

const HOUR_MS = 60 * 60_000;

/** How far back the trends look: the 7-day baseline and the last hour before now. */
export const TREND_SPAN_MS = 7 * 24 * HOUR_MS + HOUR_MS;

/** Slots kept at most: the trend span, and the slot now being filled. */
export const MAX_TREND_SLOTS = TREND_SPAN_MS / TREND_SLOT_MS + 1;

/** One slot, plain data (as saved). */
export interface TrendSlot {
  /** When the slot starts (ms since the epoch, a multiple of `TREND_SLOT_MS`). */
  readonly start: number;
  readonly runs: number;
  readonly failures: number;
  /** The runs' durations (a sketch.ts `Sketch`): one count per run. */
  readonly durations: [number, number][];
  /** Cache lookups, and how many of them hit. */
  readonly lookups: number;
  readonly hits: number;
}

interface OpenSlot {
  runs: number;
  failures: number;
  readonly durations: SketchCounts;
  lookups: number;
  hits: number;
}

const slotStart = (at: number): number => Math.floor(at / TREND_SLOT_MS) * TREND_SLOT_MS;

/** An agent's slots, filled as runs and lookups are recorded; slots older than the trend span are dropped. */
export class TrendSlots {
  readonly #slots = new Map<number, OpenSlot>();

  /**
   * Slots restored from a save, at `now`: those that ended before the trend span (or before `retentionMs`, when
   * shorter), or start after now, left out.
   */
  static restore(saved: readonly TrendSlot[], now: number, retentionMs = TREND_SPAN_MS): TrendSlots {
    const slots = new TrendSlots();
    const cutoff = now - Math.min(retentionMs, TREND_SPAN_MS);
    for (const s of saved) {
      if (s.start + TREND_SLOT_MS <= cutoff || s.start > now) continue;
      const open = slots.#slot(s.start);
      open.runs += s.runs;
      open.failures += s.failures;
      open.durations.merge(s.durations);
      open.lookups += s.lookups;
      open.hits += s.hits;
    }
    return slots;
  }

  /** One run of the agent that ended at `at`. */
  addRun(at: number, durationMs: number, success: boolean): void {
    const slot = this.#slot(at);
    slot.runs++;
    if (!success) slot.failures++;
    slot.durations.add(durationMs);
  }

  /** One cache lookup for the agent at `at`. */
  addLookup(at: number, hit: boolean): void {
    const slot = this.#slot(at);
    slot.lookups++;
    if (hit) slot.hits++;
  }

  /** The slots, oldest first. */
  toJSON(): TrendSlot[] {
    return [...this.#slots].sort((a, b) => a[0] - b[0]).map(([start, s]) => ({
      start, runs: s.runs, failures: s.failures, durations: s.durations.toSketch(), lookups: s.lookups, hits: s.hits,
    }));
  }

  /** The slot of `at`, opened if needed; opening one drops the slots that ended before the trend span. */
  #slot(at: number): OpenSlot {
    const start = slotStart(at);
    let slot = this.#slots.get(start);
    if (slot) return slot;
    slot = { runs: 0, failures: 0, durations: new SketchCounts(), lookups: 0, hits: 0 };
    this.#slots.set(start, slot);
    const horizon = start - TREND_SPAN_MS;
    for (const key of this.#slots.keys()) if (key < horizon) this.#slots.delete(key);
    // A clock that jumped around can leave more than the span's worth: the oldest go.
    if (this.#slots.size > MAX_TREND_SLOTS) {
      const extra = [...this.#slots.keys()].sort((a, b) => a - b).slice(0, this.#slots.size - MAX_TREND_SLOTS);
      for (const key of extra) this.#slots.delete(key);
    }
    return slot;
  }
}

/** Runs and lookups as saves before the slots kept them (their last 100), folded into slots. */
export function foldIntoSlots(
  runs: readonly { readonly at: number; readonly durationMs: number; readonly success: boolean }[],
  lookups: readonly { readonly at: number; readonly hit: boolean }[] = [],
): TrendSlot[] {
  const slots = new TrendSlots();
  for (const run of runs) slots.addRun(run.at, run.durationMs, run.success);
  for (const lookup of lookups) slots.addLookup(lookup.at, lookup.hit);
  return slots.toJSON();
}
