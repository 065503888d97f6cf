import { textFileLines, textReportEnd, type TextReportOptions } from '../reports/textReport';
import type { AuditOptions, AuditTarget } from '../core/run/coordinator';
import type { AuditResult, FileResult, SkippedFile } from '../core/model';
import type { AuditCommand } from './args';
import type { CliIo } from './main';
import { ProgressDisplay, type MessageStream, type ProgressStream } from './progress';

/**
 * Values released in the order of their keys, each as soon as every key before it is done: files finish in any
 * order under concurrency, and the report lists them sorted by path (the coordinator's order, by UTF-16 code
 * units, which is also `Array.prototype.sort`'s).
 */
export class InOrder<T> {
  private readonly order: readonly string[];
  private readonly ready = new Map<string, T | undefined>();
  private next = 0;

  constructor(keys: Iterable<string>) {
    this.order = [...keys].sort();
  }

  /** Marks `key` done (with no value for a key that has nothing to show); returns the values released now. */
  done(key: string, value?: T): T[] {
    this.ready.set(key, value);
    const released: T[] = [];
    while (this.next < this.order.length && this.ready.has(this.order[this.next])) {
      const key = this.order[this.next++];
      const value = this.ready.get(key);
      this.ready.delete(key);
      if (value !== undefined) released.push(value);
    }
    return released;
  }
}

/** What the CLI shows while the audit runs: a progress line, and the text report's lines as files finish. */
export interface LiveOutput {
  /** The coordinator's callbacks (none when there is nothing to show). */
  readonly hooks: Pick<AuditOptions, 'onFile' | 'onSkip' | 'onProgress'>;
  /** Files whose report lines are printed already; the report then prints the others and its end. */
  readonly printed: ReadonlySet<string>;
  /** Takes the progress line off for good: the audit is over, however it ended. */
  stop(): void;
}

/** Where and how the live output is shown. */
export interface LiveOutputOptions {
  /** The process's stderr as it is (the progress line's `\r` is meant): our own text only goes there. */
  readonly terminal: ProgressStream;
  /** The CLI's messages on stderr: while the progress line shows, they step around it. */
  readonly messages?: MessageStream;
  /** The text report's colours, as the final report has them. */
  readonly color: boolean;
  /** The progress line's clock (tests inject one). */
  readonly now?: () => number;
  /** Applied to each file before its lines print, in the report's order (the baseline). */
  readonly transform?: (file: FileResult) => FileResult;
}

/**
 * The live output of an audit of `targets`. Progress is shown when `--progress` says so, else when stderr is a
 * terminal. The text report's lines are printed as each file finishes (in the report's order) only when they go
 * to a terminal and are final: not to a file or a pipe (a script reads the whole report), not under `--fix`
 * (the report is the state after the fixes).
 */
export function liveOutput(command: AuditCommand, io: CliIo, targets: readonly AuditTarget[], options: LiveOutputOptions): LiveOutput {
  const showProgress = command.progress ?? io.stderr.isTTY === true;
  const stream = command.format === 'text' && command.output === undefined && !command.fix && io.stdout.isTTY === true;
  const progress = showProgress ? new ProgressDisplay(options.terminal, { now: options.now }) : undefined;
  const printed = new Set<string>();
  const hooks: { -readonly [K in keyof LiveOutput['hooks']]: LiveOutput['hooks'][K] } = {};
  if (progress) {
    hooks.onProgress = (done: number, total: number) => progress.update(done, total);
    if (options.messages) options.messages.around = (write) => progress.around(write);
  }
  if (stream) {
    const inOrder = new InOrder<FileResult>(targets.map((t) => t.path));
    const release = (files: readonly FileResult[]) => {
      for (const file of files) printed.add(file.path);
      const text = files.map(options.transform ?? ((file) => file)).map((file) => textFileLines(file, { color: options.color })).join('');
      if (text === '') return;
      if (progress) progress.around(() => io.stdout.write(text));
      else io.stdout.write(text);
    };
    hooks.onFile = (file: FileResult) => release(inOrder.done(file.path, file));
    // A skipped file shows in the summary only, but files after it wait for it.
    hooks.onSkip = (skipped: SkippedFile) => release(inOrder.done(skipped.path));
  }
  const stop = () => {
    if (options.messages) options.messages.around = undefined;
    progress?.clear();
  };
  return { hooks, printed, stop };
}

/**
 * The text report without the lines of the files already `printed`: printed after them, it makes the same bytes
 * as the whole report (the printed files are the first ones in its order).
 */
export function restOfTextReport(result: AuditResult, printed: ReadonlySet<string>, options: TextReportOptions): string {
  return result.files.filter((file) => !printed.has(file.path)).map((file) => textFileLines(file, options)).join('')
    + textReportEnd(result, options);
}
