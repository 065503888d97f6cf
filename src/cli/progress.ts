/**
 * The audit's progress on a terminal (issue 19, item 3): one line on stderr, redrawn in place with `\r` a few times
 * a second and cleared at the end, so a long audit is never silent and the scrollback keeps only the report.
 */

/** Where the progress line is drawn: the process's own stderr, not the escaping wrapper (the `\r` is meant). */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** The terminal's width, as `process.stderr` has it: a longer line would wrap, and `\r` only goes back one row. */
  readonly columns?: number;
}

/** The figures one progress line shows. */
export interface ProgressState {
  readonly done: number;
  readonly total: number;
  /** Files a second, once measured. */
  readonly perSecond?: number;
}

/** A rate measured over less than this says little: the line shows counts only until then. */
const MIN_RATE_WINDOW_MS = 500;

/** e.g. `auditing 1234 of 3600 files (34 %) · 512 files/s · 5 s left`: the time left is what is left at that rate. Pure. */
export function progressLine({ done, total, perSecond }: ProgressState): string {
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  const parts = [`auditing ${done} of ${total} file${total === 1 ? '' : 's'} (${percent} %)`];
  if (perSecond !== undefined && perSecond > 0) {
    parts.push(`${perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(1)} files/s`);
    if (done < total) parts.push(`${duration((total - done) / perSecond)} left`);
  }
  return parts.join(' · ');
}

/** `42 s`, `3 min 05 s`, `1 h 02 min`: rounded up, so the last second never reads "0 s left". */
function duration(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Options of {@link ProgressDisplay}. */
export interface ProgressDisplayOptions {
  /** Milliseconds, monotonic; `performance.now` by default (tests inject a clock). */
  readonly now?: () => number;
  /** Least time between two redraws (default 200 ms: five a second, calm to read, cheap to write). */
  readonly intervalMs?: number;
}

/**
 * The progress line on a stream: `update` redraws it at most every `intervalMs` (the first time only once the
 * audit has run that long, so a quick audit never flashes a line), `around` takes it off for other output and
 * puts it back, `clear` takes it off for good. Redraws overwrite with `\r` and pad with spaces over a longer
 * previous line: no escape sequence, so any terminal shows it.
 */
export class ProgressDisplay {
  private readonly now: () => number;
  private readonly intervalMs: number;
  private lastDraw: number;
  /** When the first file was done, and how many were: the rate is measured from there, start-up left out. */
  private first?: { readonly at: number; readonly done: number };
  /** The line on screen, '' when none. */
  private shown = '';

  constructor(private readonly stream: ProgressStream, options: ProgressDisplayOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.intervalMs = options.intervalMs ?? 200;
    this.lastDraw = this.now();
  }

  /**
   * Records `done` of `total`; redraws when the last redraw is old enough. The rate is the mean since the first
   * file was done (the threads' start-up and the parser's loading would make the first estimates far too long).
   */
  update(done: number, total: number): void {
    const now = this.now();
    this.first ??= { at: now, done };
    if (now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    const windowMs = now - this.first.at;
    const perSecond = windowMs >= MIN_RATE_WINDOW_MS ? (done - this.first.done) / (windowMs / 1000) : undefined;
    this.draw(progressLine({ done, total, perSecond }));
  }

  /** Runs `write` (other output on the same terminal) with the line taken off, then puts the line back. */
  around(write: () => void): void {
    const line = this.shown;
    this.clear();
    write();
    if (line !== '') this.draw(line);
  }

  /** Takes the line off the screen (the cursor back at the start of the empty line). */
  clear(): void {
    if (this.shown === '') return;
    this.stream.write(`\r${' '.repeat(this.shown.length)}\r`);
    this.shown = '';
  }

  private draw(full: string): void {
    const { columns } = this.stream;
    const line = columns !== undefined && columns > 1 && full.length >= columns ? full.slice(0, columns - 1) : full;
    const pad = Math.max(0, this.shown.length - line.length);
    this.stream.write(`\r${line}${' '.repeat(pad)}`);
    this.shown = line;
  }
}

/** Where {@link MessageStream} writes. */
export interface SteppingStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * The CLI's stderr for messages: while a progress line is on screen, a message written (a cache warning arriving
 * mid-audit, say) takes the line off first and puts it back after, instead of being glued to its end.
 */
export class MessageStream implements SteppingStream {
  readonly isTTY?: boolean;
  /** Set while a progress line is shown: runs a write with the line taken off. */
  around?: (write: () => void) => void;

  constructor(private readonly stream: SteppingStream) {
    this.isTTY = stream.isTTY;
  }

  write(chunk: string): unknown {
    let written: unknown;
    if (this.around) this.around(() => (written = this.stream.write(chunk)));
    else written = this.stream.write(chunk);
    return written;
  }
}
