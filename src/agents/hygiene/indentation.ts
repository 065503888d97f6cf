import type { Finding } from '../../core/model';
import { extensionOf } from '../../core/files/languages';
import type { HygieneContext } from './';
import { hygieneFinding } from './';
import { insideSpan, type TextLine } from '../shared/textLines';

/** Files where a leading tab is syntax or data, not layout. */
const TABS_ARE_CONTENT = new Set(['.mk', '.tsv', '.go']);
const TAB_NAMES = /(^|\/)(Makefile|GNUmakefile|makefile)$/;

type Style = 'tabs' | 'spaces';

interface Indented {
  readonly line: TextLine;
  readonly indent: string;
}

/**
 * `hygiene/mixed-indentation`: a line whose indentation mixes tabs and spaces, or uses the file's
 * minority style. The fix rewrites the indentation in the file's dominant style when the width is
 * unambiguous (tabs → the file's space unit; spaces → tabs only when they divide evenly).
 */
export function indentationFindings(context: HygieneContext): Finding[] {
  const path = context.input.path;
  if (TABS_ARE_CONTENT.has(extensionOf(path)) || TAB_NAMES.test(path)) return [];
  // Without a tab every indentation is spaces, the dominant style: nothing can be mixed.
  if (!context.input.text.includes('\t')) return [];
  const indented = indentedLines(context);
  const tabs = indented.filter((l) => l.indent.startsWith('\t')).length;
  const dominant: Style = tabs > indented.length - tabs ? 'tabs' : 'spaces';
  const unit = spaceUnit(indented);
  const findings: Finding[] = [];
  for (const { line, indent } of indented) {
    if (!isMixed(indent, dominant, context, line)) continue;
    const replacement = reindent(indent, dominant, unit);
    const finding = hygieneFinding(context, {
      rule: 'mixed-indentation', severity: 'warning',
      message: `Indentation mixes tabs and spaces (this file indents with ${dominant})`,
      start: line.start, end: line.start + indent.length,
    },
    // Indentation is syntax in Python and YAML and meaning in Markdown: only scripts re-indent on save by default.
    { title: `Indent with ${dominant}`, newText: replacement ?? indent, safe: context.input.language === 'script' });
    findings.push(replacement === undefined ? { ...finding, fix: undefined } : finding);
  }
  return findings;
}

function indentedLines(context: HygieneContext): Indented[] {
  const { text } = context.input;
  const result: Indented[] = [];
  for (const line of context.lines) {
    let end = line.start;
    while (end < line.end && (text[end] === ' ' || text[end] === '\t')) end++;
    // Whitespace-only lines are trailing whitespace, and literal content is not layout.
    if (end === line.start || end === line.end || insideSpan(context.literals, line.start)) continue;
    result.push({ line, indent: text.slice(line.start, end) });
  }
  return result;
}

function isMixed(indent: string, dominant: Style, context: HygieneContext, line: TextLine): boolean {
  const hasTab = indent.includes('\t');
  const hasSpace = indent.includes(' ');
  // Under tab indentation a single space is alignment (a block comment's ` *`), not indentation.
  if (!hasTab) return dominant === 'tabs' && indent.length >= 2;
  if (!hasSpace) return dominant === 'spaces';
  // Tabs then one space before `*` continues a block comment under tab indentation: a common, tidy style.
  const rest = context.input.text.slice(line.start + indent.length, line.start + indent.length + 1);
  return !(dominant === 'tabs' && /^\t+ $/.test(indent) && rest === '*');
}

function spaceUnit(indented: readonly Indented[]): number {
  let unit = 0;
  for (const { indent } of indented) {
    if (!/^ +$/.test(indent)) continue;
    unit = unit === 0 ? indent.length : gcd(unit, indent.length);
  }
  return unit >= 2 && unit <= 8 ? unit : 4;
}

function reindent(indent: string, dominant: Style, unit: number): string | undefined {
  if (dominant === 'spaces') return indent.replace(/\t/g, ' '.repeat(unit));
  const width = [...indent].reduce((w, c) => (c === '\t' ? w + unit : w + 1), 0);
  return width % unit === 0 ? '\t'.repeat(width / unit) : undefined;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
