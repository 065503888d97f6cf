import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type {
  ArtifactLocation, Fix as SarifFix, Log, Notification, Region, ReportingDescriptor, Result, Run,
} from 'sarif';
import { compareFindings } from '../core/files/fileAudit';
import { hashText } from '../core/hash';
import type { AuditResult, FileResult, Finding, Severity, ShardSummary, SuppressedFinding, TextEdit } from '../core/model';
import { gradeOf } from '../core/run/score';
import { LineIndex } from '../core/text';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { workspaceScore } from './reporter';
import { describeRule, RULE_IDS } from './ruleCatalogue';
import { ruleDocsUrl } from './rulePages';

/** Options of {@link toSarifReport}. */
export interface SarifReportOptions {
  /**
   * The audited text of a file (without BOM), when the caller has it. Fix regions are then given as lines
   * and columns, which every SARIF viewer applies; without it, as character offsets. A text whose hash is
   * not the audited one is ignored, so a stale text can never misplace a fix.
   */
  readonly sourceText?: (path: string) => string | undefined;
}

/** The schema URI that SARIF producers put in `$schema` (SchemaStore's copy of the OASIS schema). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** `uriBaseId` of every artifact location: GitHub code scanning resolves it to the checkout. */
const SRCROOT = '%SRCROOT%';

const LEVELS: Readonly<Record<Severity, Result.level>> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * The reporter's SARIF 2.1.0 form, as GitHub code scanning and SARIF viewers read it: one run whose driver lists
 * every rule the team knows (descriptions, help, default level), one result per finding with its location,
 * a stable fingerprint and its fix, and the agent failures and skipped files as tool notifications. Pure.
 */
export function toSarifReport(result: AuditResult, options: SarifReportOptions = {}): Log {
  const rules = ruleList(result.files);
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const results: Result[] = [];
  for (const file of result.files) {
    const index = fixIndex(file, options);
    const fingerprints = new FingerprintCounter();
    for (const finding of reportedFindings(file)) {
      const sarif = sarifResult(file, finding, ruleIndex.get(finding.rule) ?? 0, fingerprints.next(file, finding), index);
      results.push({ ...sarif, ...suppressionsOf(finding), ...baselineStateOf(result, finding) });
    }
  }
  const shard = result.shard && {
    ...result.shard, audited: result.files.length, scoreTotal: result.files.reduce((sum, f) => sum + f.score, 0),
  };
  return sarifLog({
    rootUri: directoryUri(result.root), rules, results, notifications: notifications(result), cancelled: result.cancelled,
    executionSuccessful: !result.cancelled && result.files.every((f) => f.failures.length === 0),
    score: workspaceScore(result.files), ...(shard ? { shard } : {}),
  });
}

/** A shard's marks in its SARIF run (`properties.shard`): enough for `merge` to recompute the whole run's score. */
export interface SarifShard extends ShardSummary {
  /** Files audited in the shard (SARIF lists only those with results). */
  readonly audited: number;
  /** The sum of their scores. */
  readonly scoreTotal: number;
}

/** What a SARIF run is made of; {@link sarifLog} assembles it, for an audit and for `merge` alike. */
export interface SarifParts {
  /** `file:///…/`: the audit root, as `%SRCROOT%`. */
  readonly rootUri: string;
  readonly rules: ReportingDescriptor[];
  readonly results: Result[];
  readonly notifications: Notification[];
  readonly executionSuccessful: boolean;
  readonly score: number;
  readonly cancelled: boolean;
  /** `--shard K/N`: `run.automationDetails.id` and `run.properties.shard` say which part of the tree this is. */
  readonly shard?: SarifShard;
}

