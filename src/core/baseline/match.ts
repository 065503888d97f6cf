/**
 * Matching an audit's findings against a baseline. Per file and rule, fingerprints first; then, while the entry's
 * count allows, the findings left (a baselined line that was edited keeps its place, as ESLint's count-only
 * suppressions would); then a file the baseline does not know may take the entries of a path that no longer
 * exists, by fingerprint only (it was renamed). What matches moves to `suppressed`; the rest is new.
 */
import type { FileResult, Finding, SuppressedFinding } from '../model';
import { gradeOf, scoreOf } from '../run/score';
import type { Baseline, BaselineEntry } from './format';
import { isBaselinable } from './fingerprint';

/** Options of a {@link BaselineMatcher}. */
export interface MatcherOptions {
  /** The baseline file's name, the `justification` of every suppression it makes. */
  readonly name: string;
  /** Whether a path of the baseline no longer exists: its entries may then match a renamed file. */
  readonly isGone: (path: string) => boolean;
}

/** One file to match: its result, its path relative to the baseline's folder, its findings' fingerprints. */
export interface MatchInput {
  readonly file: FileResult;
  /** Undefined when the file is outside the baseline's folder: nothing of it is in the baseline. */
  readonly key: string | undefined;
  /** Parallel to `file.findings`; undefined when the audited text could not be read again (all is new). */
  readonly fingerprints: readonly string[] | undefined;
}

/**
 * Applies one baseline to files one at a time (the editor streams them), remembering what matched: the counts of
 * the run and what a pruned baseline keeps. An entry of a vanished path matches at most once over all files.
 */
export class BaselineMatcher {
  /** Findings moved to `suppressed`. */
  matched = 0;
  /** Findings that go beyond the baseline (engine findings, never baselined, are not counted). */
  added = 0;
  /** By file key, rule → the current fingerprints of the findings that matched. */
  private readonly kept = new Map<string, Map<string, string[]>>();
  /** Keys whose file was matched with its text: a pruned baseline rewrites their entries. */
  private readonly audited = new Set<string>();
  private renamePool: Map<string, string[]> | undefined;

  constructor(private readonly baseline: Baseline, private readonly options: MatcherOptions) {}

  /** The file with what the baseline admits moved to `suppressed`, and its score and grade recomputed. */
  apply(input: MatchInput): FileResult {
    const { file, key, fingerprints } = input;
    const candidates = file.findings.filter((f) => isBaselinable(f.rule)).length;
    if (key !== undefined && candidates === 0) this.audited.add(key);
    // Outside the baseline's folder, or its text unknown (it changed since the audit): all of it is new.
    if (key === undefined || fingerprints === undefined || candidates === 0) {
      this.added += candidates;
      return file;
    }
    this.audited.add(key);
    const known = this.baseline.get(key);
    const hits = known ? this.matchKnown(file.findings, fingerprints, known) : this.matchRenamed(file.findings, fingerprints);
    for (const i of hits) this.keep(key, file.findings[i].rule, fingerprints[i]);
    this.matched += hits.size;
    this.added += candidates - hits.size;
    return hits.size === 0 ? file : suppress(file, hits, this.options.name);
  }

  /**
   * The baseline as a prune leaves it: for every file matched here, only what matched (under the file's path now:
   * a renamed file's entries move with it); a vanished path's entries go; every other path is kept as it was (a
   * file outside this audit, or one that could not be read again). It never admits more than before.
   */
  pruned(): Baseline {
    const next = new Map<string, Map<string, BaselineEntry>>();
    for (const [path, rules] of this.baseline) {
      if (!this.audited.has(path) && !this.options.isGone(path)) next.set(path, new Map(rules));
    }
    for (const [path, rules] of this.kept) {
      const byRule = new Map<string, BaselineEntry>();
      for (const [rule, list] of rules) byRule.set(rule, { count: list.length, fingerprints: list });
      next.set(path, byRule);
    }
    return next;
  }

  private matchKnown(findings: readonly Finding[], fingerprints: readonly string[], known: ReadonlyMap<string, BaselineEntry>): Set<number> {
    const hits = new Set<number>();
    const left = new Map<string, { entry: BaselineEntry; slots: number; prints: Set<string> }>();
    for (const [rule, entry] of known) left.set(rule, { entry, slots: entry.count, prints: new Set(entry.fingerprints) });
    // Fingerprints first, over the whole file: a finding whose line was edited must not take another's place.
    findings.forEach((finding, i) => {
      const slot = isBaselinable(finding.rule) ? left.get(finding.rule) : undefined;
      if (!slot || slot.slots === 0 || !slot.prints.delete(fingerprints[i])) return;
      slot.slots--;
      hits.add(i);
    });
    // Then the count: as many of the rule's other findings as the entry still admits, from the top of the file.
    findings.forEach((finding, i) => {
      const slot = left.get(finding.rule);
      if (hits.has(i) || !isBaselinable(finding.rule) || !slot || slot.slots === 0 || slot.prints.size === 0) return;
      slot.slots--;
      slot.prints.delete(slot.prints.values().next().value!);
      hits.add(i);
    });
    return hits;
  }

  private matchRenamed(findings: readonly Finding[], fingerprints: readonly string[]): Set<number> {
    const pool = this.pool();
    const hits = new Set<number>();
    findings.forEach((finding, i) => {
      if (!isBaselinable(finding.rule)) return;
      const paths = pool.get(`${finding.rule}\0${fingerprints[i]}`);
      if (paths === undefined || paths.length === 0) return;
      paths.pop();
      hits.add(i);
    });
    return hits;
  }

  /** The entries of the baseline's vanished paths, by rule and fingerprint: built on the first file that needs it. */
  private pool(): Map<string, string[]> {
    if (this.renamePool) return this.renamePool;
    const pool = new Map<string, string[]>();
    for (const [path, rules] of this.baseline) {
      if (!this.options.isGone(path)) continue;
      for (const [rule, entry] of rules) {
        for (const print of entry.fingerprints.slice(0, entry.count)) {
          const list = pool.get(`${rule}\0${print}`) ?? [];
          list.push(path);
          pool.set(`${rule}\0${print}`, list);
        }
      }
    }
    this.renamePool = pool;
    return pool;
  }

  private keep(key: string, rule: string, fingerprint: string): void {
    let rules = this.kept.get(key);
    if (!rules) this.kept.set(key, (rules = new Map()));
    let list = rules.get(rule);
    if (!list) rules.set(rule, (list = []));
    list.push(fingerprint);
  }
}

/** `file` with the findings at `hits` moved to `suppressed` (kind `baseline`), scored on what remains. */
function suppress(file: FileResult, hits: ReadonlySet<number>, name: string): FileResult {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [...(file.suppressed ?? [])];
  file.findings.forEach((finding, i) => {
    if (hits.has(i)) suppressed.push({ ...finding, suppression: { kind: 'baseline', justification: name } });
    else findings.push(finding);
  });
  const score = scoreOf(findings);
  return { ...file, findings, suppressed, score, grade: gradeOf(score) };
}
