import type * as vscode from 'vscode';
import type { AuditResult, FileResult, SkippedFile } from '../core/model';

/**
 * The result of the last whole-folder audit of each workspace folder, for "Maintenance: Export report". The
 * engine worker streams the files and sends the summary without them (`auditDone`), so the audit hands both here.
 * Re-audits of single edited files do not change it: the report is the audit's, as the CLI would write it.
 */
export class LastAudits {
  private readonly byFolder = new Map<string, AuditResult>();
  private readonly listeners: (() => void)[] = [];

  /** Called after every audit recorded (the status bar counts the skipped files with it). */
  onDidRecord(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Keeps `summary` (whose `files` the worker left empty) with the `files` streamed during that audit. */
  record(folder: vscode.Uri, summary: AuditResult, files: readonly FileResult[]): void {
    // Sorted as the CLI's coordinator sorts them, so the same audit gives the same report bytes.
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.byFolder.set(folder.toString(), { ...summary, files: sorted });
    for (const listener of this.listeners) listener();
  }

  /** The files (and unreadable folders, `dir/`) each folder's last audit left out, with the folder's URI string. */
  skipped(): { readonly folder: string; readonly skipped: SkippedFile }[] {
    return [...this.byFolder].flatMap(([folder, result]) => result.skipped.map((skipped) => ({ folder, skipped })));
  }

  /** The last audit of `folder`, or undefined when none finished in this session. */
  get(folder: vscode.Uri): AuditResult | undefined {
    return this.byFolder.get(folder.toString());
  }
}
