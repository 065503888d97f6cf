import type { Finding, Severity } from '../../core/model';
import { extensionOf } from '../../core/files/languages';
import { detectEol, type LineIndex } from '../../core/text';
import { linesOf, treeOrNull, type Agent, type AgentInput } from '../../core/agent';
import { identityOf } from '../lineup';
import { indentationFindings } from './indentation';
import { insideSpan, literalSpans, splitLines, type TextLine } from '../shared/textLines';

/** Blank lines allowed in a row before `hygiene/consecutive-blank-lines` (PEP 8's two between definitions). */
export const MAX_CONSECUTIVE_BLANK_LINES = 2;

/** Files whose trailing whitespace is meaningful: diff context lines keep their spaces. */
const KEEPS_TRAILING_WHITESPACE = new Set(['.diff', '.patch']);
const MARKDOWN = new Set(['.md', '.markdown', '.mdx']);

/**
 * Files a tool writes, not a person: icons exported by a drawing program, source maps, test snapshots, minified
 * bundles and lock files. Their layout is the tool's, and a fix would be undone by the next export (issue 21: 10 of
 * Theia's 40 SVG icons were reported). The other agents still read them: a secret in an SVG is still a secret.
 */
const GENERATED = /(?:\.(?:svg|map|snap|lock)|\.min\.[^/]*|(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml))$/i;

/** Whether the hygiene agent leaves the file alone: a file a tool writes (see `GENERATED`). */
export function isGeneratedFile(path: string): boolean {
  return GENERATED.test(path);
}

/** What a hygiene check needs about the file. */
export interface HygieneContext {
  readonly input: AgentInput;
  readonly lines: readonly TextLine[];
  readonly index: LineIndex;
  /** Spans of template literals and strings, where whitespace is content. */
  readonly literals: ReadonlyArray<[number, number]>;
}

/**
 * The hygiene agent (seeds' text transformations 03/11): trailing whitespace, mixed indentation, runs
 * of blank lines and the final newline, on any text file. Whitespace inside template literals and
 * strings is left alone, and line endings are never changed (a CRLF file stays CRLF).
 */
export const hygieneAgent: Agent = {
  ...identityOf('hygiene'),
  run(input: AgentInput): Finding[] {
    if (isGeneratedFile(input.path)) return [];
    const tree = treeOrNull(input);
    const context: HygieneContext = {
      input,
      lines: splitLines(input.text),
      index: linesOf(input),
      literals: literalSpans(tree ?? undefined),
    };
    const findings = [
      ...trailingWhitespace(context),
      ...indentationFindings(context),
      ...blankLineRuns(context),
      ...finalNewline(context),
    ];
    // The parser failed on the file: without its strings and templates known, no fix can be proven safe.
    return tree === null ? findings.map(withoutFix) : findings;
  },
};

function withoutFix(finding: Finding): Finding {
  return { agent: finding.agent, rule: finding.rule, severity: finding.severity, message: finding.message, range: finding.range };
}

