/**
 * Text from the audited repository (file names, messages quoting its code) printed on a terminal. A name is
 * untrusted: an escape sequence in it would move the cursor, rewrite earlier lines or retitle the window, a bidi
 * override would show a different name than the real one, a line break would forge a line of the report.
 */

/**
 * C0 controls, DEL, C1 controls, and the bidi marks, embeddings, overrides and isolates (U+061C, U+200E–U+200F,
 * U+202A–U+202E, U+2066–U+2069: the "Trojan Source" characters).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same set without the line feed, for whole messages whose lines are meant. */
// eslint-disable-next-line no-control-regex -- as above
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\u001b': '\\e' };

/**
 * `text` safe to print on a terminal: each control character is shown as an escape (`\e`, `\n`, `\x07`,
 * `\u202e`), so nothing in it acts on the terminal and a line break cannot start a new line of the report. Other
 * characters, backslashes included, are left as they are: the result is for people, not to be parsed back.
 */
export function escapeControls(text: string): string {
  CONTROLS.lastIndex = 0;
  return CONTROLS.test(text) ? text.replace(CONTROLS, escapeOne) : text;
}

/** {@link escapeControls} keeping line feeds: for messages of several lines whose every piece was not escaped. */
export function escapeControlsKeepingLines(text: string): string {
  CONTROLS_BUT_NEWLINE.lastIndex = 0;
  return CONTROLS_BUT_NEWLINE.test(text) ? text.replace(CONTROLS_BUT_NEWLINE, escapeOne) : text;
}

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** Where the CLI writes text, as `process.stderr` does. */
export interface TextStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * `stream` with every chunk passed through {@link escapeControlsKeepingLines}: the CLI's messages quote paths
 * and errors from the repository, and this one place keeps them all, present and future, off the terminal's
 * control channel. Only for streams that never carry deliberate escapes (the colours are the report's own).
 */
export function terminalSafeStream(stream: TextStream): TextStream {
  return { write: (chunk: string) => stream.write(escapeControlsKeepingLines(chunk)), isTTY: stream.isTTY };
}
