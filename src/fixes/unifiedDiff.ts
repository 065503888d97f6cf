/** Options of {@link unifiedDiff}. */
export interface UnifiedDiffOptions {
  /** Name on the `---` line, e.g. `a/src/x.ts`. */
  readonly oldLabel: string;
  /** Name on the `+++` line, e.g. `b/src/x.ts`. */
  readonly newLabel: string;
  /** Unchanged lines shown around each change (default 3, as `diff -u`). */
  readonly context?: number;
  /**
   * Most edit steps the line diff may search (Myers' D) before giving up on a minimal diff and showing the
   * changed middle of the file as one replacement. Bounds time and memory on files rewritten wholesale.
   */
  readonly maxEditDistance?: number;
}

/** One line of the edit script: kept, removed from the old text, or added from the new one. */
export type LineOp = 'keep' | 'remove' | 'add';
type Op = LineOp;

const NO_NEWLINE = '\\ No newline at end of file';

/**
 * A unified diff of two texts, as `diff -u` writes it and `patch`/`git apply` read it: headers, then hunks with
 * `context` lines around the changes, and `\ No newline at end of file` after a last line without one. Line
 * endings are part of a line (a CRLF file diffs as CRLF lines). '' when the texts are equal.
 *
 * Common leading and trailing lines are trimmed first, then Myers' O((N+M)·D) algorithm finds a shortest edit
 * script of the rest; past `maxEditDistance` the rest is shown replaced whole, still a correct patch.
 */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  if (oldText === newText) return '';
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = lineEditScript(a, b, options.maxEditDistance);
  const hunks = formatHunks(ops, a, b, options.context ?? 3);
  return `--- ${diffHeaderName(options.oldLabel)}\n+++ ${diffHeaderName(options.newLabel)}\n${hunks.join('')}`;
}

/** git's C-style escapes; other bytes that need quoting are written in octal. */
const C_ESCAPES: Readonly<Record<number, string>> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 34: '"', 92: '\\' };

/**
 * A file name as git writes it on a `---`/`+++` line, which GNU `patch` and `git apply` both read back: in double
 * quotes with C escapes when it holds a `"`, a `\\`, a control character or a non-ASCII byte (git's
 * `core.quotePath`, so a line break or an escape sequence in a name neither forges a header nor reaches the
 * terminal), and followed by a tab when it holds a space, which tells `patch` where the name ends.
 */
export function diffHeaderName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what must be quoted
  const quoted = /["\\\u0000-\u001f\u007f-\uffff]/.test(name) ? quoteName(name) : name;
  return quoted.includes(' ') ? `${quoted}\t` : quoted;
}

function quoteName(name: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(name)) {
    const named = C_ESCAPES[byte];
    if (named !== undefined) out += `\\${named}`;
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

/** Lines with their terminators; an empty text has none, a text without a final newline ends with a bare line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.split(/(?<=\n)/);
}

/**
 * A shortest edit script turning lines `a` into lines `b` (one op per line, in order), also behind the editor's
 * per-change fix hunks (src/fixes/fixHunks.ts). Past `maxD` edit steps the differing middle is removed and added whole.
 * `trim` first sets common leading and trailing lines aside (faster); without it, equal runs in the middle match
 * where Myers' search meets them first, which is how the fix hunks keep one edit per line changed in place.
 */
export function lineEditScript(a: readonly string[], b: readonly string[], maxD = 2000, trim = true): Op[] {
  let prefix = 0;
  while (trim && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (trim && suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  // Lines are compared as small integers: one Map lookup per line instead of string compares in the inner loop.
  const ids = new Map<string, number>();
  const toIds = (lines: readonly string[]) => Int32Array.from(lines.slice(prefix, lines.length - suffix), (line) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  });
  const [x, y] = [toIds(a), toIds(b)];
  const middle = myers(x, y, maxD) ?? [...new Array<Op>(x.length).fill('remove'), ...new Array<Op>(y.length).fill('add')];
  return [...new Array<Op>(prefix).fill('keep'), ...middle, ...new Array<Op>(suffix).fill('keep')];
}

/**
 * Myers' greedy shortest edit script ("An O(ND) Difference Algorithm", 1986). Keeps, for every D, the furthest
 * x reached on each diagonal k in [-D, D] (O(D²) memory), then walks back from the end. undefined past `maxD`.
 */
function myers(a: Int32Array, b: Int32Array, maxD: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, maxD);
  const trace: Int32Array[] = [];
  let previous = new Int32Array(1);
  for (let d = 0; d <= limit; d++) {
    // v[k + d] = furthest x on diagonal k after d edits.
    const v = new Int32Array(2 * d + 1);
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && at(previous, d - 1, k - 1) < at(previous, d - 1, k + 1));
      let x = d === 0 ? 0 : down ? at(previous, d - 1, k + 1) : at(previous, d - 1, k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[k + d] = x;
      if (x >= n && y >= m) {
        trace.push(v);
        return backtrack(trace, n, m);
      }
    }
    trace.push(v);
    previous = v;
  }
  return undefined;
}

