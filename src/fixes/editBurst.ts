import type { OffsetSpan } from './savePolicy';

/** One replacement of a change event: offsets into the text before the event, `end` exclusive. */
export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Pause without edits that ends an editing burst, in milliseconds. */
export const BURST_QUIET_MS = 10_000;

interface TypedSpan {
  start: number;
  end: number;
  /** When its text was (last) typed, from the injected clock. */
  at: number;
}

/**
 * The text a user typed in one document during the current editing burst, kept as offset spans that follow later
 * edits. A span is in the burst while it is unsaved, and for as long as the user keeps typing after a save (less
 * than `quietMs` between edits): auto-save every second must not make an import typed a moment ago fair game.
 * The clock is injected, so tests never sleep.
 */
export class EditBurst {
  private spans: TypedSpan[] = [];
  private lastEditAt = Number.NEGATIVE_INFINITY;
  private runStartAt = Number.NEGATIVE_INFINITY;
  private savedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number, private readonly quietMs = BURST_QUIET_MS) {}

  /** Records one change event; its changes refer to the text before the event and do not overlap. */
  record(changes: readonly TextChange[]): void {
    const at = this.now();
    if (at - this.lastEditAt >= this.quietMs) this.runStartAt = at;
    this.lastEditAt = at;
    this.prune(at);
    // From the end backwards, so every change's offsets are still those of the text before the event.
    for (const change of [...changes].sort((a, b) => b.start - a.start)) this.apply(change, at);
    this.spans = merged(this.spans);
  }

  /** The document was saved: what was typed so far stays in the burst only while the typing goes on. */
  saved(): void {
    this.savedAt = this.now();
  }

  /** The spans typed during the current burst, in the current text's offsets, sorted. */
  current(): OffsetSpan[] {
    this.prune(this.now());
    return this.spans.map(({ start, end }) => ({ start, end }));
  }

  private apply(change: TextChange, at: number): void {
    const delta = change.text.length - (change.end - change.start);
    const map = (offset: number) => (offset <= change.start ? offset : offset >= change.end ? offset + delta : change.start);
    const moved: TypedSpan[] = [];
    for (const span of this.spans) {
      const start = map(span.start);
      const end = map(span.end);
      if (end > start) moved.push({ start, end, at: span.at });
    }
    if (change.text.length > 0) moved.push({ start: change.start, end: change.start + change.text.length, at });
    this.spans = moved;
  }

  /** Drops spans out of the burst for good: saved, and typed before the current run of edits began. */
  private prune(now: number): void {
    const running = now - this.lastEditAt < this.quietMs;
    this.spans = this.spans.filter((span) => span.at > this.savedAt || (running && span.at >= this.runStartAt));
  }
}

/** Sorts spans and joins those that touch (keystrokes typed one after another), keeping the latest time. */
function merged(spans: readonly TypedSpan[]): TypedSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: TypedSpan[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
      last.at = Math.max(last.at, span.at);
    } else {
      out.push({ ...span });
    }
  }
  return out;
}
