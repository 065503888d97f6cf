import type { Finding, TextEdit } from '../core/model';
import { lineEditScript } from './unifiedDiff';

/**
 * Turns a file's validated fixed text back into separate edits (one per changed run of lines), so the editor's
 * refactor preview lists each change on its own and the user can untick single ones. The line diff is the one
 * `--dry-run` prints (`lineEditScript`): past 2,000 edit steps the changed middle becomes one hunk.
 */

/**
 * The edits turning `before` into `after`, in order, never overlapping: one per changed line, or per changed run
 * of lines where lines were added or removed, trimmed to the characters that differ (a cursor next to a fixed spot
 * stays where it was).
 */
export function diffHunks(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = splitKeepingBreaks(before);
  const b = splitKeepingBreaks(after);
  const offsets = lineOffsets(a);
  const pairs = commonLines(a, b);
  const hunks: TextEdit[] = [];
  let ai = 0;
  let bi = 0;
  const replace = (from: number, to: number, lines: readonly string[]) => {
    const edit = minimalEdit(before.slice(offsets[from], offsets[to]), lines.join(''));
    hunks.push({ start: offsets[from] + edit.start, end: offsets[from] + edit.end, newText: edit.newText });
  };
  for (const [x, y] of [...pairs, [a.length, b.length] as const]) {
    // As many lines on both sides: each line changed in place gets its own edit (fixes on neighbouring lines stay apart).
    if (x - ai === y - bi) for (let i = 0; i < x - ai; i++) replace(ai + i, ai + i + 1, [b[bi + i]]);
    else replace(ai, x, b.slice(bi, y));
    ai = x + 1;
    bi = y + 1;
  }
  return hunks;
}

/** A hunk of a fixed file with the rules and fix titles it comes from (labels in the refactor preview). */
export interface LabelledHunk<T extends TextEdit = TextEdit> {
  readonly edit: T;
  /** Rules whose fix edits lie in or next to the hunk, sorted; empty for a change a first fix uncovered. */
  readonly rules: string[];
  readonly titles: string[];
  /** Whether every fix in the hunk is marked safe (layout only, nothing removed); false when none is known. */
  readonly safe: boolean;
  /**
   * Whether every fix in the hunk comes from a layout rule (`LAYOUT_RULES`), whatever the file's language: the
   * refactor preview starts these ticked. `safe` is the on-save policy's flag and also weighs the language.
   */
  readonly layout: boolean;
  /** How many audited fixes fall in the hunk (0 for a change a first fix uncovered). */
  readonly fixes: number;
}

/**
 * Rules whose fixes change only layout: whitespace at line ends, indentation, blank lines, the final newline. A fix
 * of these never removes or rewrites code, whatever the language, so "Fix all in workspace" starts them ticked; the
 * on-save policy is stricter (re-indenting Python or YAML on save is not layout there: see `Fix.safe`).
 */
export const LAYOUT_RULES: ReadonlySet<string> = new Set([
  'hygiene/trailing-whitespace', 'hygiene/mixed-indentation', 'hygiene/consecutive-blank-lines', 'hygiene/final-newline',
]);

/** Names every hunk after the audited findings whose fixes fall in it (their edits are offsets into `before`). */
export function labelHunks<T extends TextEdit>(hunks: readonly T[], findings: readonly Finding[]): LabelledHunk<T>[] {
  return hunks.map((edit) => {
    const rules = new Set<string>();
    const titles = new Set<string>();
    let safe = true;
    let fixes = 0;
    for (const finding of findings) {
      if (!finding.fix?.edits.some((e) => e.start <= edit.end && edit.start <= e.end)) continue;
      rules.add(finding.rule);
      titles.add(finding.fix.title);
      safe &&= finding.fix.safe === true;
      fixes++;
    }
    const layout = rules.size > 0 && [...rules].every((rule) => LAYOUT_RULES.has(rule));
    return { edit, rules: [...rules].sort(), titles: [...titles], safe: safe && rules.size > 0, layout, fixes };
  });
}

/**
 * Which of `hunks` (offsets into `before`, in order, not overlapping) `after` shows applied, when `after` is `before`
 * with some of them applied and nothing else changed; undefined otherwise (the text was edited in between). A hunk
 * whose old and new text both fit is resolved by what follows, so the answer is exact whenever one exists.
 */
export function appliedHunks(before: string, after: string, hunks: readonly TextEdit[]): boolean[] | undefined {
  // Memo of (hunk index, position in `after`) already known not to lead to a match: keeps the search linear in practice.
  const dead = new Set<string>();
  const chosen: boolean[] = [];
  const match = (i: number, at: number): boolean => {
    const from = i === 0 ? 0 : hunks[i - 1].end;
    const gapEnd = i < hunks.length ? hunks[i].start : before.length;
    if (!after.startsWith(before.slice(from, gapEnd), at)) return false;
    const next = at + gapEnd - from;
    if (i === hunks.length) return next === after.length;
    const key = `${i}:${next}`;
    if (dead.has(key)) return false;
    const hunk = hunks[i];
    for (const [applied, text] of [[true, hunk.newText], [false, before.slice(hunk.start, hunk.end)]] as const) {
      chosen[i] = applied;
      if (after.startsWith(text, next) && match(i + 1, next + text.length)) return true;
    }
    dead.add(key);
    return false;
  };
  return match(0, 0) ? chosen.slice(0, hunks.length) : undefined;
}

/** Lines with their line breaks ("\r\n", "\n" or a lone "\r"), so joining them gives the text back. */
function splitKeepingBreaks(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

function lineOffsets(lines: readonly string[]): number[] {
  const offsets = [0];
  for (const line of lines) offsets.push(offsets[offsets.length - 1] + line.length);
  return offsets;
}

/** Index pairs (in `a`, in `b`) of the lines the shortest edit script keeps, ascending. */
function commonLines(a: readonly string[], b: readonly string[]): Array<readonly [number, number]> {
  const pairs: Array<readonly [number, number]> = [];
  let x = 0;
  let y = 0;
  for (const op of lineEditScript(a, b, undefined, false)) {
    if (op === 'keep') pairs.push([x, y]);
    if (op !== 'add') x++;
    if (op !== 'remove') y++;
  }
  return pairs;
}

/** One replacement turning `before` into `after`, trimmed to what differs (keeps cursors and folding stable). */
export function minimalEdit(before: string, after: string): { start: number; end: number; newText: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never cut a CRLF pair or a surrogate pair in two: positions inside them are not real positions.
  while (start > 0 && (splitsCrlf(before, start) || isHighSurrogate(before.charCodeAt(start - 1)))) start--;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  while (tail > 0 && (splitsCrlf(before, before.length - tail) || isLowSurrogate(before.charCodeAt(before.length - tail)))) tail--;
  return { start, end: before.length - tail, newText: after.slice(start, after.length - tail) };
}

/** Whether offset `at` falls between the two characters of a CRLF. */
function splitsCrlf(text: string, at: number): boolean {
  return text[at - 1] === '\r' && text[at] === '\n';
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
