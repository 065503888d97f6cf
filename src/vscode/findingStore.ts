import * as vscode from 'vscode';
import { hashText } from '../core/hash';
import type { FileResult, Finding, Grade, Range, Severity, SuppressedFinding } from '../core/model';
import { UNUSED_SUPPRESSION_RULE } from '../core/suppress/suppressibleRules';
import { ruleDocsUrl } from '../reports/rulePages';
import type { BaselineView } from './baselineView';
import { workspaceScore } from '../shared/dashboardModel';
import { DIAGNOSTIC_SOURCE } from './constants';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Rules whose findings mark code that can go: VS Code fades it (an unused suppression comment among them). */
const UNNECESSARY = new Set(['imports/unused', 'imports/duplicate', UNUSED_SUPPRESSION_RULE]);

/** Converts an engine range (1-based) to a VS Code range (0-based). */
export function toVsRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line - 1, range.start.column - 1, range.end.line - 1, range.end.column - 1);
}

/** Identifies a diagnostic by rule and range: code-action contexts carry copies, never our instances. */
export function diagnosticKey(rule: string, range: vscode.Range): string {
  return `${rule}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** The rule id of one of our diagnostics, or undefined for another extension's. */
export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

interface Entry {
  readonly result: FileResult;
  readonly byKey: Map<string, Finding>;
}

/**
 * The last audit result of every file: publishes its diagnostics and keeps its findings (with their
 * fixes, computed while diagnosing) for the code-action provider to look up.
 */
export class FindingStore implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after any file's findings change (the status bar keeps its counts current with it). */
  readonly onDidChange = this.changed.event;
  private readonly entries = new Map<string, Entry>();
  /** Findings by severity over every file, kept up to date as files change (read on every change). */
  private readonly totals: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  /** Sum of the files' scores, kept like `totals`: the workspace's score is read after every change. */
  private scoreSum = 0;
  /** Hash of each document's text per version, so repeated lightbulb requests hash once. */
  private readonly hashes = new WeakMap<vscode.TextDocument, { version: number; hash: string }>();

  /** `baselineView` says, per file, whether the findings a baseline holds show as hints (`hint`) or not at all. */
  constructor(private readonly baselineView: (uri: vscode.Uri) => BaselineView = () => 'hide') {}

  /** Replaces a file's findings and diagnostics. */
  set(uri: vscode.Uri, result: FileResult): void {
    const byKey = new Map<string, Finding>();
    const diagnostics = result.findings.map((finding) => {
      const diagnostic = toDiagnostic(finding);
      byKey.set(diagnosticKey(finding.rule, diagnostic.range), finding);
      return diagnostic;
    });
    this.count(this.entries.get(uri.toString()), -1);
    const entry = { result, byKey };
    this.entries.set(uri.toString(), entry);
    this.count(entry, 1);
    // Baseline hints are shown only: no quick fix, no count, no score (they are not among the findings).
    const hints = this.baselineView(uri) === 'hint'
      ? (result.suppressed ?? []).filter((s) => s.suppression.kind === 'baseline').map(toBaselineHint)
      : [];
    this.collection.set(uri, hints.length > 0 ? [...diagnostics, ...hints] : diagnostics);
    this.changed.fire();
  }

  /** Forgets a file (closed unsaved changes are re-audited by the caller; a deleted file is just dropped). */
  delete(uri: vscode.Uri): void {
    const entry = this.entries.get(uri.toString());
    if (entry) {
      this.count(entry, -1);
      this.entries.delete(uri.toString());
      this.changed.fire();
    }
    this.collection.delete(uri);
  }

  /** Whether `uri` has a result. */
  has(uri: vscode.Uri): boolean {
    return this.entries.has(uri.toString());
  }

  /** Every file under `folder` that has a result (for a rename of a folder, say). */
  urisUnder(folder: vscode.Uri): vscode.Uri[] {
    const prefix = folder.toString().replace(/\/?$/, '/');
    return [...this.entries.keys()].filter((k) => k.startsWith(prefix)).map((k) => vscode.Uri.parse(k));
  }

  /**
   * The findings of `document`, or undefined when the document no longer holds the audited text:
   * fixes computed for other text must never be applied.
   */
  current(document: vscode.TextDocument): { result: FileResult; byKey: ReadonlyMap<string, Finding> } | undefined {
    const entry = this.entries.get(document.uri.toString());
    if (!entry || entry.result.contentHash !== this.hashOf(document)) return undefined;
    return entry;
  }

  private hashOf(document: vscode.TextDocument): string {
    const known = this.hashes.get(document);
    if (known?.version === document.version) return known.hash;
    const hash = hashText(document.getText());
    this.hashes.set(document, { version: document.version, hash });
    return hash;
  }

  /** Every file's URI (as a string) and last result: the dashboard's worst files and workspace score. */
  *files(): IterableIterator<{ readonly uri: string; readonly result: FileResult }> {
    for (const [uri, entry] of this.entries) yield { uri, result: entry.result };
  }

  /** Counts of findings by severity over every file, for the status bar. */
  counts(): Record<Severity, number> {
    return { ...this.totals };
  }

  /** The workspace's score and grade over the files with results (the dashboard's mean); undefined before any. */
  grade(): { readonly score: number; readonly grade: Grade } | undefined {
    if (this.entries.size === 0) return undefined;
    // The mean of the scores, rounded and graded as the dashboard's, without walking every file.
    return workspaceScore([this.scoreSum / this.entries.size]);
  }

  private count(entry: Entry | undefined, sign: 1 | -1): void {
    if (entry) this.scoreSum += sign * entry.result.score;
    for (const finding of entry?.result.findings ?? []) this.totals[finding.severity] += sign;
  }

  /** Drops every result and diagnostic. */
  clear(): void {
    this.entries.clear();
    for (const severity of Object.keys(this.totals) as Severity[]) this.totals[severity] = 0;
    this.scoreSum = 0;
    this.collection.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.collection.dispose();
  }
}

function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toVsRange(finding.range), finding.message, SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  // The rule's page at this version's tag: the Problems panel and the hover link the rule id to it.
  const page = ruleDocsUrl(finding.rule);
  diagnostic.code = page === undefined ? finding.rule : { value: finding.rule, target: vscode.Uri.parse(page) };
  if (UNNECESSARY.has(finding.rule)) diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
  return diagnostic;
}

/** A finding the baseline holds, as the `hint` setting shows it. */
function toBaselineHint(finding: SuppressedFinding): vscode.Diagnostic {
  const diagnostic = toDiagnostic({ ...finding, message: `${finding.message} (in the baseline)` });
  diagnostic.severity = vscode.DiagnosticSeverity.Hint;
  return diagnostic;
}
