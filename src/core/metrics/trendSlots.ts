import { SketchCounts } from './sketch';

/**
 * An agent's history for the trends (trends.ts), in time slots: per slot its runs, failures, a sketch of their
 * durations (sketch.ts, p95 within 5 %) and its cache lookups and hits. Unlike the dashboard's window of the last
 * 100 runs, this keeps every run of the trend span (the last hour and the 7 days before it) at a bounded cost,
 * however many files an audit has: the last two hours in 10-minute slots (the recent window is judged on those),
 * older ones added up into hourly slots (the 7-day baseline needs no finer), at most `MAX_TREND_SLOTS` in all.
 */

/** A recent slot's width: 10 minutes. */
export const TREND_SLOT_MS = 10 * 60_000;

/** An older slot's width: an hour. */
export const TREND_HOUR_SLOT_MS = 60 * 60_000;

/** How far back the trends look: the 7-day baseline and the last hour before now. */
export const TREND_SPAN_MS = 7 * 24 * TREND_HOUR_SLOT_MS + TREND_HOUR_SLOT_MS;

/** 10-minute slots that ended this long before the newest one began are added into their hour. */
const FINE_KEPT_MS = 2 * TREND_HOUR_SLOT_MS;

/** Slots kept at most: the span's hours (and a partial one at each end), and the 10-minute slots of two hours. */
export const MAX_TREND_SLOTS = TREND_SPAN_MS / TREND_HOUR_SLOT_MS + 2 + FINE_KEPT_MS / TREND_SLOT_MS + 2;

/** One slot, plain data (as saved). */
export interface TrendSlot {
  /** When the slot starts (ms since the epoch, a multiple of its width). */
  readonly start: number;
  /** `TREND_SLOT_MS` or `TREND_HOUR_SLOT_MS`. */
  readonly width: number;
  readonly runs: number;
  readonly failures: number;
  /** The runs' durations (a sketch.ts `Sketch`): one count per run. */
  readonly durations: [number, number][];
  /** Cache lookups, and how many of them hit. */
  readonly lookups: number;
  readonly hits: number;
}

/** Slots added up: one being filled, or a window of them (trends.ts). */
export interface SlotTotals {
  runs: number;
  failures: number;
  readonly durations: SketchCounts;
  lookups: number;
  hits: number;
}


const floorTo = (at: number, width: number): number => Math.floor(at / width) * width;

const emptySlot = (): SlotTotals => ({ runs: 0, failures: 0, durations: new SketchCounts(), lookups: 0, hits: 0 });

function addInto(target: SlotTotals, source: SlotTotals | TrendSlot): void {
  target.runs += source.runs;
  target.failures += source.failures;
  target.durations.merge(source.durations instanceof SketchCounts ? source.durations.toSketch() : source.durations);
  target.lookups += source.lookups;
  target.hits += source.hits;
}

/** `slots` added up. */
export function addUpSlots(slots: readonly TrendSlot[]): SlotTotals {
  const total = emptySlot();
  for (const slot of slots) addInto(total, slot);
  return total;
}

/** An agent's slots, filled as runs and lookups are recorded; slots older than the trend span are dropped. */
export class TrendSlots {
  /** 10-minute slots by start. */
  readonly #fine = new Map<number, SlotTotals>();
  /** Hourly slots by start. */
  readonly #hourly = new Map<number, SlotTotals>();

  /**
   * Slots restored from a save, at `now`: those that ended before the trend span (or before `retentionMs`, when
   * shorter), or start after now, left out.
   */
  static restore(saved: readonly TrendSlot[], now: number, retentionMs = TREND_SPAN_MS): TrendSlots {
    const slots = new TrendSlots();
    const cutoff = now - Math.min(retentionMs, TREND_SPAN_MS);
    for (const s of [...saved].sort((a, b) => a.start - b.start)) {
      if (s.start + s.width <= cutoff || s.start > now) continue;
      const open = s.width === TREND_HOUR_SLOT_MS ? slots.#hour(s.start) : slots.#slot(s.start);
      addInto(open, s);
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

  /** The slots, oldest first (an hourly slot before the 10-minute slots of the same hour). */
  toJSON(): TrendSlot[] {
    const plain = (width: number) => ([start, s]: [number, SlotTotals]): TrendSlot => ({
      start, width, runs: s.runs, failures: s.failures, durations: s.durations.toSketch(), lookups: s.lookups, hits: s.hits,
    });
    return [...[...this.#hourly].map(plain(TREND_HOUR_SLOT_MS)), ...[...this.#fine].map(plain(TREND_SLOT_MS))]
      .sort((a, b) => a.start - b.start || b.width - a.width);
  }

  /** The hourly slot starting at `start`, opened if needed. */
  #hour(start: number): SlotTotals {
    let slot = this.#hourly.get(start);
    if (!slot) this.#hourly.set(start, (slot = emptySlot()));
    return slot;
  }

  /** The 10-minute slot of `at`, opened if needed; opening one rolls older slots up and drops those past the span. */
  #slot(at: number): SlotTotals {
    const start = floorTo(at, TREND_SLOT_MS);
    let slot = this.#fine.get(start);
    if (slot) return slot;
    this.#fine.set(start, (slot = emptySlot()));
    this.#compact(start);
    return slot;
  }

  /** Adds the 10-minute slots that ended `FINE_KEPT_MS` before `newest` into their hours; drops what is past the span. */
  #compact(newest: number): void {
    for (const [start, fine] of this.#fine) {
      if (start + TREND_SLOT_MS > newest - FINE_KEPT_MS) continue;
      addInto(this.#hour(floorTo(start, TREND_HOUR_SLOT_MS)), fine);
      this.#fine.delete(start);
    }
    const horizon = newest - TREND_SPAN_MS;
    for (const [start] of this.#hourly) if (start + TREND_HOUR_SLOT_MS <= horizon) this.#hourly.delete(start);
    for (const [start] of this.#fine) if (start + TREND_SLOT_MS <= horizon) this.#fine.delete(start);
    // A clock that jumped forth and back can leave more than the span's worth: the oldest go.
    const extra = this.#hourly.size + this.#fine.size - MAX_TREND_SLOTS;
    if (extra <= 0) return;
    const all = [...[...this.#hourly.keys()].map((start) => ({ start, map: this.#hourly })), ...[...this.#fine.keys()].map((start) => ({ start, map: this.#fine }))];
    for (const { start, map } of all.sort((a, b) => a.start - b.start).slice(0, extra)) map.delete(start);
  }
}

/** Runs and lookups as saves before the slots kept them (their last 100), folded into slots. */
export function foldIntoSlots(
  runs: readonly { readonly at: number; readonly durationMs: number; readonly success: boolean }[],
  lookups: readonly { readonly at: number; readonly hit: boolean }[] = [],
): TrendSlot[] {
  const slots = new TrendSlots();
  const events = [
    ...runs.map((run) => ({ at: run.at, add: () => slots.addRun(run.at, run.durationMs, run.success) })),
    ...lookups.map((lookup) => ({ at: lookup.at, add: () => slots.addLookup(lookup.at, lookup.hit) })),
  ];
  // In time order, as they were recorded, so that each is rolled up as it would have been.
  for (const event of events.sort((a, b) => a.at - b.at)) event.add();
  return slots.toJSON();
}
