/**
 * A baseline over a whole audit (the CLI): which files need their fingerprints (read again, checked against the
 * audited hash), the matching, the recording of today's findings, and the run's summary.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { decodeFile, MAX_FILE_SIZE_KB, readBytesSync } from '../files/fileLoader';
import { hashText } from '../hash';
import type { AuditResult, BaselineSummary, FileResult } from '../model';
import { fingerprintFindings, isBaselinable } from './fingerprint';
import type { Baseline, BaselineEntry } from './format';
import { BaselineMatcher } from './match';

/** Where a baseline file is, for an audit of `root`. */
export interface BaselinePlace {
  /** The baseline file's absolute path; its folder is what its paths are relative to. */
  readonly file: string;
  /** The audit's root (`AuditResult.root`). */
  readonly root: string;
  /** A file's audited text when the caller holds it (an editor's buffer); read from disk otherwise. */
  readonly textOf?: (path: string) => string | undefined;
}

/** `path` (relative to the audit root) relative to the baseline's folder, POSIX; undefined outside that folder. */
export function baselineKey(place: BaselinePlace, path: string): string | undefined {
  const rel = relative(dirname(place.file), join(place.root, path));
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return undefined;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** Whether a baseline path no longer names a file (so a renamed file may take its entries); asked once per path. */
export function goneChecker(place: BaselinePlace): (path: string) => boolean {
  const known = new Map<string, boolean>();
  return (path) => {
    let gone = known.get(path);
    if (gone === undefined) known.set(path, (gone = !existsSync(join(dirname(place.file), path))));
    return gone;
  };
}

/**
 * The fingerprints of a file's findings, from its audited text: the caller's, else the file read again, and only
 * when it still hashes as audited (a file changed meanwhile gives undefined: its findings are all new).
 */
export function fileFingerprints(place: BaselinePlace, file: FileResult): string[] | undefined {
  let text = place.textOf?.(file.path);
  if (text === undefined) {
    const raw = readBytesSync(join(place.root, file.path), { maxFileSizeKb: MAX_FILE_SIZE_KB });
    const decoded = raw.kind === 'skip' ? raw : decodeFile(raw.bytes);
    if (decoded.kind === 'skip') return undefined;
    text = decoded.text;
  }
  return hashText(text) === file.contentHash ? fingerprintFindings(file.findings, text) : undefined;
}

/** What a baseline did to one audit. */
export interface BaselineOutcome {
  readonly result: AuditResult;
  /** The baseline as `--baseline-prune` writes it. */
  readonly pruned: Baseline;
}

/** Applies `baseline` to every file of `result`; the result carries the summary `{ file, matched, new }`. */
export function applyBaseline(result: AuditResult, baseline: Baseline, place: BaselinePlace): BaselineOutcome {
  const matcher = fileMatcher(baseline, place);
  const files = result.files.map(matcher.apply);
  return { result: { ...result, files, baseline: matcher.summary() }, pruned: matcher.pruned() };
}

/** A baseline applied file by file (as files finish): in path order, it gives what {@link applyBaseline} gives. */
export interface FileMatcher {
  readonly apply: (file: FileResult) => FileResult;
  /** The run's summary so far. */
  summary(): BaselineSummary;
  /** The baseline as `--baseline-prune` writes it, after every file was applied. */
  pruned(): Baseline;
}

/** {@link applyBaseline} one file at a time. */
export function fileMatcher(baseline: Baseline, place: BaselinePlace): FileMatcher {
  const isGone = goneChecker(place);
  const matcher = new BaselineMatcher(baseline, { name: basename(place.file), isGone });
  let renames: boolean | undefined;
  return {
    apply: (file) => {
      const key = baselineKey(place, file.path);
      // Only a file the baseline knows, or one that may be a renamed one (some baselined path is gone), is read again.
      const needed = key !== undefined && file.findings.some((f) => isBaselinable(f.rule))
        && (baseline.has(key) || (renames ??= [...baseline.keys()].some(isGone)));
      return matcher.apply({ file, key, fingerprints: needed ? fileFingerprints(place, file) : [] });
    },
    summary: () => ({ file: displayName(place), matched: matcher.matched, new: matcher.added }),
    pruned: () => matcher.pruned(),
  };
}

/**
 * Today's findings as a baseline: one entry per audited file and rule. Entries of `previous` for files this audit
 * did not cover (outside the audited folder, left out) are kept, those of files that no longer exist dropped.
 * Throws when a file with findings cannot be fingerprinted (it changed during the audit), naming it.
 */
export function recordBaseline(result: AuditResult, previous: Baseline | undefined, place: BaselinePlace): Baseline {
  const isGone = goneChecker(place);
  const next = new Map<string, Map<string, BaselineEntry>>();
  const audited = new Set<string>();
  for (const file of result.files) {
    const key = baselineKey(place, file.path);
    if (key === undefined) {
      if (!file.findings.some((f) => isBaselinable(f.rule))) continue;
      throw new Error(`${file.path} is outside the baseline's folder ${dirname(place.file)}: put the baseline in the audited folder or above it`);
    }
    audited.add(key);
    const entries = recordFile(file, place);
    if (entries.size > 0) next.set(key, entries);
  }
  for (const [path, rules] of previous ?? []) {
    if (!audited.has(path) && !isGone(path)) next.set(path, new Map(rules));
  }
  return next;
}

function recordFile(file: FileResult, place: BaselinePlace): Map<string, BaselineEntry> {
  const entries = new Map<string, BaselineEntry>();
  if (!file.findings.some((f) => isBaselinable(f.rule))) return entries;
  const fingerprints = fileFingerprints(place, file);
  if (fingerprints === undefined) throw new Error(`${file.path} changed while it was audited; record the baseline again`);
  const byRule = new Map<string, string[]>();
  file.findings.forEach((finding, i) => {
    if (!isBaselinable(finding.rule)) return;
    const list = byRule.get(finding.rule) ?? [];
    list.push(fingerprints[i]);
    byRule.set(finding.rule, list);
  });
  for (const [rule, list] of byRule) entries.set(rule, { count: list.length, fingerprints: list });
  return entries;
}

/** The baseline's path as reports show it: relative to the audit root when inside it, else absolute. */
function displayName(place: BaselinePlace): string {
  const rel = relative(place.root, place.file);
  if (rel === '' || isAbsolute(rel) || rel.startsWith('..')) return place.file;
  return sep === '/' ? rel : rel.split(sep).join('/');
}