/** What a hygiene finding says, and where: the text `[start, end)`. */
export interface HygieneProblem {
  /** The rule's name within the agent (`trailing-whitespace`). */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

/** A hygiene fix: `newText` replaces the problem's text, or `[editStart, editEnd)` when given. */
export interface HygieneFix {
  readonly title: string;
  readonly newText: string;
  readonly editStart?: number;
  readonly editEnd?: number;
  /** Default true. */
  readonly safe?: boolean;
}

/**
 * Builds a hygiene finding with its fix. Layout fixes are safe (applied on save) unless `fix.safe` says otherwise:
 * whitespace in literals is never touched.
 */
export function hygieneFinding(
  context: HygieneContext, { rule, severity, message, start, end }: HygieneProblem, fix: HygieneFix,
): Finding {
  return {
    agent: 'hygiene',
    rule: `hygiene/${rule}`,
    severity,
    message,
    range: context.index.rangeOf(start, end),
    fix: {
      title: fix.title,
      edits: [{ start: fix.editStart ?? start, end: fix.editEnd ?? end, newText: fix.newText }],
      safe: fix.safe ?? true,
    },
  };
}

function trailingWhitespace(context: HygieneContext): Finding[] {
  const ext = extensionOf(context.input.path);
  if (KEEPS_TRAILING_WHITESPACE.has(ext)) return [];
  const { text } = context.input;
  // One native scan answers for most files: a blank before a line break or the end is what this looks for.
  if (!hasTrailingBlank(text)) return [];
  const findings: Finding[] = [];
  for (const line of context.lines) {
    let start = line.end;
    while (start > line.start && isBlank(text.charCodeAt(start - 1))) start--;
    if (start === line.end || insideSpan(context.literals, start)) continue;
    // Two trailing spaces end a Markdown line with a hard break: that is content.
    if (MARKDOWN.has(ext) && start > line.start && /^ {2,}$/.test(text.slice(start, line.end))) continue;
    findings.push(hygieneFinding(context,
      { rule: 'trailing-whitespace', severity: 'info', message: 'Trailing whitespace', start, end: line.end },
      { title: 'Remove trailing whitespace', newText: '' }));
  }
  return findings;
}

function blankLineRuns(context: HygieneContext): Finding[] {
  const { text } = context.input;
  const findings: Finding[] = [];
  const blank = (line: TextLine) => isBlankText(text, line.start, line.end) && !insideSpan(context.literals, line.start);
  const lines = context.lines;
  for (let i = 0; i < lines.length; i++) {
    if (!blank(lines[i])) continue;
    let j = i;
    while (j + 1 < lines.length && blank(lines[j + 1])) j++;
    // The last line of a file ending with a newline is empty by construction: it is not a blank line.
    const last = lines[j] === lines[lines.length - 1] && lines[j].start === text.length ? j - 1 : j;
    const excess = last - i + 1 - MAX_CONSECUTIVE_BLANK_LINES;
    if (excess > 0) {
      const first = lines[i + MAX_CONSECUTIVE_BLANK_LINES];
      const runEnd = lines[last].next;
      findings.push(hygieneFinding(context, {
        rule: 'consecutive-blank-lines', severity: 'info',
        message: `${last - i + 1} consecutive blank lines (at most ${MAX_CONSECUTIVE_BLANK_LINES})`,
        start: first.start, end: lines[last].end,
      }, { title: 'Remove extra blank lines', newText: '', editEnd: runEnd }));
    }
    i = j;
  }
  return findings;
}

const NO_FINAL_NEWLINE = { rule: 'final-newline', severity: 'info', message: 'File does not end with a newline' } as const;

function finalNewline(context: HygieneContext): Finding[] {
  const { text } = context.input;
  if (text.length === 0 || text.endsWith('\n') || text.endsWith('\r')) return [];
  // A last line of only blanks after a line break: the file ends properly once they go (adding a line break
  // instead would leave an empty last line). The edit is the trailing-whitespace fix's, so both apply as one.
  const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  if (lastBreak >= 0 && /^[ \t]+$/.test(text.slice(lastBreak + 1))) {
    return [hygieneFinding(context, { ...NO_FINAL_NEWLINE, start: lastBreak + 1, end: text.length },
      { title: 'Remove blanks after the last line break', newText: '' })];
  }
  const eol = detectEol(text);
  return [hygieneFinding(context, { ...NO_FINAL_NEWLINE, start: text.length - 1, end: text.length },
    { title: 'Add final newline', newText: eol, editStart: text.length, editEnd: text.length })];
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** A space or tab right before a line break or the end of the text. */
const TRAILING_BLANK = /[ \t](?:[\r\n]|$)/;

/**
 * `TRAILING_BLANK.test(text)`, three times faster on text without carriage returns: the regex stops at every
 * space, this looks only before each `\n` (found by a native search). Text with a `\r` goes to the regex.
 */
export function hasTrailingBlank(text: string): boolean {
  if (text.length === 0) return false;
  if (isBlank(text.charCodeAt(text.length - 1))) return true;
  if (text.includes('\r')) return TRAILING_BLANK.test(text);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    if (at > 0 && isBlank(text.charCodeAt(at - 1))) return true;
  }
  return false;
}

/**
 * Whether `text[start, end)` trims to nothing. Printable ASCII answers at its first character, without the slice
 * `trim()` needs; anything else (Unicode spaces included) goes through `trim()` itself.
 */
function isBlankText(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (isBlank(code)) continue;
    if (code > 32 && code < 127) return false;
    return text.slice(start, end).trim() === '';
  }
  return true;
}
