/**
 * JSON with comments and trailing commas, as tsconfig.json and jsconfig.json are written. The coordinator reads
 * them on the main thread for every project; TypeScript's own reader would load the whole compiler there (~100 MB
 * and a second of start-up) just for this.
 */

/** The value of a JSONC text, or undefined when it is not valid JSONC. */
export function parseJsonc(text: string): unknown {
  try {
    return JSON.parse(stripJsonc(text));
  } catch {
    return undefined;
  }
}

/**
 * The text with `//` and `/* *\/` comments and commas before `}` or `]` blanked out (offsets and line numbers kept),
 * strings untouched. What is left is plain JSON when the input was valid JSONC.
 */
export function stripJsonc(text: string): string {
  const out = text.split('');
  let lastComma = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = endOfString(text, i);
      lastComma = -1;
    } else if (c === '/' && text[i + 1] === '/') {
      i = blank(out, i, text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i)) - 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = blank(out, i, close < 0 ? text.length : close + 2) - 1;
    } else if (c === ',') {
      lastComma = i;
    } else if ((c === '}' || c === ']') && lastComma >= 0) {
      out[lastComma] = ' ';
      lastComma = -1;
    } else if (!/\s/.test(c)) {
      lastComma = -1;
    }
  }
  return out.join('');
}

/** Index of the closing quote of the string opening at `start` (or the last index when it never closes). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

/** Blanks `[start, end)` except line breaks; returns `end`. */
function blank(out: string[], start: number, end: number): number {
  for (let i = start; i < end; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  return end;
}
