import {
  insertion, insideLiteral, linesBetweenStatements, type PlantContext, type Site,
} from './plantContext';
import { pick, randomInt } from './random';

/** Defects planted per file at most: the indentation sites keep the file's dominant style under that. */
export const MAX_DEFECTS_PER_FILE = 6;

const TRAILING = [' ', '  ', '\t', ' \t', '    ', '\t\t '];

/** Ends of lines with content, outside strings and templates: trailing blanks there are layout. */
export function trailingWhitespaceSites(context: PlantContext): Site[] {
  const sites: Site[] = [];
  context.lines.forEach((line, index) => {
    if (context.text.slice(line.start, line.end).trim() === '' || insideLiteral(context, line.end)) return;
    sites.push({
      lines: [index],
      make: (random) => ({
        edits: [insertion(line.end, pick(random, TRAILING))],
        defect: { kind: 'trailing-whitespace', line: index + 1 },
        exactLayout: true,
      }),
    });
  });
  return sites;
}

/**
 * Lines indented with spaces, in a file indented with spaces: some of their leading spaces become a tab
 * (a tab alone or a tab then spaces). Files where the planted tabs could tip the dominant style are left out.
 */
export function indentationSites(context: PlantContext): Site[] {
  const indented: { index: number; spaces: number }[] = [];
  let tabs = 0;
  context.lines.forEach((line, index) => {
    const indent = /^[ \t]*/.exec(context.text.slice(line.start, line.end))![0];
    if (indent === '' || indent.length === line.end - line.start || insideLiteral(context, line.start)) return;
    if (indent.startsWith('\t')) tabs++;
    if (/^ +$/.test(indent)) indented.push({ index, spaces: indent.length });
  });
  const total = indented.length + tabs;
  if ((tabs + MAX_DEFECTS_PER_FILE) * 2 > total) return [];
  return indented.map(({ index, spaces }) => ({
    lines: [index],
    make: (random) => {
      const replaced = randomInt(random, 1, spaces);
      const start = context.lines[index].start;
      return {
        edits: [{ start, end: start + replaced, newText: '\t' }],
        defect: { kind: 'indentation', line: index + 1 },
        exactLayout: true,
      };
    },
  }));
}

/** Between two top-level statements: three to five blank lines (some holding blanks) are inserted. */
export function blankLineSites(context: PlantContext): Site[] {
  return linesBetweenStatements(context).map(({ line }) => ({
    lines: [line],
    make: (random) => {
      const count = randomInt(random, 3, 5);
      const blank = Array.from({ length: count }, () => pick(random, ['', '', ' ', '\t']) + context.eol).join('');
      return {
        edits: [insertion(context.lines[line].start, blank)],
        defect: { kind: 'blank-lines', line: line + 1 },
        exactLayout: true,
      };
    },
  }));
}

/** A file ending with exactly one line break loses it. */
export function finalNewlineSites(context: PlantContext): Site[] {
  const { text, lines } = context;
  const match = /[^\r\n](\r?\n)$/.exec(text);
  if (!match || lines.length < 2) return [];
  const last = lines.length - 2; // The line before the empty one that follows the final break.
  return [{
    lines: [last, last + 1],
    make: () => ({
      edits: [{ start: text.length - match[1].length, end: text.length, newText: '' }],
      defect: { kind: 'final-newline', line: last + 1 },
      exactLayout: true,
    }),
  }];
}