function at(v: Int32Array, d: number, k: number): number {
  return v[k + d];
}

function backtrack(trace: readonly Int32Array[], n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(previous, d - 1, k - 1) < at(previous, d - 1, k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(previous, d - 1, prevK);
    const prevY = prevX - prevK;
    // The snake of this step, then the one edit that led into it.
    while (x > (down ? prevX : prevX + 1) && y > (down ? prevY + 1 : prevY)) {
      ops.push('keep');
      x--;
      y--;
    }
    ops.push(down ? 'add' : 'remove');
    x = prevX;
    y = prevY;
  }
  for (; x > 0; x--) ops.push('keep');
  return ops.reverse();
}

/** Groups the script into hunks: changes at most 2 × context unchanged lines apart share one. */
function formatHunks(ops: readonly Op[], a: readonly string[], b: readonly string[], context: number): string[] {
  const hunks: string[] = [];
  // Line indexes, in the old and new texts, of the op at i.
  let [i, oldAt, newAt] = [0, 0, 0];
  for (let change = firstChange(ops, 0); change !== -1; change = firstChange(ops, i)) {
    for (; i < change - context; i++) [oldAt, newAt] = [oldAt + 1, newAt + 1];
    const stop = Math.min(ops.length, lastChangeOfHunk(ops, change, context) + 1 + context);
    const [oldStart, newStart] = [oldAt, newAt];
    const lines: string[] = [];
    for (; i < stop; i++) {
      if (ops[i] === 'add') {
        lines.push(line('+', b[newAt++]));
        continue;
      }
      lines.push(line(ops[i] === 'keep' ? ' ' : '-', a[oldAt++]));
      if (ops[i] === 'keep') newAt++;
    }
    hunks.push(`@@ -${range(oldStart, oldAt - oldStart)} +${range(newStart, newAt - newStart)} @@\n${lines.join('')}`);
  }
  return hunks;
}

/** Index of the last change that joins the hunk opened by the change at `from`. */
function lastChangeOfHunk(ops: readonly Op[], from: number, context: number): number {
  let last = from;
  for (let j = from + 1; j < ops.length && j - last <= 2 * context + 1; j++) if (ops[j] !== 'keep') last = j;
  return last;
}

function firstChange(ops: readonly Op[], from: number): number {
  for (let i = from; i < ops.length; i++) if (ops[i] !== 'keep') return i;
  return -1;
}

function line(prefix: string, text: string): string {
  return text.endsWith('\n') ? `${prefix}${text}` : `${prefix}${text}\n${NO_NEWLINE}\n`;
}

/** `start,count` with a 1-based start; an empty range names the line before it, as `diff -u` does. */
function range(start: number, count: number): string {
  return `${count === 0 ? start : start + 1},${count}`;
}
