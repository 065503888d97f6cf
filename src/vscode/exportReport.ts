import * as vscode from 'vscode';
import { formatReport, REPORT_EXTENSIONS, type ReportFormat } from '../reports/reportFormat';
import { decodeFile } from '../core/files/fileLoader';
import { hasFix, type AuditResult, type FileResult } from '../core/model';
import { COMMANDS } from './constants';
import type { EngineClient } from './engineClient';
import type { LastAudits } from './lastAudit';
import type { Logger } from './logger';

/** Arguments of "Maintenance: Export report" for scripts and tests; each one given skips its picker. */
export interface ExportReportOptions {
  readonly format?: ReportFormat;
  /** Where to write; with several audited folders, also picks the folder that contains it. */
  readonly target?: vscode.Uri;
}

/** The formats as the quick pick offers them, the one meant for people first. */
const FORMAT_ITEMS: readonly (vscode.QuickPickItem & { readonly format: ReportFormat })[] = [
  { format: 'markdown', label: 'Markdown', description: 'summary, worst files, findings by rule, team health' },
  { format: 'sarif', label: 'SARIF', description: 'SARIF 2.1.0, for GitHub code scanning and SARIF viewers' },
  { format: 'json', label: 'JSON', description: 'the CLI\'s JSON report, for scripts' },
  { format: 'text', label: 'Text', description: 'one line per finding, as the CLI prints it' },
];

/**
 * "Maintenance: Export report": writes the report of the last workspace audit in the format the user picks, where
 * the save dialog says, with the same bytes as the CLI's `--format` for the same result; then offers to open it.
 * Without an audit in this session it says so and offers to run one (the export follows it).
 */
export async function exportReport(
  last: LastAudits, log: Logger, engine: EngineClient, options: ExportReportOptions = {},
): Promise<vscode.Uri | undefined> {
  const audited = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
    const result = last.get(folder.uri);
    return result ? [{ folder, result }] : [];
  });
  if (audited.length === 0) {
    offerAudit(options);
    return undefined;
  }
  const picked = await pickFolder(audited, options.target);
  if (!picked) return undefined;
  const { folder } = picked;
  let { result } = picked;
  const format = options.format ?? await pickFormat();
  if (!format) return undefined;
  const target = options.target ?? await pickTarget(folder, format);
  if (!target) return undefined;
  try {
    const sources = format === 'sarif' ? await fixableSources(folder, result) : new Map<string, string>();
    if (format === 'sarif') result = await withFixes(engine, folder, result, sources);
    const report = formatReport(result, format, { sourceText: (path) => sources.get(path) });
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(report));
  } catch (error) {
    log.error(`could not write the report to ${target.toString(true)}`, error);
    void vscode.window.showErrorMessage(`Maintenance Team: could not write the report: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  log.info(`${format} report of ${folder.name} written to ${target.toString(true)}`);
  void vscode.window.showInformationMessage(`Maintenance Team: report written to ${vscode.workspace.asRelativePath(target)}.`, 'Open')
    .then((choice) => choice && vscode.window.showTextDocument(target));
  return target;
}

/** Not awaited: a test passing arguments must not wait on a notification nobody answers. */
function offerAudit(options: ExportReportOptions): void {
  void vscode.window.showInformationMessage('Maintenance Team: no workspace audit in this session yet, so no report to export.', 'Run audit')
    .then(async (choice) => {
      if (!choice) return;
      await vscode.commands.executeCommand(COMMANDS.runAudit);
      await vscode.commands.executeCommand(COMMANDS.exportReport, options);
    });
}

/** A workspace folder with its last audit. */
interface Audited {
  readonly folder: vscode.WorkspaceFolder;
  readonly result: AuditResult;
}

/** One report covers one folder (its paths are relative to it): with several, the user picks. */
async function pickFolder(audited: readonly Audited[], target: vscode.Uri | undefined): Promise<Audited | undefined> {
  if (audited.length === 1) return audited[0];
  if (target) {
    const holder = vscode.workspace.getWorkspaceFolder(target)?.uri.toString();
    return audited.find((a) => a.folder.uri.toString() === holder) ?? audited[0];
  }
  const picked = await vscode.window.showQuickPick(audited.map((a) => ({ label: a.folder.name, audited: a })), {
    title: 'Export the report of which folder?',
  });
  return picked?.audited;
}

async function pickFormat(): Promise<ReportFormat | undefined> {
  const picked = await vscode.window.showQuickPick(FORMAT_ITEMS, { title: 'Export maintenance report as' });
  return picked?.format;
}

function pickTarget(folder: vscode.WorkspaceFolder, format: ReportFormat): Thenable<vscode.Uri | undefined> {
  const extension = REPORT_EXTENSIONS[format];
  const label = FORMAT_ITEMS.find((item) => item.format === format)?.label ?? format;
  return vscode.window.showSaveDialog({
    title: 'Export maintenance report',
    defaultUri: vscode.Uri.joinPath(folder.uri, `maintenance-report${extension}`),
    filters: { [label]: [extension.slice(1)] },
  });
}

/**
 * The texts of the files that have fixes (an open document's as shown, else the file's), so SARIF fixes come out
 * as line/column regions. The reporter ignores a text that no longer hashes as audited; an unreadable file is left out.
 */
async function fixableSources(folder: vscode.WorkspaceFolder, result: AuditResult): Promise<Map<string, string>> {
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  const sources = new Map<string, string>();
  for (const file of result.files) {
    if (!file.findings.some(hasFix)) continue;
    const uri = vscode.Uri.joinPath(folder.uri, file.path);
    const document = open.get(uri.toString());
    if (document) {
      sources.set(file.path, document.getText());
      continue;
    }
    const loaded = await Promise.resolve(vscode.workspace.fs.readFile(uri)).then(decodeFile, () => undefined);
    if (loaded && loaded.kind !== 'skip') sources.set(file.path, loaded.text);
  }
  return sources;
}

/**
 * SARIF carries fixes, which the result cache never holds: the files whose fixable findings came from it are
 * audited again by the engine, from the texts just read (as overlays, which get their fixes computed). A file
 * whose text changed since the audit keeps its findings without fixes, as the reporter would drop them anyway.
 */
async function withFixes(
  engine: EngineClient, folder: vscode.WorkspaceFolder, result: AuditResult, sources: ReadonlyMap<string, string>,
): Promise<AuditResult> {
  const stale = result.files.filter((f) => sources.has(f.path) && f.findings.some((x) => hasFix(x) && !x.fix));
  if (stale.length === 0) return result;
  const fresh = new Map<string, FileResult>();
  const overlays = stale.map((f) => ({ path: f.path, text: sources.get(f.path)! }));
  await engine.audit({ kind: 'files', root: folder.uri.fsPath, paths: stale.map((f) => f.path), overlays }, {
    onFile: (file) => fresh.set(file.path, file),
  });
  const same = (file: FileResult) => fresh.get(file.path)?.contentHash === file.contentHash;
  return { ...result, files: result.files.map((file) => (same(file) ? fresh.get(file.path)! : file)) };
}