/** The SARIF log of one run from its parts: the one place its shape (and so its bytes) is decided. */
export function sarifLog(parts: SarifParts): Log {
  const { shard } = parts;
  const run: Run = {
    tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, semanticVersion: semanticVersion(), rules: parts.rules } },
    invocations: [{ executionSuccessful: parts.executionSuccessful, toolExecutionNotifications: parts.notifications }],
    originalUriBaseIds: { [SRCROOT]: { uri: parts.rootUri } },
    ...(shard ? { automationDetails: { id: `${TOOL_NAME}/shard-${shard.index}-of-${shard.count}` } } : {}),
    columnKind: 'utf16CodeUnits',
    results: parts.results,
    // No duration or cache figures: the same findings give the same bytes, whether computed or from the cache.
    properties: { score: parts.score, grade: gradeOf(parts.score), cancelled: parts.cancelled, ...(shard ? { shard } : {}) },
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

/** The catalogue's rules, then any other rule that reported (a newer agent's), so every `ruleIndex` resolves. */
function ruleList(files: readonly FileResult[]): ReportingDescriptor[] {
  const rules: string[] = [];
  for (const file of files) for (const f of reportedFindings(file)) rules.push(f.rule);
  return sarifRules(rules);
}

/** The driver's rules of a run whose results use `ruleIds`: the catalogue's, then the others sorted. */
export function sarifRules(ruleIds: Iterable<string>): ReportingDescriptor[] {
  const ids: string[] = [...RULE_IDS];
  const known = new Set(ids);
  const others = new Set<string>();
  for (const id of ruleIds) if (!known.has(id)) others.add(id);
  for (const id of [...others].sort()) ids.push(id);
  return ids.map(ruleDescriptor);
}

