/**
 * Fingerprints of findings that survive lines moving: no line number in them, only the rule and the normalized
 * text of the finding's line(s), plus an occurrence index that tells identical lines of one file apart.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../model';
import { LineIndex } from '../text';

/** Rules of the engine itself (`maintenance/agent-failed`, `maintenance/parse-failed`): never baselined. */
const ENGINE_RULE_PREFIX = 'maintenance/';

/**
 * Lines of a finding's range that go into its fingerprint. Rules report narrow ranges (a name, a keyword, a
 * line); a wider one would make every edit inside it a new finding, so only its first lines count.
 */
const MAX_FINGERPRINT_LINES = 3;

/** Hex digits of the hash kept: 64 bits, enough to tell apart the findings of one rule in one file. */
const HASH_HEX_DIGITS = 16;

/**
 * Whether a finding of `rule` may be recorded in a baseline. A finding saying part of a file's audit is missing
 * is never hidden: the audit must run again, not be forgotten.
 */
export function isBaselinable(rule: string): boolean {
  return !rule.startsWith(ENGINE_RULE_PREFIX);
}

/** A line as a fingerprint sees it: trimmed, every run of whitespace one space (re-indenting changes nothing). */
export function normalizeLine(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/**
 * The fingerprints of a file's findings, in their order: `<hash>:<n>` where the hash covers the rule and the
 * normalized text of the finding's lines, and `n` counts the findings with the same hash from the top of the
 * file (1-based). `text` is the audited text of the file the findings were found in.
 */
export function fingerprintFindings(findings: readonly Finding[], text: string): string[] {
  const index = new LineIndex(text);
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const hash = fingerprintHash(finding, text, index);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}

function fingerprintHash(finding: Finding, text: string, index: LineIndex): string {
  const { start, end } = finding.range;
  // A range ending at column 1 stops before that line: the line is not part of the finding.
  const last = end.line > start.line && end.column === 1 ? end.line - 1 : end.line;
  const lines: string[] = [];
  for (let line = start.line; line <= Math.min(last, start.line + MAX_FINGERPRINT_LINES - 1); line++) {
    lines.push(normalizeLine(lineText(text, index, line)));
  }
  return createHash('sha256').update(`${finding.rule}\0${lines.join('\n')}`).digest('hex').slice(0, HASH_HEX_DIGITS);
}

/** The text of 1-based `line` (with its line break, which normalizing drops); empty past the end. */
function lineText(text: string, index: LineIndex, line: number): string {
  if (line < 1 || line > index.lineCount) return '';
  const next = line < index.lineCount ? index.lineStart(line + 1) : text.length;
  return text.slice(index.lineStart(line), next);
}