function ruleDescriptor(id: string): ReportingDescriptor {
  const rule = describeRule(id);
  if (!rule) {
    return { id, shortDescription: { text: id }, defaultConfiguration: { level: 'warning' } };
  }
  const fix = rule.fixable ? ' `maintenance-team audit --fix` applies it.' : '';
  const securityTags = rule.tags.includes('security') ? { 'security-severity': '7.5', precision: 'high' } : {};
  return {
    id,
    name: pascalName(id),
    shortDescription: { text: rule.short },
    fullDescription: { text: rule.full },
    help: { text: `${rule.help}${fix.replaceAll('`', '')}`, markdown: `**${rule.short}**\n\n${rule.full}\n\n${rule.help}${fix}` },
    // The rule's page (docs/rules/), at this version's tag: GitHub code scanning links it from each alert.
    helpUri: ruleDocsUrl(id),
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: { tags: [...rule.tags], ...securityTags },
  };
}

/** `imports/unused` → `ImportsUnused`: SARIF's `name` is an identifier-like form of the rule. */
function pascalName(id: string): string {
  return id.split(/[/-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

function sarifResult(
  file: FileResult, finding: Finding, ruleIndex: number, fingerprint: string, index: LineIndex | undefined,
): Result {
  const { start, end } = finding.range;
  // A suppressed finding's fix is not offered: nobody is meant to apply it.
  const fixes = finding.fix && finding.fix.edits.length > 0 && !('suppression' in finding)
    ? [sarifFix(file.path, finding.fix.title, finding.fix.edits, index)]
    : undefined;
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [{
      physicalLocation: {
        artifactLocation: artifactLocation(file.path),
        region: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column },
      },
    }],
    partialFingerprints: { 'maintenanceTeam/v1': fingerprint },
    ...(fixes ? { fixes } : {}),
  };
}

/**
 * The findings that count and the suppressed ones, in the file's order: a suppressed finding is a result too (with
 * its suppression), and the fingerprints' occurrence numbers do not depend on what is suppressed.
 */
function reportedFindings(file: FileResult): readonly (Finding | SuppressedFinding)[] {
  if (!file.suppressed?.length) return file.findings;
  return [...file.findings, ...file.suppressed].sort(compareFindings);
}

/** SARIF `suppressions` of a suppressed finding: `inSource` for a comment, `external` for the baseline. */
function suppressionsOf(finding: Finding | SuppressedFinding): Pick<Result, 'suppressions'> {
  if (!('suppression' in finding)) return {};
  const { kind, justification } = finding.suppression;
  return { suppressions: [{ kind: kind === 'inSource' ? 'inSource' : 'external', ...(justification ? { justification } : {}) }] };
}

/** With a baseline in use, every result says whether the baseline holds it (`unchanged`) or not (`new`). */
function baselineStateOf(result: AuditResult, finding: Finding | SuppressedFinding): Pick<Result, 'baselineState'> {
  if (!result.baseline) return {};
  return { baselineState: 'suppression' in finding && finding.suppression.kind === 'baseline' ? 'unchanged' : 'new' };
}

function sarifFix(path: string, title: string, edits: readonly TextEdit[], index: LineIndex | undefined): SarifFix {
  return {
    description: { text: title },
    artifactChanges: [{
      artifactLocation: artifactLocation(path),
      replacements: edits.map((edit) => ({ deletedRegion: editRegion(edit, index), insertedContent: { text: edit.newText } })),
    }],
  };
}

function editRegion(edit: TextEdit, index: LineIndex | undefined): Region {
  if (!index) return { charOffset: edit.start, charLength: edit.end - edit.start };
  const start = index.positionAt(edit.start);
  const end = index.positionAt(edit.end);
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

/** A line index of the file when its fixes need one and the caller's text is the audited one. */
function fixIndex(file: FileResult, options: SarifReportOptions): LineIndex | undefined {
  if (!options.sourceText || !file.findings.some((f) => f.fix)) return undefined;
  const text = options.sourceText(file.path);
  return text !== undefined && hashText(text) === file.contentHash ? new LineIndex(text) : undefined;
}

/**
 * Fingerprints that survive edits elsewhere in the file: the rule, the path and the message (which names the
 * identifier or the measured value), not the line number; identical findings in one file are told apart by
 * their order. GitHub matches alerts across runs with them.
 */
class FingerprintCounter {
  private readonly seen = new Map<string, number>();

  next(file: FileResult, finding: Finding): string {
    const hash = createHash('sha256').update(`${finding.rule}\0${file.path}\0${finding.message}`).digest('hex').slice(0, 32);
    const n = (this.seen.get(hash) ?? 0) + 1;
    this.seen.set(hash, n);
    return `${hash}:${n}`;
  }
}

/** Agent failures (errors; a refused call is a warning) and skipped files (notes), each on its file. */
function notifications(result: AuditResult): Notification[] {
  const list: Notification[] = [];
  for (const file of result.files) {
    for (const failure of file.failures) {
      const skipped = failure.kind === 'circuit-open';
      list.push({
        level: skipped ? 'warning' : 'error',
        message: { text: `agent '${failure.agent}' ${skipped ? 'skipped' : 'failed'}: ${failure.message}` },
        descriptor: { id: skipped ? 'agent-skipped' : 'agent-failure' },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(file.path) } }],
        properties: { agent: failure.agent, ...(failure.kind ? { kind: failure.kind } : {}) },
      });
    }
  }
  for (const skipped of result.skipped) {
    list.push({
      level: 'note',
      message: { text: `not audited: ${skipped.reason}` },
      descriptor: { id: 'file-skipped' },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(skipped.path) } }],
      properties: { reason: skipped.reason },
    });
  }
  if (result.cancelled) list.push({ level: 'warning', message: { text: 'audit cancelled: results cover only the files finished' } });
  return list;
}

/** A relative POSIX path as a URI reference: each segment percent-encoded (spaces, `#`, `%`). */
function artifactLocation(path: string): ArtifactLocation {
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** `file:///abs/root/`: a base URI must end with a slash for relative references to resolve under it. */
function directoryUri(root: string): string {
  const uri = pathToFileURL(root).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** The version when it is semver (a dev build's `0.0.0-dev` is too), else undefined. */
function semanticVersion(): string | undefined {
  return /^\d+\.\d+\.\d+(?:[-+].*)?$/.test(TOOL_VERSION) ? TOOL_VERSION : undefined;
}
